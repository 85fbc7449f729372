"""The admin's 评定等次 page: tier rules, compute with a progress bar, the ranking and charts,
the what-if preview (writes nothing), 公示, answers, finalise and reopen."""

import json
from decimal import Decimal

import pytest
from django.utils import timezone

from awards import services as award_services
from awards.models import ComputeJob, Objection, Payout, Result, TierRule
from evaluations.models import EvaluationEvent

pytestmark = pytest.mark.django_db


def url(roadshow, suffix=""):
    return f"/roadshows/{roadshow.pk}/awards/{suffix}"


def tier_post(prefix, rows, **extra):
    data = {f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "6", **extra}
    for i, row in enumerate(rows):
        for key in ("name", "quota_count", "quota_percent", "min_score", "amount"):
            data[f"{prefix}-{i}-{key}"] = row.get(key, "")
    return data


def test_the_page_shows_the_default_tiers_prefilled_before_any_are_saved(client_as, admin, closed_roadshow):
    response = client_as(admin).get(url(closed_roadshow))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="tiers-default"' in page
    for name in ("特优", "一等", "二等", "三等"):
        assert f'value="{name}"' in page
    assert 'data-testid="job-none"' in page and 'data-testid="compute"' in page


def test_saving_tiers_and_budget_policy_through_the_form(client_as, admin, closed_roadshow):
    data = tier_post("tiers", [{"name": "一等", "quota_count": "1", "amount": "10000"},
                               {"name": "二等", "quota_percent": "50", "amount": "5000.50"}, {}],
                     budget_policy="refuse")
    response = client_as(admin).post(url(closed_roadshow, "tiers/"), data)
    assert response.status_code == 302
    rules = list(TierRule.objects.filter(roadshow=closed_roadshow).values_list("name", "quota_count", "quota_percent",
                                                                            "amount"))
    assert rules == [("一等", 1, None, Decimal("10000.00")), ("二等", None, Decimal("50.00"), Decimal("5000.50"))]
    closed_roadshow.refresh_from_db()
    assert closed_roadshow.budget_policy == "refuse"


def test_bad_tiers_are_refused_with_the_services_message_and_nothing_saved(client_as, admin, closed_roadshow):
    data = tier_post("tiers", [{"name": "一等", "amount": "10000"}], budget_policy="scale")
    response = client_as(admin).post(url(closed_roadshow, "tiers/"), data)
    assert response.status_code == 400
    assert "须设置名额或最低分" in response.content.decode()
    assert not TierRule.objects.filter(roadshow=closed_roadshow).exists()


def test_compute_shows_the_progress_bar_then_the_ranking_with_tiers_and_amounts(
        client_as, admin, closed_roadshow, django_capture_on_commit_callbacks):
    client = client_as(admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(closed_roadshow, "compute/"))
    assert response.status_code == 302
    page = client.get(url(closed_roadshow)).content.decode()
    assert 'data-testid="job-progress"' in page and 'value="100"' in page
    assert 'data-testid="ranking"' in page
    assert Result.objects.filter(roadshow=closed_roadshow).count() == 4
    assert 'id="awards-chart-data"' in page and "vendor/chartjs/chart.umd.min.js" in page
    assert "<script>" not in page.replace('<script src=', '')  # only external scripts and json_script
    start = page.index('id="awards-chart-data"')
    data = json.loads(page[page.index(">", start) + 1:page.index("</script>", start)])
    assert len(data["entries"]) == 4 and len(data["jurors"]) == 3
    assert data["entries"][0]["score"] == "90.00"


def test_the_progress_partial_polls_while_running_and_refreshes_the_page_when_done(client_as, admin, computed):
    client = client_as(admin)
    job = ComputeJob.objects.get(roadshow=computed)
    ComputeJob.objects.filter(pk=job.pk).update(state="pending", progress=0)
    pending = client.get(url(computed, "job/")).content.decode()
    assert 'hx-trigger="every 1s"' in pending and 'value="0"' in pending and "排队中" in pending
    ComputeJob.objects.filter(pk=job.pk).update(state="running", progress=40)
    running = client.get(url(computed, "job/") + "?poll=1")
    assert 'hx-trigger="every 1s"' in running.content.decode() and 'value="40"' in running.content.decode()
    assert "HX-Refresh" not in running
    ComputeJob.objects.filter(pk=job.pk).update(state="failed", progress=60, error="奖补总额超出预算")
    failed = client.get(url(computed, "job/") + "?poll=1")
    body = failed.content.decode()
    assert 'data-testid="job-error"' in body and "奖补总额超出预算" in body and "hx-trigger" not in body
    assert failed["HX-Refresh"] == "true"
    ComputeJob.objects.filter(pk=job.pk).update(state="succeeded", progress=100, error="")
    done = client.get(url(computed, "job/") + "?poll=1")
    assert done["HX-Refresh"] == "true" and 'value="100"' in done.content.decode()


