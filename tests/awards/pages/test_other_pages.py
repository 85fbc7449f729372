"""Published results (公示 with objections, then the final list), payouts, the unit ranking,
the tier on the project page, the permission matrix and the query counts of the awards pages."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from awards import services as award_services
from awards.models import Objection, Payout
from tests.factories import CampaignFactory, ScoredRoadshowFactory


pytestmark = pytest.mark.django_db


# --- the permission matrix ------------------------------------------------------------------

ANON, OK, FORBIDDEN, NOT_FOUND = 302, 200, 403, 404


@pytest.mark.parametrize(("who", "awards", "published", "payouts"), [
    (None, ANON, ANON, ANON),
    ("admin", OK, OK, OK),
    ("staff_b", NOT_FOUND, NOT_FOUND, OK),
    ("county_admin_a", NOT_FOUND, NOT_FOUND, OK),
    ("juror", NOT_FOUND, NOT_FOUND, FORBIDDEN),
])
def test_pages_before_publication(client_as, people, computed, who, awards, published, payouts):
    client = client_as(people[who] if who else None)
    assert client.get(f"/roadshows/{computed.pk}/awards/").status_code == awards
    assert client.get(f"/roadshows/{computed.pk}/awards/job/").status_code == awards
    assert client.get(f"/roadshows/{computed.pk}/published/").status_code == published
    assert client.get("/payouts/").status_code == payouts


def test_a_juror_of_the_roadshow_sees_neither_the_awards_page_nor_unpublished_results(client_as, computed, closed_show):
    client = client_as(closed_show.jurors[0])
    assert client.get(f"/roadshows/{computed.pk}/awards/").status_code == 403
    assert client.get(f"/roadshows/{computed.pk}/published/").status_code == 403


@pytest.mark.parametrize("who", ["staff_a", "staff_b", "county_admin_b"])
def test_during_publicity_every_union_reads_the_results_but_not_the_admin_page(client_as, people, publicity, who):
    client = client_as(people[who])
    response = client.get(f"/roadshows/{publicity.pk}/published/")
    assert response.status_code == 200 and 'data-testid="public-ranking"' in response.content.decode()
    assert client.get(f"/roadshows/{publicity.pk}/awards/").status_code == 403


@pytest.mark.parametrize("path", ["/roadshows/{pk}/awards/compute/", "/roadshows/{pk}/awards/finalize/",
                                  "/roadshows/{pk}/awards/publicize/", "/roadshows/{pk}/awards/preview/",
                                  "/roadshows/{pk}/awards/tiers/", "/roadshows/{pk}/awards/reopen/"])
def test_staff_cannot_post_admin_steps(client_as, people, publicity, path):
    response = client_as(people["staff_a"]).post(path.format(pk=publicity.pk), {"days": "3", "reason": "x"})
    assert response.status_code == 403
    publicity.refresh_from_db()
    assert publicity.status == "publicity"


# --- 公示 and objections -----------------------------------------------------------------------


def test_staff_files_an_objection_during_publicity(client_as, people, publicity, closed_show):
    client = client_as(people["staff_b"])
    page = client.get(f"/roadshows/{publicity.pk}/published/").content.decode()
    assert 'data-testid="objection-form"' in page
    entry = closed_show.entries[1]
    response = client.post(f"/roadshows/{publicity.pk}/published/objections/", {"entry": entry.pk, "text": "请复核"})
    assert response.status_code == 302
    objection = Objection.objects.get()
    assert (objection.entry, objection.union, objection.text) == (entry, people["staff_b"].union, "请复核")
    # Their own objection is listed for them, not for another union's staff.
    assert "请复核" in client.get(f"/roadshows/{publicity.pk}/published/").content.decode()
    assert "请复核" not in client_as(people["staff_a"]).get(f"/roadshows/{publicity.pk}/published/").content.decode()


def test_an_empty_objection_is_refused_with_a_message(client_as, people, publicity, closed_show):
    response = client_as(people["staff_b"]).post(f"/roadshows/{publicity.pk}/published/objections/",
                                                 {"entry": closed_show.entries[0].pk, "text": ""})
    assert response.status_code == 400 and not Objection.objects.exists()


@pytest.mark.parametrize("who", ["admin", "county_admin_a"])
def test_an_admin_may_not_file_an_objection_even_with_an_empty_form(client_as, admin, people, publicity, who,
                                                                    closed_show):
    """Permission before the form: the answer is 403 whether or not the form is filled in."""
    client = client_as(admin if who == "admin" else people[who])
    url = f"/roadshows/{publicity.pk}/published/objections/"
    assert client.post(url, {}).status_code == 403
    assert client.post(url, {"entry": closed_show.entries[0].pk, "text": "请复核"}).status_code == 403
    assert not Objection.objects.exists()


def test_after_finalize_no_objection_form_and_the_list_is_the_award_list(client_as, people, finalized, closed_show):
    page = client_as(people["staff_a"]).get(f"/roadshows/{finalized.pk}/published/").content.decode()
    assert "获奖名单" in page and 'data-testid="objection-form"' not in page
    response = client_as(people["staff_a"]).post(f"/roadshows/{finalized.pk}/published/objections/",
                                                 {"entry": closed_show.entries[0].pk, "text": "晚了"}, follow=True)
    assert "只能在结果公示期间提出异议" in response.content.decode() and not Objection.objects.exists()


def test_the_applicant_sees_its_tier_on_its_project_page(client_as, people, finalized, closed_show):
    project = closed_show.entries[0].project  # of 江阴 (county_a): 一等
    page = client_as(people["staff_a"]).get(f"/projects/{project.pk}/").content.decode()
    assert 'data-testid="project-tier">一等' in page and "10,000.00" in page


# --- payouts --------------------------------------------------------------------------------


def test_payouts_move_through_approve_then_paid_and_paid_first_is_refused(client_as, admin, finalized):
    client = client_as(admin)
    payout = Payout.objects.filter(roadshow=finalized).order_by("result__rank").first()
    response = client.post(f"/payouts/{payout.pk}/mark-paid/", follow=True)
    assert "补贴尚未审批" in response.content.decode()
    assert Payout.objects.get(pk=payout.pk).status == "pending"
    client.post(f"/payouts/{payout.pk}/approve/")
    assert Payout.objects.get(pk=payout.pk).status == "approved"
    client.post(f"/payouts/{payout.pk}/mark-paid/")
    assert Payout.objects.get(pk=payout.pk).status == "paid"
    page = client.get(f"/payouts/?campaign={finalized.campaign_id}&status=paid").content.decode()
    assert page.count("data-payout=") == 1


def test_staff_see_their_union_payouts_without_buttons_and_cannot_approve(client_as, people, finalized):
    client = client_as(people["staff_a"])
    page = client.get("/payouts/").content.decode()
    assert page.count("data-payout=") == 3 and 'data-testid="approve"' not in page
    payout = Payout.objects.filter(roadshow=finalized).first()
    assert client.post(f"/payouts/{payout.pk}/approve/").status_code == 403
    assert client_as(people["staff_b"]).post(f"/payouts/{payout.pk}/approve/").status_code == 404
    assert Payout.objects.get(pk=payout.pk).status == "pending"


def test_county_admins_see_the_payouts_of_their_county_on_the_page_and_in_the_api(client_as, people, finalized):
    """The page and the API give a county admin the same rows: the payouts of projects filed in
    the county's subtree, read-only; another county's admin sees none of them."""
    ours = Payout.objects.filter(roadshow=finalized, project__applicant_union__path__startswith=people[
        "county_admin_a"].union.path).count()
    assert ours > 0
    for who, expected in (("county_admin_a", ours), ("county_admin_b", Payout.objects.filter(
            roadshow=finalized, project__applicant_union__path__startswith=people["county_admin_b"].union.path).count())):
        client = client_as(people[who])
        page = client.get("/payouts/").content.decode()
        assert page.count("data-payout=") == expected and 'data-testid="approve"' not in page
        api = client.get("/api/v1/payouts/")
        assert api.status_code == 200 and api.json()["count"] == expected
    payout = Payout.objects.filter(roadshow=finalized, project__applicant_union__path__startswith=people[
        "county_admin_a"].union.path).first()
    assert client_as(people["county_admin_a"]).post(f"/payouts/{payout.pk}/approve/").status_code == 403
    assert client_as(people["county_admin_b"]).post(f"/payouts/{payout.pk}/approve/").status_code == 404
    assert Payout.objects.get(pk=payout.pk).status == "pending"


@pytest.mark.parametrize("query", ["?campaign=abc&status=nope", "?page=999", "?page=-1&campaign=99999999999999999999"])
def test_odd_payout_filters_are_not_an_error(client_as, admin, finalized, query):
    assert client_as(admin).get(f"/payouts/{query}").status_code == 200


# --- unit ranking ---------------------------------------------------------------------------


def test_the_unit_ranking_page_computes_and_shows_the_year(client_as, admin, people, finalized,
                                                           django_capture_on_commit_callbacks):
    year = finalized.campaign.year
    client = client_as(admin)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post("/unit-rankings/compute/", {"year": year}).status_code == 302
    page = client.get(f"/unit-rankings/?year={year}").content.decode()
    assert 'data-testid="unit-ranking"' in page and "江阴" in page and 'data-testid="job-progress"' in page
    staff_page = client_as(people["staff_a"]).get(f"/unit-rankings/?year={year}").content.decode()
    assert "江阴" in staff_page and 'data-testid="rank-compute"' not in staff_page
    assert client_as(people["staff_a"]).post("/unit-rankings/compute/", {"year": year}).status_code == 403
    assert client.get("/unit-rankings/?year=abc").status_code == 200


# --- query counts ---------------------------------------------------------------------------


def _finalised_roadshow(admin, tree, n, capture):
    campaign = CampaignFactory(owner_union=tree["city"])
    roadshow = ScoredRoadshowFactory(actor=admin, campaign=campaign, union=tree["county_a"],
                                     totals=[["90", "80", "70"]] * n, title=f"路演{n}").roadshow
    award_services.save_tiers(actor=admin, roadshow=roadshow, tiers=[{"name": "一等", "quota_percent": "50",
                                                               "amount": "100"}])
    with capture(execute=True):
        award_services.request_compute(actor=admin, roadshow=roadshow)
    award_services.publicize(actor=admin, roadshow=roadshow, days=5)
    return roadshow


def _count(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


def test_awards_pages_cost_the_same_queries_for_3_and_30_entries(client_as, admin, people, tree,
                                                                 django_capture_on_commit_callbacks, settings):
    settings.OBJECTION_RATE_LIMIT = 0  # one user objects to 33 entries here
    small = _finalised_roadshow(admin, tree, 3, django_capture_on_commit_callbacks)
    big = _finalised_roadshow(admin, tree, 30, django_capture_on_commit_callbacks)
    for roadshow in (small, big):
        for entry in roadshow.entries.all():
            award_services.file_objection(actor=people["staff_b"], roadshow=roadshow, entry=entry, text="复核")
    admin_client, staff_client = client_as(admin), client_as(people["staff_b"])
    for path in ("/roadshows/{pk}/awards/", "/roadshows/{pk}/published/"):
        assert _count(admin_client, path.format(pk=small.pk)) == _count(admin_client, path.format(pk=big.pk)), path
    assert (_count(staff_client, f"/roadshows/{small.pk}/published/")
            == _count(staff_client, f"/roadshows/{big.pk}/published/"))
    for roadshow in (small, big):
        for objection in roadshow.objections.all():
            award_services.answer_objection(actor=admin, objection=objection, answer="已复核")
        award_services.finalize(actor=admin, roadshow=roadshow)
    assert (_count(admin_client, f"/payouts/?campaign={small.campaign_id}")
            == _count(admin_client, f"/payouts/?campaign={big.campaign_id}"))
