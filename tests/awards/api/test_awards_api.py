"""The awards endpoints of API.md: tiers, compute → 202 {task_id}, tasks, results (and who sees
them when), preview (writes nothing), 公示 and objections, finalize, payouts, unit ranking."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from evaluations import services
from awards import services as award_services
from awards.models import ComputeJob, Objection, Payout, Result, TierRule
from evaluations.models import EvaluationEvent
from tests.factories import CampaignFactory, ScoredRoadshowFactory


pytestmark = pytest.mark.django_db

API = "/api/v1"


def rs(roadshow, suffix=""):
    return f"{API}/roadshows/{roadshow.pk}/{suffix}"


# --- tier rules -----------------------------------------------------------------------------


def test_tiers_get_shows_the_defaults_then_put_saves_them(admin_api, closed_roadshow):
    body = admin_api.get(rs(closed_roadshow, "tiers/")).json()
    assert body["saved"] is False and [t["name"] for t in body["tiers"]] == ["特优", "一等", "二等", "三等"]
    assert body["tiers"][0]["amount"] == "150000.00"
    new = [{"name": "一等", "quota_count": 1, "amount": "10000"}, {"name": "二等", "quota_percent": "50",
                                                                  "min_score": "70", "amount": "5000.5"}]
    response = admin_api.put(rs(closed_roadshow, "tiers/"), {"tiers": new}, format="json")
    assert response.status_code == 200
    assert response.json()["tiers"] == [
        {"name": "一等", "quota_count": 1, "quota_percent": None, "min_score": None, "amount": "10000.00"},
        {"name": "二等", "quota_count": None, "quota_percent": "50.00", "min_score": "70.00", "amount": "5000.50"}]
    assert admin_api.get(rs(closed_roadshow)).json()["tiers"][1]["amount"] == "5000.50"


def test_roadshow_post_and_patch_accept_tiers(admin_api, admin, campaign, closed_roadshow):
    tiers = [{"name": "一等", "quota_count": 2, "amount": "800"}]
    created = admin_api.post(f"{API}/roadshows/", {"campaign": campaign.pk, "title": "新路演", "date": "2026-07-01",
                                                   "tiers": tiers}, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["tiers"] == [{"name": "一等", "quota_count": 2, "quota_percent": None, "min_score": None,
                                        "amount": "800.00"}]
    patched = admin_api.patch(rs(closed_roadshow), {"tiers": tiers, "budget_policy": "refuse"}, format="json")
    assert patched.status_code == 200 and patched.json()["budget_policy"] == "refuse"
    assert patched.json()["tiers"][0]["name"] == "一等"


@pytest.mark.parametrize("tiers", [
    [{"name": "一等", "amount": "100"}],                                   # neither quota nor min score
    [{"name": "一等", "quota_count": 1, "quota_percent": "10", "amount": "1"}],
    [{"name": "一等", "quota_count": 0, "amount": "1"}],
    [{"name": "一等", "quota_count": 1, "amount": "-1"}],
    [{"name": "一等", "quota_count": 1, "amount": "1.001"}],
    [{"name": "一等", "quota_count": 1, "amount": "1"}, {"name": "一等", "quota_count": 1, "amount": "1"}],
    [{"name": "", "quota_count": 1, "amount": "1"}],
    [{"name": "一等", "quota_count": "abc", "amount": "NaN"}],
    "一等", [1, 2], {"name": "一等"}, None,
])
def test_bad_tiers_are_400_and_nothing_is_saved(admin_api, admin, campaign, closed_roadshow, tiers):
    assert admin_api.put(rs(closed_roadshow, "tiers/"), {"tiers": tiers}, format="json").status_code == 400
    assert admin_api.patch(rs(closed_roadshow), {"tiers": tiers}, format="json").status_code == 400
    before = closed_roadshow.__class__.objects.count()
    response = admin_api.post(f"{API}/roadshows/", {"campaign": campaign.pk, "title": "x", "date": "2026-07-01",
                                                    "tiers": tiers}, format="json")
    assert response.status_code == 400
    assert closed_roadshow.__class__.objects.count() == before and not TierRule.objects.exists()


def test_tiers_cannot_change_once_published(admin_api, publicity):
    response = admin_api.put(rs(publicity, "tiers/"), {"tiers": [{"name": "一等", "quota_count": 1, "amount": "1"}]},
                             format="json")
    assert response.status_code == 409 and response.json()["state"] == "publicity"


def test_tiers_put_is_admin_only(api_as, people, publicity):
    body = {"tiers": [{"name": "一等", "quota_count": 1, "amount": "1"}]}
    assert api_as(people["staff_a"]).put(rs(publicity, "tiers/"), body, format="json").status_code == 403
    assert api_as(people["staff_a"]).get(rs(publicity, "tiers/")).status_code == 200


# --- compute and tasks ----------------------------------------------------------------------


def test_compute_answers_202_with_a_task_id_and_the_task_shows_success(admin_api, closed_roadshow,
                                                                       django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_api.post(rs(closed_roadshow, "compute/"))
    assert response.status_code == 202
    task_id = response.json()["task_id"]
    assert ComputeJob.objects.get(task_id=task_id).roadshow == closed_roadshow
    task = admin_api.get(f"{API}/tasks/{task_id}/").json()
    assert (task["state"], task["progress"], task["error"]) == ("succeeded", 100, None)
    assert task["result"]["entries"] == 4
    latest = admin_api.get(rs(closed_roadshow, "jobs/latest/")).json()
    assert latest["task_id"] == task_id


def test_a_pending_and_a_failed_task(admin_api, admin, closed_roadshow):
    job = award_services.request_compute(actor=admin, roadshow=closed_roadshow)  # on_commit not run: pending
    body = admin_api.get(f"{API}/tasks/{job.task_id}/").json()
    assert (body["state"], body["progress"], body["result"], body["error"]) == ("pending", 0, None, None)
    ComputeJob.objects.filter(pk=job.pk).update(state="failed", error="超出预算")
    assert admin_api.get(f"{API}/tasks/{job.task_id}/").json()["error"] == "超出预算"


def test_another_users_task_and_unknown_ids_are_404(api_as, admin, people, closed_roadshow):
    job = award_services.request_compute(actor=admin, roadshow=closed_roadshow)
    assert api_as(people["staff_a"]).get(f"{API}/tasks/{job.task_id}/").status_code == 404
    assert api_as(None).get(f"{API}/tasks/{job.task_id}/").status_code in (401, 403)
    for odd in ("nope", "0" * 64, "a" * 65, "%00"):
        assert api_as(admin).get(f"{API}/tasks/{odd}/").status_code == 404


@pytest.mark.parametrize(("who", "code"), [("staff_a", 404), ("county_admin_a", 404), (None, 403)])
def test_compute_is_admin_only(api_as, people, closed_roadshow, who, code):
    response = api_as(people[who] if who else None).post(rs(closed_roadshow, "compute/"))
    assert response.status_code in ((401, 403) if who is None else (code,))
    assert not ComputeJob.objects.exists()


def test_a_juror_of_the_roadshow_gets_403_on_compute(api_as, closed_roadshow, closed_show):
    assert api_as(closed_show.jurors[0]).post(rs(closed_roadshow, "compute/")).status_code == 403


def test_compute_of_a_finalised_or_scoring_roadshow_is_409(admin_api, finalized):
    response = admin_api.post(rs(finalized, "compute/"))
    assert response.status_code == 409 and response.json()["state"] == "finalized"


def test_latest_job_is_404_before_any_compute(admin_api, closed_roadshow):
    assert admin_api.get(rs(closed_roadshow, "jobs/latest/")).status_code == 404


# --- results --------------------------------------------------------------------------------


def test_results_for_the_admin_after_compute_with_money_as_strings(admin_api, computed, closed_show):
    rows = admin_api.get(rs(computed, "results/")).json()
    assert [(r["rank"], r["final_score"], r["tier"], r["amount"]) for r in rows] == [
        (1, "90.00", "一等", "10000.00"), (2, "80.00", "二等", "5000.00"), (2, "80.00", "二等", "5000.00"),
        (4, "60.00", "", "0.00")]
    first = rows[0]
    assert first["card_count"] == 3 and first["project"] == closed_show.entries[0].project_id
    assert set(first["per_criterion"]) == {str(c.pk) for c in computed.rubric.criteria.all()}
    assert all(isinstance(v, str) for v in first["per_criterion"].values())


def test_results_before_compute_are_empty_for_the_admin(admin_api, closed_roadshow):
    assert admin_api.get(rs(closed_roadshow, "results/")).json() == []


def test_results_are_hidden_from_staff_until_publicity(api_as, people, computed, closed_show):
    assert api_as(people["staff_a"]).get(rs(computed, "results/")).status_code == 404
    assert api_as(closed_show.jurors[0]).get(rs(computed, "results/")).status_code == 403


@pytest.mark.parametrize("stage", ["publicity", "finalized"])
def test_results_are_visible_to_every_union_during_publicity_and_after_finalize(api_as, people, request, stage):
    roadshow = request.getfixturevalue(stage)
    for who in ("staff_a", "staff_b", "county_admin_b"):
        response = api_as(people[who]).get(rs(roadshow, "results/"))
        assert response.status_code == 200 and len(response.json()) == 4


# --- preview --------------------------------------------------------------------------------


def test_preview_shows_other_tiers_and_aggregation_and_writes_nothing(admin_api, computed):
    before = (list(Result.objects.values_list("pk", "rank", "tier", "amount", "final_score").order_by("pk")),
              list(TierRule.objects.values_list("pk", "name", "amount").order_by("pk")),
              EvaluationEvent.objects.count(), ComputeJob.objects.count())
    response = admin_api.post(rs(computed, "preview/"), {
        "aggregation": "mean", "tiers": [{"name": "特优", "quota_count": 1, "amount": "20000"}]}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["aggregation"] == "mean" and body["total"] == "20000.00" and body["scaled"] is False
    assert [(r["tier"], r["amount"]) for r in body["results"]] == [
        ("特优", "20000.00"), ("", "0.00"), ("", "0.00"), ("", "0.00")]
    after = (list(Result.objects.values_list("pk", "rank", "tier", "amount", "final_score").order_by("pk")),
             list(TierRule.objects.values_list("pk", "name", "amount").order_by("pk")),
             EvaluationEvent.objects.count(), ComputeJob.objects.count())
    assert after == before


def test_preview_over_budget_scales_or_refuses(admin_api, admin, computed):
    computed.campaign.budget = Decimal("9000.00")
    computed.campaign.save()
    tiers = [{"name": "一等", "quota_count": 2, "amount": "6000"}]
    body = admin_api.post(rs(computed, "preview/"), {"tiers": tiers}, format="json").json()
    assert body["scaled"] is True and body["requested"] == "18000.00" and Decimal(body["total"]) <= Decimal(9000)
    services.update_roadshow(actor=admin, roadshow=computed, budget_policy="refuse")
    response = admin_api.post(rs(computed, "preview/"), {"tiers": tiers}, format="json")
    assert response.status_code == 409 and "超出" in response.json()["detail"]


@pytest.mark.parametrize("body", [{"aggregation": "median"}, {"tiers": "x"}, {"tiers": [{"name": "一"}]}, [1], "x"])
def test_preview_with_bad_input_is_400(admin_api, computed, body):
    assert admin_api.post(rs(computed, "preview/"), body, format="json").status_code == 400


def test_preview_is_admin_only(api_as, people, publicity):
    assert api_as(people["staff_a"]).post(rs(publicity, "preview/"), {}, format="json").status_code == 403


# --- 公示, objections, finalize ---------------------------------------------------------------


def test_publicize_then_objections_then_finalize(admin_api, api_as, people, computed, closed_show):
    response = admin_api.post(rs(computed, "publicize/"), {"days": 7}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "publicity"
    assert response.json()["publicity_until"]
    staff = api_as(people["staff_b"])
    entry = closed_show.entries[0]
    filed = staff.post(rs(computed, "objections/"), {"entry": entry.pk, "text": "分数偏高"}, format="json")
    assert filed.status_code == 201 and filed.json()["entry"] == entry.pk and filed.json()["answered"] is False
    blocked = admin_api.post(rs(computed, "finalize/"))
    assert blocked.status_code == 409 and "未答复" in blocked.json()["detail"]
    assert staff.post(f"{API}/objections/{filed.json()['id']}/answer/", {"answer": "x"}).status_code == 403
    answered = admin_api.post(f"{API}/objections/{filed.json()['id']}/answer/", {"answer": "已复核"}, format="json")
    assert answered.status_code == 200 and answered.json()["answered"] is True
    again = admin_api.post(f"{API}/objections/{filed.json()['id']}/answer/", {"answer": "再答"}, format="json")
    assert again.status_code == 409
    # The staff see their own objection with its answer; another union sees none.
    assert staff.get(rs(computed, "objections/")).json()["results"][0]["answer"] == "已复核"
    assert api_as(people["staff_a"]).get(rs(computed, "objections/")).json()["count"] == 0
    assert admin_api.get(rs(computed, "objections/")).json()["count"] == 1
    final = admin_api.post(rs(computed, "finalize/"))
    assert final.status_code == 200 and final.json()["status"] == "finalized"
    assert Payout.objects.filter(roadshow=computed, status="pending").count() == 3
    second = admin_api.post(rs(computed, "finalize/"))
    assert second.status_code == 409 and second.json()["state"] == "finalized"
    assert Payout.objects.filter(roadshow=computed).count() == 3


def test_objections_outside_publicity_are_409(api_as, people, computed, finalized, closed_show):
    body = {"entry": closed_show.entries[0].pk, "text": "异议"}
    response = api_as(people["staff_a"]).post(rs(finalized, "objections/"), body, format="json")
    assert response.status_code == 409 and not Objection.objects.exists()


@pytest.mark.parametrize("body", [{"entry": 999999, "text": "x"}, {"entry": "a", "text": "x"}, {"text": "x"},
                                  {"entry": 1}, {"entry": -1, "text": ""}, [], "x"])
def test_bad_objections_are_400(api_as, people, publicity, body):
    response = api_as(people["staff_a"]).post(rs(publicity, "objections/"), body, format="json")
    assert response.status_code == 400 and not Objection.objects.exists()


def test_jurors_and_admins_cannot_file_objections(api_as, people, publicity, closed_show):
    body = {"entry": closed_show.entries[0].pk, "text": "x"}
    assert api_as(people["juror"]).post(rs(publicity, "objections/"), body, format="json").status_code == 404
    assert api_as(people["county_admin_a"]).post(rs(publicity, "objections/"), body,
                                                 format="json").status_code == 403


@pytest.mark.parametrize("days", [0, 31, "x", None, -1, 99999999999999999999])
def test_publicize_with_bad_days_is_400(admin_api, computed, days):
    assert admin_api.post(rs(computed, "publicize/"), {"days": days}, format="json").status_code == 400


def test_publicize_before_compute_is_409(admin_api, closed_roadshow):
    assert admin_api.post(rs(closed_roadshow, "publicize/"), {"days": 3}, format="json").status_code == 409


def test_reopen_needs_a_reason(admin_api, finalized):
    assert admin_api.post(rs(finalized, "reopen/"), {}, format="json").status_code == 400
    response = admin_api.post(rs(finalized, "reopen/"), {"reason": "录入有误"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "closed"
    assert admin_api.post(rs(finalized, "reopen/"), {"reason": "再来"}, format="json").status_code == 409


# --- payouts --------------------------------------------------------------------------------


def test_payouts_pending_approved_paid_and_paid_first_is_409(admin_api, finalized):
    listed = admin_api.get(f"{API}/payouts/?campaign={finalized.campaign_id}").json()
    assert listed["count"] == 3
    first = listed["results"][0]
    assert (first["tier"], first["amount"], first["status"]) == ("一等", "10000.00", "pending")
    early = admin_api.post(f"{API}/payouts/{first['id']}/mark-paid/")
    assert early.status_code == 409 and early.json()["state"] == "pending"
    approved = admin_api.post(f"{API}/payouts/{first['id']}/approve/")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert admin_api.post(f"{API}/payouts/{first['id']}/approve/").status_code == 409
    paid = admin_api.post(f"{API}/payouts/{first['id']}/mark-paid/")
    assert paid.status_code == 200 and paid.json()["status"] == "paid"
    assert admin_api.get(f"{API}/payouts/?status=paid").json()["count"] == 1
    events = EvaluationEvent.objects.filter(action__in=["approve_payout", "mark_paid"]).values_list("action", "actor")
    assert len(events) == 2


def test_staff_see_their_union_payouts_only_and_cannot_approve(api_as, people, finalized):
    staff_a, staff_b = api_as(people["staff_a"]), api_as(people["staff_b"])
    assert staff_a.get(f"{API}/payouts/").json()["count"] == 3
    assert staff_b.get(f"{API}/payouts/").json()["count"] == 0
    payout = Payout.objects.first()
    assert staff_a.post(f"{API}/payouts/{payout.pk}/approve/").status_code == 403
    assert staff_b.post(f"{API}/payouts/{payout.pk}/approve/").status_code == 404
    assert api_as(people["admin"]).post(f"{API}/payouts/99999999999999999999/approve/").status_code == 404


@pytest.mark.parametrize("query", ["campaign=abc", "status=nope", "campaign=-1", "page=abc", "page_size=100000"])
def test_odd_payout_filters_never_500(admin_api, finalized, query):
    assert admin_api.get(f"{API}/payouts/?{query}").status_code in (200, 400)


# --- unit ranking ---------------------------------------------------------------------------


def test_unit_ranking_compute_is_202_and_the_list_follows(admin_api, api_as, people, finalized,
                                                          django_capture_on_commit_callbacks):
    year = finalized.campaign.year
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_api.post(f"{API}/unit-rankings/compute/", {"year": year}, format="json")
    assert response.status_code == 202
    assert admin_api.get(f"{API}/tasks/{response.json()['task_id']}/").json()["state"] == "succeeded"
    rows = api_as(people["staff_b"]).get(f"{API}/unit-rankings/?year={year}").json()["results"]
    assert rows[0]["union"] == people["staff_a"].union_id and rows[0]["rank"] == 1
    assert api_as(people["staff_a"]).post(f"{API}/unit-rankings/compute/", {"year": year},
                                          format="json").status_code == 403


@pytest.mark.parametrize("query", ["", "?year=abc", "?year=1900", "?year=99999999999999999999"])
def test_unit_ranking_needs_a_valid_year(admin_api, query):
    assert admin_api.get(f"{API}/unit-rankings/{query}").status_code == 400


@pytest.mark.parametrize("body", [{}, {"year": "x"}, {"year": 3000}, [], "x"])
def test_unit_ranking_compute_with_bad_year_is_400(admin_api, body):
    assert admin_api.post(f"{API}/unit-rankings/compute/", body, format="json").status_code == 400
    assert not ComputeJob.objects.exists()


# --- never 500 ------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["compute/", "preview/", "publicize/", "finalize/", "reopen/", "tiers/",
                                  "objections/"])
@pytest.mark.parametrize("body", [None, [], "x", {"tiers": {"a": [1]}}, {"days": {"x": 1}}, {"reason": ["x"]}])
def test_odd_bodies_never_500(admin_api, computed, path, body):
    method = admin_api.put if path == "tiers/" else admin_api.post
    response = method(rs(computed, path), body, format="json")
    assert response.status_code < 500


@pytest.mark.parametrize("path", ["99999999999999999999/results/", "0/results/", "0/tiers/"])
def test_unknown_roadshows_are_404(admin_api, path):
    assert admin_api.get(f"{API}/roadshows/{path}").status_code == 404


# --- query counts ---------------------------------------------------------------------------


def _roadshow_with(admin, tree, people, n, capture):
    campaign = CampaignFactory(owner_union=tree["city"])
    roadshow = ScoredRoadshowFactory(actor=admin, campaign=campaign, union=tree["county_a"],
                                     totals=[["90", "80", "70"]] * n, title=f"路演{n}").roadshow
    award_services.save_tiers(actor=admin, roadshow=roadshow, tiers=[{"name": "一等", "quota_count": 1, "amount": "10"}])
    with capture(execute=True):
        award_services.request_compute(actor=admin, roadshow=roadshow)
    award_services.publicize(actor=admin, roadshow=roadshow, days=5)
    for entry in roadshow.entries.all():
        objection = award_services.file_objection(actor=people["staff_b"], roadshow=roadshow, entry=entry, text="复核")
        award_services.answer_objection(actor=admin, objection=objection, answer="已复核")
    award_services.finalize(actor=admin, roadshow=roadshow)
    return roadshow


def _queries(client, path):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured)


def test_results_objections_and_payouts_cost_the_same_queries_for_3_and_30_entries(
        admin_api, admin, tree, people, django_capture_on_commit_callbacks, settings):
    settings.OBJECTION_RATE_LIMIT = 0  # one user objects to 33 entries here
    small = _roadshow_with(admin, tree, people, 3, django_capture_on_commit_callbacks)
    big = _roadshow_with(admin, tree, people, 30, django_capture_on_commit_callbacks)
    for path in ("results/", "objections/"):
        assert _queries(admin_api, rs(small, path)) == _queries(admin_api, rs(big, path)), path
    assert (_queries(admin_api, f"{API}/payouts/?campaign={small.campaign_id}")
            == _queries(admin_api, f"{API}/payouts/?campaign={big.campaign_id}"))
    assert _queries(admin_api, f"{API}/roadshows/") == _queries(admin_api, f"{API}/roadshows/?status=finalized")