def test_a_compute_while_the_broker_is_down_shows_the_queued_message(client_as, admin, closed_roadshow):
    # The job row exists, the message was not published (as publish_job leaves it).
    job = award_services.request_compute(actor=admin, roadshow=closed_roadshow)
    ComputeJob.objects.filter(pk=job.pk).update(note="任务队列暂时无法连接：任务已保存，队列恢复后将自动执行。")
    page = client_as(admin).get(url(closed_roadshow)).content.decode()
    assert 'data-testid="job-note"' in page and "任务队列暂时无法连接" in page


def test_the_what_if_preview_shows_other_tiers_next_to_the_results_and_writes_nothing(client_as, admin, computed):
    def snapshot():
        return (list(Result.objects.order_by("pk").values_list("pk", "rank", "tier", "amount", "final_score")),
                list(TierRule.objects.order_by("pk").values_list("pk", "name", "amount")),
                EvaluationEvent.objects.count(), ComputeJob.objects.count(), computed.__class__.objects.get(
                    pk=computed.pk).results_signature)

    before = snapshot()
    data = tier_post("whatif", [{"name": "特优", "quota_count": "2", "amount": "20000"}], aggregation="mean")
    response = client_as(admin).post(url(computed, "preview/"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="preview-ranking"' in page and 'data-testid="current-compact"' in page
    # mean: 90, 80, 80, 60 — the tie at the boundary admits both 80s: 3 × 20,000.
    assert page.count('data-testid="tier">特优') == 3 and "合计 60,000.00" in page
    assert snapshot() == before


def test_publicize_answer_and_finalize_through_the_page(client_as, admin, computed, people, closed_show):
    client = client_as(admin)
    assert client.post(url(computed, "publicize/"), {"days": "7"}).status_code == 302
    computed.refresh_from_db()
    assert computed.status == "publicity"
    entry = closed_show.entries[0]
    objection = award_services.file_objection(actor=people["staff_b"], roadshow=computed, entry=entry, text="分数偏高")
    page = client.get(url(computed)).content.decode()
    assert 'data-testid="finalize-disabled"' in page and "1 条异议未答复" in page
    client.post(url(computed, f"objections/{objection.pk}/answer/"), {f"o{objection.pk}-answer": "经复核无误"})
    assert Objection.objects.get(pk=objection.pk).answer == "经复核无误"
    page = client.get(url(computed)).content.decode()
    assert 'data-testid="finalize"' in page
    assert client.post(url(computed, "finalize/")).status_code == 302
    computed.refresh_from_db()
    assert computed.status == "finalized" and Payout.objects.filter(roadshow=computed).count() == 3


def test_reopen_needs_a_reason_and_is_audited(client_as, admin, computed):
    award_services.finalize(actor=admin, roadshow=computed)
    client = client_as(admin)
    client.post(url(computed, "reopen/"), {"reason": ""})
    computed.refresh_from_db()
    assert computed.status == "finalized"
    client.post(url(computed, "reopen/"), {"reason": "评分录入有误"})
    computed.refresh_from_db()
    assert computed.status == "closed" and not Payout.objects.filter(roadshow=computed).exists()
    assert EvaluationEvent.objects.get(roadshow=computed, action="reopen_results").reason == "评分录入有误"


def test_a_second_finalize_shows_a_message_not_an_error_page(client_as, admin, computed):
    client = client_as(admin)
    client.post(url(computed, "finalize/"))
    response = client.post(url(computed, "finalize/"), follow=True)
    assert response.status_code == 200
    assert Payout.objects.filter(roadshow=computed).count() == 3
    assert "不能定稿" in response.content.decode()


def test_stale_results_are_flagged_after_the_tiers_change(client_as, admin, computed):
    award_services.save_tiers(actor=admin, roadshow=computed, tiers=[{"name": "一等", "quota_count": 3, "amount": "1"}])
    page = client_as(admin).get(url(computed)).content.decode()
    assert 'data-testid="stale"' in page and 'data-testid="finalize-disabled"' in page
    assert timezone.now()
