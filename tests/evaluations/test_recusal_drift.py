"""Issue 13, item 2: the automatic recusals follow a juror moved to another union and a union
moved to another parent — through members' own services, in the same transaction — or the move
is refused and nothing changes.

The fixtures' entries: 职工书屋 of 江阴 (county_a) and 安康杯竞赛 of 宜兴 (county_b); the three
jurors start without a union (recused from nothing)."""

import pytest

from evaluations import services
from awards import services as award_services
from evaluations.enums import CardStatus, RoadshowStatus
from evaluations.models import EvaluationEvent, Recusal, Scorecard
from members.models import Union, User
from members.services import save_union, save_user
from unionproj.errors import WorkflowError
from tests.factories import JurorFactory, RoadshowFactory, full_scores, shortlisted


pytestmark = pytest.mark.usefixtures("eager_celery")  # jobs (the compute) run in process


def move_user(actor, user, union):
    """Change only ``user``'s union, through the service the user page and API use."""
    user = User.objects.get(pk=user.pk)
    return save_user(actor=actor, user=user, username=user.username, name=user.name, phone=user.phone,
                     email=user.email, union=union, roles=user.roles, juror_kind=user.juror_kind,
                     is_active=user.is_active)


def move_union(actor, union, parent):
    union = Union.objects.get(pk=union.pk)
    return save_union(actor=actor, union=union, name=union.name, short_name=union.short_name, level=union.level,
                      parent=parent)


def pairs(roadshow, **filters):
    return set(Recusal.objects.filter(entry__roadshow=roadshow, **filters)
               .values_list("seat__user__username", "entry__project__title"))


def card(roadshow, juror, title):
    return Scorecard.objects.filter(entry__roadshow=roadshow, juror=juror, entry__project__title=title).first()


def snapshot(roadshow):
    """Everything the refused move must leave as it was."""
    return (
        sorted(User.objects.values_list("pk", "union_id")),
        sorted(Union.objects.values_list("pk", "parent_id", "path")),
        sorted(Recusal.objects.values_list("seat_id", "entry_id", "automatic")),
        sorted(Scorecard.objects.values_list("pk", "status")),
        EvaluationEvent.objects.count(),
    )


# --- a juror moved -----------------------------------------------------------------------------


def test_a_juror_moved_into_an_applicant_union_during_setup_is_recused(people, tree, roadshow, jurors):
    move_user(people["admin"], jurors[0], tree["town_a1"])
    assert pairs(roadshow) == {("juror_0", "职工书屋")}
    event = EvaluationEvent.objects.filter(roadshow=roadshow, action="recuse").latest("id")
    assert event.actor == people["admin"]
    assert "澄江" in event.reason and event.data["added"] and not event.data["removed"]

    # Moved again, to the other county: the old recusal goes, the new one comes.
    move_user(people["admin"], jurors[0], tree["county_b"])
    assert pairs(roadshow) == {("juror_0", "安康杯竞赛")}


def test_a_juror_moved_into_an_applicant_union_while_scoring_loses_the_draft_card(people, tree, scoring, jurors):
    """The reported case: the juror kept a draft card for the new union's entry and could submit it."""
    draft = card(scoring, jurors[0], "职工书屋")
    services.save_draft(actor=jurors[0], card=draft, scores=dict(list(full_scores(scoring).items())[:2]),
                        comment="思路清晰")
    move_user(people["admin"], jurors[0], tree["town_a1"])

    assert pairs(scoring) == {("juror_0", "职工书屋")}
    assert card(scoring, jurors[0], "职工书屋") is None
    assert card(scoring, jurors[0], "安康杯竞赛") is not None  # the other entry is untouched
    # Nothing is lost: the removed draft, its scores and comment are in the audit.
    event = EvaluationEvent.objects.get(object_type="scorecard", object_id=draft.pk, action="recuse")
    assert event.actor == people["admin"] and "澄江" in event.reason
    criteria = list(scoring.rubric.criteria.all())
    assert event.data["scores"] == {str(criteria[0].pk): "20.0", str(criteria[1].pk): "20.0"}
    assert event.data["comment"] == "思路清晰" and event.data["status"] == CardStatus.DRAFT
    roadshow_event = EvaluationEvent.objects.filter(roadshow=scoring, object_type="roadshow",
                                                    action="recuse").latest("id")
    assert roadshow_event.data["cards_deleted"] == [draft.pk]


