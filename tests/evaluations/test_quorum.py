"""The quorum (issue 13): per entry, 2/3 of its non-recused jurors rounded up unless the
roadshow sets ``min_cards``; closing an entry or the roadshow and computing below it need an
override reason, which is stored and audited; an entry nobody scored is listed, unranked."""

import pytest
from django.core.exceptions import ValidationError

from evaluations import services
from awards import services as award_services
from evaluations.models import EvaluationEvent, QuorumOverride, Scorecard
from awards.models import Result
from evaluations.quorum import effective_quorum
from evaluations.services.quorum import QuorumNotMet, entry_counts
from unionproj.errors import WorkflowError
from tests.factories import JurorFactory, RoadshowFactory, full_scores


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_celery")]  # jobs (the compute) run in process


@pytest.mark.parametrize("min_cards, eligible, quorum", [
    (None, 1, 1), (None, 2, 2), (None, 3, 2), (None, 4, 3), (None, 5, 4), (None, 6, 4), (None, 7, 5),
    (None, 0, 1),             # nobody may score it: unreachable, an override is needed
    (3, 7, 3), (5, 3, 3),     # an explicit number is capped at the entry's eligible jurors
    (1, 9, 1), (2, 0, 1),
])
def test_the_quorum_rule(min_cards, eligible, quorum):
    assert effective_quorum(min_cards, eligible) == quorum


def submit(roadshow, entry, juror):
    card = Scorecard.objects.get(entry=entry, juror=juror)
    services.submit_card(actor=juror, card=card, scores=full_scores(roadshow))


@pytest.fixture
def four_jurors(tree):
    return [JurorFactory(username=f"q_juror_{i}") for i in range(4)]


def test_the_quorum_is_counted_per_entry_over_its_non_recused_jurors(people, campaign, entries_projects,
                                                                     four_jurors):
    admin = people["admin"]
    roadshow = RoadshowFactory(actor=admin, campaign=campaign, projects=entries_projects, jurors=four_jurors)
    first, second = roadshow.entries.order_by("order")
    services.add_manual_recusal(actor=admin, seat=roadshow.seats.get(user=four_jurors[0]), entry=second,
                                reason="曾指导该项目")
    counts = {pk: (cards, quorum) for pk, _title, cards, quorum in entry_counts(roadshow)}
    assert counts == {first.pk: (0, 3), second.pk: (0, 2)}   # ⌈2·4/3⌉ = 3, ⌈2·3/3⌉ = 2
    services.update_roadshow(actor=admin, roadshow=roadshow, min_cards=4)
    roadshow.refresh_from_db()
    counts = {pk: (cards, quorum) for pk, _title, cards, quorum in entry_counts(roadshow)}
    assert counts == {first.pk: (0, 4), second.pk: (0, 3)}   # 4, capped at the 3 who may score


def test_min_cards_is_set_in_setup_only_and_audited(people, roadshow, jurors):
    admin = people["admin"]
    services.update_roadshow(actor=admin, roadshow=roadshow, min_cards="2")
    roadshow.refresh_from_db()
    assert roadshow.min_cards == 2
    event = EvaluationEvent.objects.filter(action="update").latest("id")
    assert event.data == {"min_cards": ["None", "2"]} and event.actor == admin
    for bad in ("0", "abc", 1.5, True, 1000):
        with pytest.raises(ValidationError) as err:
            services.update_roadshow(actor=admin, roadshow=roadshow, min_cards=bad)
        assert "最少有效评分表数" in str(err.value)
    services.update_roadshow(actor=admin, roadshow=roadshow, min_cards="")  # back to the default rule
    roadshow.refresh_from_db()
    assert roadshow.min_cards is None
    services.start_roadshow(actor=admin, roadshow=roadshow)
    with pytest.raises(WorkflowError) as err:
        services.update_roadshow(actor=admin, roadshow=roadshow, min_cards=1)
    assert "评分开始后不能修改最少有效评分表数" in str(err.value)


def test_closing_an_entry_below_quorum_needs_a_reason_which_is_stored_and_audited(people, campaign,
                                                                                  entries_projects, jurors):
    admin = people["admin"]
    live = RoadshowFactory(actor=admin, campaign=campaign, projects=entries_projects, jurors=jurors, live=True)
    services.start_roadshow(actor=admin, roadshow=live)
    first = live.entries.order_by("order").first()
    services.open_entry(actor=admin, entry=first)
    submit(live, first, jurors[0])
    with pytest.raises(QuorumNotMet) as err:
        services.close_entry(actor=admin, entry=first)
    assert "“职工书屋”1 份（法定 2 份）" in str(err.value) and err.value.state == "open"
    assert err.value.extra == {"below_quorum": [{"entry": first.pk, "project": "职工书屋", "cards": 1, "quorum": 2}]}
    first.refresh_from_db()
    assert first.state == "open" and not QuorumOverride.objects.exists()

    closed = services.close_entry(actor=admin, entry=first, override_reason="  两位评委临时离场  ")
    assert closed.state == "closed"
    override = QuorumOverride.objects.get()
    assert (override.action, override.reason, override.actor) == ("close_entry", "两位评委临时离场", admin)
    assert override.shortfall == [{"entry": first.pk, "project": "职工书屋", "cards": 1, "quorum": 2}]
    event = EvaluationEvent.objects.get(action="close_entry")
    assert event.reason == "两位评委临时离场" and event.data["below_quorum"] == override.shortfall


