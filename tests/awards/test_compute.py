"""The compute job end to end in the embedded default (eager Celery): results, ranks, tiers,
payout amounts, the three aggregations, idempotency, and the what-if preview that writes
nothing."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from evaluations import aggregation, services
from awards import services as award_services
from awards.allocation import BudgetExceeded
from awards.models import ComputeJob, Payout, Result, TierRule
from evaluations.models import EvaluationEvent
from unionproj.errors import WorkflowError

from tests.factories import ScoredRoadshowFactory

D = Decimal


def compute(admin, roadshow, capture):
    with capture(execute=True):
        job = award_services.request_compute(actor=admin, roadshow=roadshow)
    job.refresh_from_db()
    return job


def stored(roadshow):
    return [(r.entry_id, r.final_score, r.rank, r.tier, r.amount, r.card_count)
            for r in Result.objects.filter(roadshow=roadshow).order_by("rank", "entry_id")]


def test_compute_stores_one_result_per_entry_with_ranks_tiers_and_amounts(computed, closed_show):
    e1, e2, e3, e4 = closed_show.entries
    assert stored(computed) == [
        (e1.pk, D("90.00"), 1, "一等", D("10000.00"), 3),
        (e2.pk, D("80.00"), 2, "二等", D("5000.00"), 3),
        (e3.pk, D("80.00"), 2, "二等", D("5000.00"), 3),
        (e4.pk, D("60.00"), 4, "", D("0.00"), 3),
    ]
    first = Result.objects.get(entry=e1)
    criteria = list(computed.rubric.criteria.all())
    # e1's cards 95, 90, 85 split as 25/25/30/(15, 10, 5): the averages per criterion.
    assert first.per_criterion == {str(criteria[0].pk): "25.00", str(criteria[1].pk): "25.00",
                                   str(criteria[2].pk): "30.00", str(criteria[3].pk): "10.00"}
    assert computed.results_signature


def test_the_job_reports_success_progress_and_a_summary(computed):
    job = ComputeJob.objects.get(roadshow=computed)
    assert (job.state, job.progress, job.error, job.attempts) == ("succeeded", 100, "", 1)
    assert job.result["entries"] == 4 and job.result["awarded"] == 3 and job.result["total"] == "20000.00"
    assert job.enqueued_at is not None and job.finished_at is not None
    actions = list(EvaluationEvent.objects.filter(roadshow=computed).values_list("action", flat=True))
    assert "request_compute" in actions and "compute" in actions


def test_computing_twice_leaves_the_same_results_and_no_duplicates(admin, computed, django_capture_on_commit_callbacks):
    before = stored(computed)
    ids = set(Result.objects.filter(roadshow=computed).values_list("pk", flat=True))
    job = compute(admin, computed, django_capture_on_commit_callbacks)
    assert job.state == "succeeded"
    assert stored(computed) == before
    assert set(Result.objects.filter(roadshow=computed).values_list("pk", flat=True)) == ids
    assert TierRule.objects.filter(roadshow=computed).count() == 2


def test_a_tie_at_the_quota_boundary_admits_both_to_the_higher_tier(admin, closed_roadshow,
                                                                  django_capture_on_commit_callbacks):
    award_services.save_tiers(actor=admin, roadshow=closed_roadshow, tiers=[
        {"name": "一等", "quota_count": 2, "amount": "1000"}, {"name": "二等", "quota_count": 1, "amount": "500"}])
    compute(admin, closed_roadshow, django_capture_on_commit_callbacks)
    assert [(rank, tier) for _e, _s, rank, tier, _a, _c in stored(closed_roadshow)] == [
        (1, "一等"), (2, "一等"), (2, "一等"), (4, "二等")]


def test_without_tier_rules_the_defaults_are_created_and_used(admin, closed_roadshow,
                                                            django_capture_on_commit_callbacks):
    job = compute(admin, closed_roadshow, django_capture_on_commit_callbacks)
    assert job.state == "succeeded"
    assert list(TierRule.objects.filter(roadshow=closed_roadshow).values_list("name", "quota_count")) == [
        ("特优", 1), ("一等", 1), ("二等", 1), ("三等", 2)]
    assert [row[3] for row in stored(closed_roadshow)] == ["特优", "一等", "一等", "二等"]
    assert EvaluationEvent.objects.filter(roadshow=closed_roadshow, action="save_tiers").count() == 1


def test_scale_policy_scales_the_amounts_down_to_the_budget(admin, computed, campaign,
                                                          django_capture_on_commit_callbacks):
    campaign.budget = D("12000.00")
    campaign.save()
    compute(admin, computed, django_capture_on_commit_callbacks)
    assert [a for *_x, a, _c in stored(computed)] == [D("6000.00"), D("3000.00"), D("3000.00"), D("0.00")]


def test_scale_rounds_down_to_the_fen(admin, computed, campaign, django_capture_on_commit_callbacks):
    campaign.budget = D("9999.99")  # 20,000 requested: × 0.4999995 each
    campaign.save()
    compute(admin, computed, django_capture_on_commit_callbacks)
    amounts = [a for *_x, a, _c in stored(computed)]
    assert amounts == [D("4999.99"), D("2499.99"), D("2499.99"), D("0.00")]
    assert sum(amounts) <= D("9999.99")


def test_refuse_policy_over_budget_fails_the_job_with_a_clear_error_and_writes_nothing(
        admin, closed_roadshow, campaign, django_capture_on_commit_callbacks):
    services.update_roadshow(actor=admin, roadshow=closed_roadshow, budget_policy="refuse")
    award_services.save_tiers(actor=admin, roadshow=closed_roadshow, tiers=[{"name": "一等", "quota_count": 2,
                                                                       "amount": "600000"}])
    job = compute(admin, closed_roadshow, django_capture_on_commit_callbacks)
    assert job.state == "failed"
    # Two places, but the 80/80 tie at the boundary admits three: 1,800,000 > 1,000,000.
    assert "超出本年度剩余预算" in job.error and "1,800,000.00" in job.error
    assert not Result.objects.filter(roadshow=closed_roadshow).exists()
    with pytest.raises(BudgetExceeded):
        award_services.preview(actor=admin, roadshow=closed_roadshow)


def test_the_remaining_budget_excludes_payouts_of_other_finalised_roadshows(admin, computed, campaign, tree,
                                                                           django_capture_on_commit_callbacks):
    award_services.finalize(actor=admin, roadshow=computed)  # 20,000 of the campaign's 1,000,000 paid out
    other = ScoredRoadshowFactory(actor=admin, campaign=campaign, union=tree["county_b"], totals=[["90"], ["80"]],
                                  title="第二场").roadshow
    award_services.save_tiers(actor=admin, roadshow=other, tiers=[{"name": "一等", "quota_count": 2, "amount": "500000"}])
    assert award_services.remaining_budget(other) == D("980000.00")
    compute(admin, other, django_capture_on_commit_callbacks)
    assert [a for *_x, a, _c in stored(other)] == [D("490000.00"), D("490000.00")]


# --- aggregations end to end ----------------------------------------------------------------

BIASED = [["100", "80", "78", "76"], ["85", "84", "83", "40"], ["70", "70", "70", "70"], ["60", "95", "50", "62"]]


@pytest.fixture
def biased_show(admin, campaign, tree):
    return ScoredRoadshowFactory(actor=admin, campaign=campaign, union=tree["county_a"], totals=BIASED,
                                 title="评分尺度不一")


@pytest.fixture
def biased(biased_show):
    return biased_show.roadshow


def expected_scores(show, method):
    cards = [aggregation.Card(juror.pk, entry.pk, D(total))
             for entry, totals in zip(show.entries, BIASED, strict=True)
             for juror, total in zip(show.jurors, totals, strict=True)]
    return {entry: s.score for entry, s in aggregation.aggregate(cards, method).items()}


@pytest.mark.parametrize(("method", "known"), [
    ("mean", [D("83.50"), D("73.00"), D("70.00"), D("66.75")]),
    ("trimmed_mean", [D("79.00"), D("83.50"), D("70.00"), D("61.00")]),
    ("zscore", None),
])
def test_each_aggregation_end_to_end_through_the_compute_job(admin, biased, biased_show, method, known,
                                                             django_capture_on_commit_callbacks):
    services.update_roadshow(actor=admin, roadshow=biased, aggregation=method)
    job = compute(admin, biased, django_capture_on_commit_callbacks)
    assert job.state == "succeeded", job.error
    results = {r.entry_id: r.final_score for r in Result.objects.filter(roadshow=biased)}
    assert results == expected_scores(biased_show, method)
    if known is not None:
        assert [results[e.pk] for e in biased_show.entries] == known
    ranks = [r.rank for r in Result.objects.filter(roadshow=biased).order_by("rank")]
    assert ranks == sorted(ranks) and ranks[0] == 1


def test_zscore_evens_out_a_harsh_juror(admin, biased, biased_show, django_capture_on_commit_callbacks):
    services.update_roadshow(actor=admin, roadshow=biased, aggregation="zscore")
    compute(admin, biased, django_capture_on_commit_callbacks)
    scores = expected_scores(biased_show, "zscore")
    assert scores != expected_scores(biased_show, "mean")
    assert all(r.card_count == 4 for r in Result.objects.filter(roadshow=biased))


def test_too_few_cards_for_trimming_are_averaged_and_the_result_says_so(admin, campaign, tree,
                                                                       django_capture_on_commit_callbacks):
    show = ScoredRoadshowFactory(actor=admin, campaign=campaign, union=tree["county_a"],
                                 totals=[["90", "80"], ["70", "75", "80"]])
    compute(admin, show.roadshow, django_capture_on_commit_callbacks)
    first = Result.objects.get(entry=show.entries[0])
    assert first.final_score == D("85.00") and first.card_count == 2 and "不足 3 份" in first.note


def test_an_entry_without_a_submitted_card_is_listed_unranked(admin, campaign, tree,
                                                              django_capture_on_commit_callbacks):
    show = ScoredRoadshowFactory(actor=admin, campaign=campaign, union=tree["county_a"],
                                 totals=[["90", "80", "70"], []], close_reason="第二个项目当天弃权")
    roadshow = show.roadshow
    compute(admin, roadshow, django_capture_on_commit_callbacks)
    first, second = show.entries
    rows = list(Result.objects.filter(roadshow=roadshow).values_list(
        "entry_id", "final_score", "rank", "tier", "tier_order", "amount", "card_count", "note"))
    assert [r[:3] + r[6:7] for r in rows] == [(first.pk, Decimal("80.00"), 1, 3),
                                              (second.pk, None, None, 0)]
    assert rows[1][3:] == ("", None, Decimal("0.00"), 0, "无有效评分")


# --- who and when ---------------------------------------------------------------------------


def test_compute_is_refused_unless_the_roadshow_is_closed(admin, campaign, tree):
    roadshow = ScoredRoadshowFactory(actor=admin, campaign=campaign, union=tree["county_a"], totals=[["90"]]).roadshow
    roadshow.status = "scoring"
    roadshow.save()
    with pytest.raises(WorkflowError):
        award_services.request_compute(actor=admin, roadshow=roadshow)
    assert not ComputeJob.objects.exists()


def test_a_finalised_roadshow_is_not_recomputed(admin, computed):
    award_services.finalize(actor=admin, roadshow=computed)
    with pytest.raises(WorkflowError):
        award_services.request_compute(actor=admin, roadshow=computed)
    with pytest.raises(WorkflowError):
        award_services.compute_results(roadshow_id=computed.pk)


def test_only_the_campaign_admin_may_compute_or_preview(people, closed_roadshow):
    for user in (people["staff_a"], people["county_admin_a"], people["juror"]):
        with pytest.raises(PermissionDenied):
            award_services.request_compute(actor=user, roadshow=closed_roadshow)
        with pytest.raises(PermissionDenied):
            award_services.preview(actor=user, roadshow=closed_roadshow)


def test_compute_reads_the_cards_with_a_fixed_number_of_queries(admin, campaign, tree):
    small = ScoredRoadshowFactory(actor=admin, campaign=campaign, union=tree["county_a"],
                                  totals=[["90", "80", "70"]] * 2, title="小").roadshow
    big = ScoredRoadshowFactory(actor=admin, campaign=campaign, union=tree["county_a"],
                                totals=[["90", "80", "70", "60"]] * 7, title="大").roadshow
    counts = []
    for roadshow in (small, big):
        award_services.save_tiers(actor=admin, roadshow=roadshow, tiers=[{"name": "一等", "quota_count": 1, "amount": "1"}])
        with CaptureQueriesContext(connection) as ctx:
            award_services.compute_results(roadshow_id=roadshow.pk)
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


# --- what-if --------------------------------------------------------------------------------


def table_counts():
    return {model.__name__: model.objects.count()
            for model in (Result, TierRule, EvaluationEvent, ComputeJob, Payout)}


def test_preview_with_other_tiers_or_aggregation_writes_nothing(admin, computed, biased):
    before = table_counts()
    results_before = stored(computed)
    plan = award_services.preview(actor=admin, roadshow=computed, tiers=[
        {"name": "金奖", "quota_percent": "50", "amount": "3000.50"},
        {"name": "银奖", "min_score": "70", "amount": "1000"}])
    assert [(r.rank, r.tier.name if r.tier else None, r.amount) for r in plan.rows] == [
        (1, "金奖", D("3000.50")), (2, "金奖", D("3000.50")), (2, "金奖", D("3000.50")), (4, None, D("0.00"))]
    assert plan.total == D("9001.50") and not plan.scaled
    other = award_services.preview(actor=admin, roadshow=biased, aggregation="mean")  # no rules stored: defaults
    assert [r.final_score for r in other.rows][:2] == [D("83.50"), D("73.00")]
    assert [t.name for t in other.tiers] == ["特优", "一等", "二等", "三等"]
    assert table_counts() == before
    assert stored(computed) == results_before


def test_preview_validates_its_input(admin, computed):
    with pytest.raises(ValidationError):
        award_services.preview(actor=admin, roadshow=computed, aggregation="median")
    for bad in ([{"name": "", "quota_count": 1, "amount": "1"}],
                [{"name": "一等", "amount": "1"}],  # neither a quota nor a minimum score
                [{"name": "一等", "quota_count": 1, "amount": "1.005"}],
                [{"name": "一等", "quota_count": 0, "amount": "1"}],
                [{"name": "一等", "quota_percent": "101", "amount": "1"}],
                [{"name": "一等", "quota_count": 1, "quota_percent": "10", "amount": "1"}],
                [{"name": "一等", "quota_count": 1, "amount": "-1"}],
                [{"name": "一等", "quota_count": 1, "amount": "1"}, {"name": "一等", "quota_count": 1, "amount": "1"}]):
        with pytest.raises(ValidationError):
            award_services.preview(actor=admin, roadshow=computed, tiers=bad)


def test_tier_rules_are_saved_in_order_and_audited(admin, closed_roadshow):
    tiers = award_services.save_tiers(actor=admin, roadshow=closed_roadshow, tiers=[
        {"name": "特优", "quota_count": 1, "amount": "150000"},
        {"name": "一等", "quota_percent": "20", "min_score": "80", "amount": "80000"}])
    assert [(t.order, t.name, t.quota_percent, t.min_score) for t in tiers] == [
        (1, "特优", None, None), (2, "一等", D("20.00"), D("80.00"))]
    event = EvaluationEvent.objects.filter(roadshow=closed_roadshow, action="save_tiers").last()
    assert event.actor == admin and event.data["to"][1]["amount"] == "80000.00"