def test_a_submitted_conflicted_card_refuses_the_move_and_nothing_changes(people, tree, scoring, jurors):
    submitted = card(scoring, jurors[0], "职工书屋")
    services.submit_card(actor=jurors[0], card=submitted, scores=full_scores(scoring))
    before = snapshot(scoring)
    with pytest.raises(WorkflowError) as err:
        move_user(people["admin"], jurors[0], tree["town_a1"])
    assert "退回" in str(err.value) and "职工书屋" in str(err.value)
    assert err.value.state == CardStatus.SUBMITTED
    assert snapshot(scoring) == before

    # Once the roadshow's admin has reopened the card, the move goes through.
    services.reopen_card(actor=people["admin"], card=submitted, reason="评委调入江阴，须回避")
    move_user(people["admin"], jurors[0], tree["town_a1"])
    assert card(scoring, jurors[0], "职工书屋") is None
    event = EvaluationEvent.objects.get(object_type="scorecard", object_id=submitted.pk, action="recuse")
    assert len(event.data["scores"]) == 4


def test_the_refusal_is_a_409_with_the_state_in_the_api(people, tree, scoring, jurors):
    """Members' API has no endpoint that moves a user or a union yet (API.md: POST only); the
    refusal such a write receives is already mapped like every other state conflict."""
    # DRF first: ``unionproj.api`` imported first in a process trips over DRF reading its own
    # settings (which name ``unionproj.api.StrictJSONParser``) halfway through the import.
    import rest_framework.views  # noqa: F401
    from unionproj.api import exception_handler

    services.submit_card(actor=jurors[0], card=card(scoring, jurors[0], "职工书屋"), scores=full_scores(scoring))
    with pytest.raises(WorkflowError) as err:
        move_user(people["admin"], jurors[0], tree["town_a1"])
    response = exception_handler(err.value, {})
    assert response.status_code == 409
    assert response.data == {"detail": str(err.value), "state": CardStatus.SUBMITTED}


def test_a_juror_moved_out_of_a_conflict_while_scoring_gets_the_missing_card(people, tree, campaign,
                                                                             entries_projects):
    juror = JurorFactory(username="juror_a1", union=tree["town_a1"])
    roadshow = RoadshowFactory(actor=people["admin"], campaign=campaign, projects=entries_projects, jurors=[juror])
    services.start_roadshow(actor=people["admin"], roadshow=roadshow)
    assert card(roadshow, juror, "职工书屋") is None

    move_user(people["admin"], juror, tree["city"])  # the owner union: in conflict with nobody
    assert pairs(roadshow) == set()
    new_card = card(roadshow, juror, "职工书屋")
    assert new_card.status == CardStatus.DRAFT
    assert EvaluationEvent.objects.filter(object_type="scorecard", object_id=new_card.pk, action="unrecuse").exists()


def test_a_move_is_refused_after_scoring_closed_when_it_would_change_a_recusal(people, tree, scoring, jurors):
    services.close_roadshow(actor=people["admin"], roadshow=scoring, override_reason="测试：未评分也结束")
    before = snapshot(scoring)
    with pytest.raises(WorkflowError) as err:
        move_user(people["admin"], jurors[0], tree["county_b"])
    assert "评分已经结束" in str(err.value) and err.value.state == RoadshowStatus.CLOSED
    assert snapshot(scoring) == before


def test_a_move_that_changes_no_recusal_passes_after_closed(people, tree, scoring, jurors):
    services.close_roadshow(actor=people["admin"], roadshow=scoring, override_reason="测试：未评分也结束")
    move_user(people["admin"], jurors[0], tree["city"])
    assert User.objects.get(pk=jurors[0].pk).union == tree["city"]
    assert pairs(scoring) == set()


def test_a_move_is_refused_during_publicity_and_leaves_a_finalized_roadshow_as_it_was(
        admin, tree, computed, closed_show):  # noqa: F811 - fixtures
    juror = closed_show.jurors[0]
    publicity = award_services.publicize(actor=admin, roadshow=computed, days=7)
    with pytest.raises(WorkflowError) as err:
        move_user(admin, juror, tree["county_a"])
    assert err.value.state == RoadshowStatus.PUBLICITY
    assert User.objects.get(pk=juror.pk).union is None

    # Finalised: the recusals are the record of what was scored; the juror may move on.
    award_services.finalize(actor=admin, roadshow=publicity)
    move_user(admin, juror, tree["county_a"])
    assert User.objects.get(pk=juror.pk).union == tree["county_a"]
    assert not Recusal.objects.filter(entry__roadshow=computed).exists()


