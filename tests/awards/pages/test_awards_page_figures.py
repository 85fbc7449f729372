"""The awards and payouts pages say consistent things: the budget in four figures that add up,
no "尚未计算" beside results, one money format (thousands separators) in Chinese and English,
and the payouts page's bulk approval (one transaction, each payout audited)."""

from decimal import Decimal

import pytest

from awards import services as award_services
from awards.models import ComputeJob, Payout
from evaluations.models import EvaluationEvent, Roadshow
from unionproj.money import format_money

from tests.factories import ScoredRoadshowFactory

pytestmark = pytest.mark.django_db


def url(roadshow):
    return f"/roadshows/{roadshow.pk}/awards/"


def figure(page, testid):
    start = page.index(f'data-testid="{testid}">') + len(f'data-testid="{testid}">')
    return Decimal(page[start:page.index("<", start)].strip().replace(",", ""))


@pytest.mark.parametrize("value, text", [
    (Decimal("50000"), "50,000.00"), (Decimal("1234567.8"), "1,234,567.80"), (Decimal("0"), "0.00"),
    (Decimal("999.995"), "1,000.00"), (Decimal("-2500"), "-2,500.00"), (None, ""), ("", ""), ("x", "x"),
])
def test_the_money_format_groups_thousands_with_two_decimals(value, text):
    assert format_money(value) == text


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_pages_print_money_with_thousands_separators_in_both_languages(client_as, admin, computed, language):
    client = client_as(admin)
    client.cookies["django_language"] = language
    page = client.get(url(computed), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert f'lang="{language}"' in page
    # Form inputs keep plain numbers (they are typed back); every printed amount is grouped.
    assert '>10,000.00</td>' in page and 'data-testid="budget-this">20,000.00<' in page
    assert ">10000.00" not in page and ">20000.00" not in page
    award_services.finalize(actor=admin, roadshow=computed)
    payouts = client.get("/payouts/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert ">10,000.00<" in payouts and ">5,000.00<" in payouts and ">10000.00" not in payouts


def test_the_budget_figures_add_up_and_count_this_and_the_other_roadshows(client_as, admin, people, campaign,
                                                                           tree, computed):
    other = ScoredRoadshowFactory(actor=admin, campaign=campaign, union=tree["county_b"], totals=[["90", "90", "90"]],
                                  title="另一场").roadshow
    award_services.save_tiers(actor=admin, roadshow=other, tiers=[{"name": "一等", "quota_count": 1, "amount": "3000"}])
    award_services.compute_results(roadshow_id=other.pk)
    award_services.finalize(actor=admin, roadshow=Roadshow.objects.get(pk=other.pk))
    award_services.finalize(actor=admin, roadshow=computed)
    page = client_as(admin).get(url(computed)).content.decode()
    budget, others = figure(page, "budget-campaign"), figure(page, "budget-others")
    this, remaining = figure(page, "budget-this"), figure(page, "budget-remaining")
    assert budget == campaign.budget
    assert others == Decimal("3000.00") and this == Decimal("20000.00")
    assert remaining == budget - others - this


def test_a_finalised_roadshow_without_a_compute_job_does_not_say_not_computed(client_as, admin, computed):
    award_services.finalize(actor=admin, roadshow=computed)
    ComputeJob.objects.filter(roadshow=computed).delete()  # as the demo: computed without a job
    page = client_as(admin).get(url(computed)).content.decode()
    assert 'data-testid="job-none"' not in page and "尚未计算" not in page
    assert 'data-testid="job-done"' in page


def test_the_favicon_is_linked_and_served(client):
    page = client.get("/accounts/login/").content.decode()
    assert 'rel="icon"' in page and "img/favicon.svg" in page
    response = client.get("/favicon.ico")
    assert response.status_code == 302 and response["Location"].endswith("img/favicon.svg")


# --- bulk approval ----------------------------------------------------------------------------


def test_bulk_approve_approves_the_ticked_payouts_in_one_go_each_audited(client_as, admin, finalized):
    client = client_as(admin)
    page = client.get("/payouts/").content.decode()
    assert 'data-testid="bulk-approve"' in page and page.count('data-testid="pick"') == 3
    assert "{total}" in page  # the confirmation names the total (filled in by payouts.js)
    ids = list(Payout.objects.filter(roadshow=finalized).order_by("pk").values_list("pk", flat=True))
    response = client.post("/payouts/approve/", {"ids": ids[:2], "next": "/payouts/?status=pending"}, follow=True)
    total = sum(Payout.objects.filter(pk__in=ids[:2]).values_list("amount", flat=True))
    assert f"已审批 2 笔补贴，合计 {format_money(total)} 元" in response.content.decode()
    assert list(Payout.objects.filter(pk__in=ids).order_by("pk").values_list("status", flat=True)) == [
        "approved", "approved", "pending"]
    events = EvaluationEvent.objects.filter(action="approve_payout").values_list("object_id", "actor_id")
    assert sorted(events) == [(ids[0], admin.pk), (ids[1], admin.pk)]


def test_bulk_approve_is_all_or_none_when_one_is_already_approved(client_as, admin, finalized):
    ids = list(Payout.objects.filter(roadshow=finalized).order_by("pk").values_list("pk", flat=True))
    award_services.approve_payout(actor=admin, payout=Payout.objects.get(pk=ids[2]))
    response = client_as(admin).post("/payouts/approve/", {"ids": ids}, follow=True)
    assert "不能" in response.content.decode()
    assert list(Payout.objects.filter(pk__in=ids).order_by("pk").values_list("status", flat=True)) == [
        "pending", "pending", "approved"]
    assert EvaluationEvent.objects.filter(action="approve_payout").count() == 1


def test_bulk_approve_refuses_nothing_ticked_bad_ids_staff_and_other_unions(client_as, admin, people, finalized):
    ids = list(Payout.objects.filter(roadshow=finalized).values_list("pk", flat=True))
    assert "请选择要审批的补贴" in client_as(admin).post("/payouts/approve/", {}, follow=True).content.decode()
    assert "所选补贴有误" in client_as(admin).post("/payouts/approve/", {"ids": ["x"]}, follow=True).content.decode()
    assert client_as(admin).post("/payouts/approve/", {"ids": [ids[0], 99999999]}).status_code == 404
    assert client_as(people["staff_a"]).post("/payouts/approve/", {"ids": ids}).status_code == 403
    assert client_as(people["staff_b"]).post("/payouts/approve/", {"ids": ids}).status_code == 403
    assert client_as(people["county_admin_a"]).post("/payouts/approve/", {"ids": ids}).status_code == 403
    assert client_as(admin).get("/payouts/approve/").status_code == 405
    assert not Payout.objects.exclude(status="pending").exists()