def test_an_entry_at_quorum_closes_without_a_reason(people, campaign, entries_projects, jurors):
    admin = people["admin"]
    live = RoadshowFactory(actor=admin, campaign=campaign, projects=entries_projects, jurors=jurors, live=True)
    services.start_roadshow(actor=admin, roadshow=live)
    first = live.entries.order_by("order").first()
    services.open_entry(actor=admin, entry=first)
    submit(live, first, jurors[0])
    submit(live, first, jurors[1])
    assert services.close_entry(actor=admin, entry=first).state == "closed"
    assert not QuorumOverride.objects.exists()
    assert EvaluationEvent.objects.get(action="close_entry").reason == ""


def test_closing_the_roadshow_names_every_entry_below_quorum(people, scoring, jurors):
    admin = people["admin"]
    first, second = scoring.entries.order_by("order")
    for juror in jurors:
        submit(scoring, first, juror)
    submit(scoring, second, jurors[0])
    with pytest.raises(QuorumNotMet) as err:
        services.close_roadshow(actor=admin, roadshow=scoring)
    assert "“安康杯竞赛”1 份（法定 2 份）" in str(err.value) and "职工书屋" not in str(err.value)
    assert err.value.state == "scoring"
    scoring.refresh_from_db()
    assert scoring.status == "scoring"
    with pytest.raises(ValidationError):
        services.close_roadshow(actor=admin, roadshow=scoring, override_reason="长" * 2001)
    services.close_roadshow(actor=admin, roadshow=scoring, override_reason="第二个项目两位评委回避后未补评")
    event = EvaluationEvent.objects.get(action="close")
    assert event.reason == "第二个项目两位评委回避后未补评"
    assert event.data["below_quorum"] == [{"entry": second.pk, "project": "安康杯竞赛", "cards": 1, "quorum": 2}]


def test_a_blank_reason_is_no_reason(people, scoring):
    with pytest.raises(QuorumNotMet):
        services.close_roadshow(actor=people["admin"], roadshow=scoring, override_reason="   ")


def test_compute_after_a_close_with_a_reason_needs_none_but_a_new_shortfall_does(
        people, scoring, jurors, django_capture_on_commit_callbacks):
    admin = people["admin"]
    first, second = scoring.entries.order_by("order")
    for juror in jurors:
        submit(scoring, first, juror)
    services.close_roadshow(actor=admin, roadshow=scoring, override_reason="第二个项目当天弃权")
    # The close's reason covers the same shortfall: the compute goes on, and says whose reason.
    with django_capture_on_commit_callbacks(execute=True):
        job = award_services.request_compute(actor=admin, roadshow=scoring)
    job.refresh_from_db()
    assert job.state == "succeeded", job.error
    assert QuorumOverride.objects.count() == 1
    rows = {r.entry_id: r for r in Result.objects.filter(roadshow=scoring)}
    assert (rows[first.pk].rank, rows[first.pk].card_count) == (1, 3)
    assert (rows[second.pk].final_score, rows[second.pk].rank, rows[second.pk].tier) == (None, None, "")
    assert rows[second.pk].note == "无有效评分"

    # A roadshow closed before the quorum existed has no override: the compute is refused.
    QuorumOverride.objects.all().delete()
    with pytest.raises(QuorumNotMet) as err:
        award_services.request_compute(actor=admin, roadshow=scoring)
    assert "不能计算结果" in str(err.value) and "“安康杯竞赛”0 份（法定 2 份）" in str(err.value)
    with django_capture_on_commit_callbacks(execute=True):
        award_services.request_compute(actor=admin, roadshow=scoring, override_reason="历史数据补算")
    override = QuorumOverride.objects.get()
    assert (override.action, override.reason) == ("request_compute", "历史数据补算")
    event = EvaluationEvent.objects.filter(action="request_compute").latest("id")
    assert event.reason == "历史数据补算" and event.data["below_quorum"][0]["entry"] == second.pk


def test_an_entry_every_juror_is_recused_from_needs_a_reason(people, campaign, entries_projects, jurors):
    admin = people["admin"]
    roadshow = RoadshowFactory(actor=admin, campaign=campaign, projects=entries_projects, jurors=jurors)
    first, second = roadshow.entries.order_by("order")
    for seat in roadshow.seats.all():
        services.add_manual_recusal(actor=admin, seat=seat, entry=second, reason="全体回避")
    services.start_roadshow(actor=admin, roadshow=roadshow)
    for juror in jurors:
        submit(roadshow, first, juror)
    with pytest.raises(QuorumNotMet) as err:
        services.close_roadshow(actor=admin, roadshow=roadshow)
    assert err.value.extra["below_quorum"] == [{"entry": second.pk, "project": "安康杯竞赛", "cards": 0, "quorum": 1}]