def test_a_manual_recusal_stays_when_the_juror_moves_into_the_same_conflict(people, tree, scoring, jurors):
    seat = scoring.seats.get(user=jurors[0])
    entry = scoring.entries.get(project__title="安康杯竞赛")
    services.add_manual_recusal(actor=people["admin"], seat=seat, entry=entry, reason="与申报单位负责人系亲属")
    move_user(people["admin"], jurors[0], tree["county_b"])
    assert pairs(scoring) == {("juror_0", "安康杯竞赛")}
    assert pairs(scoring, automatic=False) == {("juror_0", "安康杯竞赛")}
    move_user(people["admin"], jurors[0], None)
    assert pairs(scoring, automatic=False) == {("juror_0", "安康杯竞赛")}  # not the rule's to withdraw


def test_saving_a_user_without_changing_the_union_touches_no_roadshow(people, tree, campaign, entries_projects):
    juror = JurorFactory(username="juror_a", union=tree["county_a"])
    roadshow = RoadshowFactory(actor=people["admin"], campaign=campaign, projects=entries_projects, jurors=[juror])
    services.start_roadshow(actor=people["admin"], roadshow=roadshow)
    services.close_roadshow(actor=people["admin"], roadshow=roadshow, override_reason="测试：未评分也结束")
    events = EvaluationEvent.objects.count()
    save_user(actor=people["admin"], user=User.objects.get(pk=juror.pk), username=juror.username, name="新名字",
              union=tree["county_a"], roles=["juror"], juror_kind="expert")
    assert EvaluationEvent.objects.count() == events


# --- a union moved -----------------------------------------------------------------------------


@pytest.fixture
def juror_a1(tree):
    return JurorFactory(username="juror_a1", union=tree["town_a1"])


@pytest.fixture
def roadshow_a1(people, campaign, entries_projects, juror_a1):
    return RoadshowFactory(actor=people["admin"], campaign=campaign, projects=entries_projects, jurors=[juror_a1])


def test_a_union_moved_to_another_parent_during_setup_moves_the_recusals(people, tree, roadshow_a1):
    assert pairs(roadshow_a1) == {("juror_a1", "职工书屋")}
    move_union(people["admin"], tree["town_a1"], tree["county_b"])
    assert pairs(roadshow_a1) == {("juror_a1", "安康杯竞赛")}
    event = EvaluationEvent.objects.filter(roadshow=roadshow_a1, action="recuse").latest("id")
    assert "上级工会" in event.reason and event.actor == people["admin"]


def test_a_union_move_while_scoring_moves_the_cards(people, tree, roadshow_a1, juror_a1):
    services.start_roadshow(actor=people["admin"], roadshow=roadshow_a1)
    move_union(people["admin"], tree["town_a1"], tree["county_b"])
    assert card(roadshow_a1, juror_a1, "安康杯竞赛") is None
    assert card(roadshow_a1, juror_a1, "职工书屋").status == CardStatus.DRAFT


def test_a_union_move_is_refused_by_a_submitted_conflicted_card(people, tree, roadshow_a1, juror_a1):
    services.start_roadshow(actor=people["admin"], roadshow=roadshow_a1)
    services.submit_card(actor=juror_a1, card=card(roadshow_a1, juror_a1, "安康杯竞赛"),
                         scores=full_scores(roadshow_a1))
    before = snapshot(roadshow_a1)
    with pytest.raises(WorkflowError):
        move_union(people["admin"], tree["town_a1"], tree["county_b"])
    assert snapshot(roadshow_a1) == before


def test_a_union_move_is_refused_after_closed(people, tree, roadshow_a1):
    services.start_roadshow(actor=people["admin"], roadshow=roadshow_a1)
    services.close_roadshow(actor=people["admin"], roadshow=roadshow_a1, override_reason="测试：未评分也结束")
    before = snapshot(roadshow_a1)
    with pytest.raises(WorkflowError) as err:
        move_union(people["admin"], tree["town_a1"], tree["county_b"])
    assert err.value.state == RoadshowStatus.CLOSED
    assert snapshot(roadshow_a1) == before


def test_a_moved_applicant_union_recuses_the_jurors_of_its_new_parent(people, tree, campaign):
    """The other side of a move: the entry's union comes under the juror's union."""
    juror = JurorFactory(username="juror_b", union=tree["county_b"])
    roadshow = RoadshowFactory(actor=people["admin"], campaign=campaign,
                               projects=[shortlisted(campaign, tree["town_a1"], title="澄江项目")], jurors=[juror])
    assert pairs(roadshow) == set()
    move_union(people["admin"], tree["town_a1"], tree["county_b"])
    assert pairs(roadshow) == {("juror_b", "澄江项目")}
