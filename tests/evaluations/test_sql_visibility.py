"""Card visibility is stated once (evaluations/sql/visibility.py), in an SQL and an ORM form:
both pick exactly the same cards, whatever state the cards are in — draft or submitted, of an
open, closed or waiting entry, of a roadshow scoring, closed or finalised, of another roadshow
or campaign, of another juror, of a juror recused from the entry (here or on another roadshow)
— for every kind of user. And ``queries.card_to_score`` (the SQL form, then the ORM for an
administrator) finds exactly the cards ``queries.cards_visible_to`` lists.

Runs on SQLite and on PostgreSQL (the statement is the same text on both).
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection

from evaluations import queries, services
from evaluations.enums import CardStatus, EntryState, RoadshowStatus
from evaluations.models import Roadshow, Scorecard
from evaluations.sql import visibility
from tests.factories import (
    AdminFactory,
    CampaignFactory,
    JurorFactory,
    RoadshowFactory,
    UserFactory,
    full_scores,
    shortlisted,
)


def _roadshow(admin, campaign, union, jurors, title, **kwargs):
    projects = [shortlisted(campaign, union, title=f"{title}{i}") for i in range(3)]
    return RoadshowFactory(actor=admin, campaign=campaign, projects=projects, jurors=jurors, title=title, **kwargs)


@pytest.fixture
def world(people, campaign, tree):
    """Cards in every state that could matter, and users of every kind. Returns
    ``(cards, users)``."""
    admin = people["admin"]
    jurors = [JurorFactory(username=f"vis_{i}") for i in range(3)]

    # A live roadshow, scoring: entry 0 closed (every card submitted), entry 1 open, entry 2
    # waiting; juror 1 recused from entry 2 before the start, so has no card there.
    live = _roadshow(admin, campaign, tree["county_a"], jurors, "现场", live=True)
    first, second, third = live.entries.order_by("order")
    services.add_manual_recusal(actor=admin, seat=live.seats.get(user=jurors[1]), entry=third, reason="亲属")
    services.start_roadshow(actor=admin, roadshow=live)
    services.open_entry(actor=admin, entry=first)
    for juror in jurors:
        card = Scorecard.objects.get(entry=first, juror=juror)
        services.submit_card(actor=juror, card=card, scores=full_scores(live))
    services.close_entry(actor=admin, entry=first)
    services.open_entry(actor=admin, entry=second)
    services.save_draft(actor=jurors[0], card=Scorecard.objects.get(entry=second, juror=jurors[0]),
                        scores=full_scores(live))
    # Belt and braces: a card of the recused juror that should not exist is still not theirs.
    Scorecard.objects.create(entry=third, juror=jurors[1])

    # Another roadshow of the same campaign, closed; juror 0 recused there from one entry after
    # the start (the draft deleted), which must not hide juror 0's cards of the live roadshow.
    closed = _roadshow(admin, campaign, tree["county_a"], jurors[:2], "已结束")
    services.start_roadshow(actor=admin, roadshow=closed)
    recused_entry = closed.entries.order_by("order").first()
    services.add_manual_recusal(actor=admin, seat=closed.seats.get(user=jurors[0]), entry=recused_entry,
                                reason="本单位项目")
    services.submit_card(actor=jurors[1], card=Scorecard.objects.get(entry=recused_entry, juror=jurors[1]),
                         scores=full_scores(closed))
    services.close_roadshow(actor=admin, roadshow=closed, override_reason="测试")

    # A roadshow of another campaign, owned by county B, finalised (status written directly:
    # the award steps are not what this is about), and one still in setup (no cards yet, but a
    # card written directly for juror 2).
    county_admin = AdminFactory(username="vis_admin_b", union=tree["county_b"])
    other_campaign = CampaignFactory(owner_union=tree["county_b"])
    finalized = _roadshow(county_admin, other_campaign, tree["county_b"], jurors[1:], "其他活动")
    services.start_roadshow(actor=county_admin, roadshow=finalized)
    Roadshow.objects.filter(pk=finalized.pk).update(status=RoadshowStatus.FINALIZED)
    setup = _roadshow(county_admin, other_campaign, tree["county_b"], [], "筹备中")
    Scorecard.objects.create(entry=setup.entries.first(), juror=jurors[2], status=CardStatus.SUBMITTED)

    # An administrator who also has a card of their own, on a roadshow they do not administer.
    Scorecard.objects.create(entry=setup.entries.last(), juror=admin)

    superuser = UserFactory(username="vis_root", is_superuser=True)
    users = [*jurors, JurorFactory(username="vis_unseated"), admin, county_admin, superuser, people["staff_a"],
             people["county_admin_a"], AnonymousUser()]
    cards = list(Scorecard.objects.order_by("pk"))
    # The states the cards are in (the point of the world): every one below occurs.
    states = {(c.status, c.entry.state, c.entry.roadshow.status) for c in cards}
    assert {s for s, _e, _r in states} == {CardStatus.DRAFT, CardStatus.SUBMITTED}
    assert {e for _s, e, _r in states} >= {EntryState.OPEN, EntryState.CLOSED, EntryState.WAITING}
    assert {r for _s, _e, r in states} >= {RoadshowStatus.SCORING, RoadshowStatus.CLOSED,
                                           RoadshowStatus.FINALIZED, RoadshowStatus.SETUP}
    return cards, users


def _sql_own(user, card):
    """Whether the SQL form says ``card`` is ``user``'s own (the statement the scoring
    endpoints run)."""
    with connection.cursor() as cursor:
        cursor.execute(visibility.card_to_score(), [user.pk, card.pk])
        *_row, own = cursor.fetchone()
    return bool(own)


def test_the_sql_and_orm_forms_pick_the_same_cards(world):
    cards, users = world
    for user in users:
        if not user.is_authenticated:
            continue
        orm = set(Scorecard.objects.filter(visibility.own_cards_q(user)).values_list("pk", flat=True))
        sql = {card.pk for card in cards if _sql_own(user, card)}
        assert sql == orm, user.username
    # Not vacuous: jurors see some cards and not others, recusal hides one.
    juror_cards = [set(Scorecard.objects.filter(visibility.own_cards_q(u)).values_list("pk", flat=True))
                   for u in users[:3]]
    assert all(juror_cards)
    recused_card = Scorecard.objects.get(juror=users[1], entry__roadshow__title="现场", entry__order=3)
    assert recused_card.pk not in juror_cards[1] and not _sql_own(users[1], recused_card)


def test_card_to_score_finds_exactly_the_cards_cards_visible_to_lists(world):
    cards, users = world
    for user in users:
        visible = set(queries.cards_visible_to(user).values_list("pk", flat=True))
        found = set()
        for card in cards:
            try:
                found.add(queries.card_to_score(user, card.pk).pk)
            except Scorecard.DoesNotExist:
                pass
        assert found == visible, getattr(user, "username", "anonymous")
    # An administrator sees another juror's card through the ORM, and their own card too.
    admin = next(u for u in users if u.is_authenticated and u.is_admin_role and u.union.parent_id is None)
    assert set(queries.cards_visible_to(admin).values_list("juror_id", flat=True)) >= {users[0].pk, admin.pk}


def test_a_juror_reads_the_same_cards_through_both_queries(world):
    """``cards_for_juror`` (the juror's list) uses the same ORM form: for a juror who
    administers nothing, it is exactly ``cards_visible_to``."""
    _cards, users = world
    for juror in users[:4]:
        assert (set(queries.cards_for_juror(juror).values_list("pk", flat=True))
                == set(queries.cards_visible_to(juror).values_list("pk", flat=True)))
