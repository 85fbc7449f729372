"""API.md "Campaigns and projects": /campaigns/."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from members.models import Union
from projects.models import Campaign
from tests.factories import AdminFactory, CampaignFactory

pytestmark = pytest.mark.django_db

DEFAULT_CATEGORIES = ["思想政治引领", "劳动技能竞赛", "维权服务工作", "职工帮扶服务", "工会自身建设"]


def new_campaign(tree, **extra):
    return {"year": 2026, "title": "2026年度无锡市工会创新工作项目", "owner_union": tree["city"].pk,
            "filing_opens": "2026-03-01", "filing_deadline": "2026-04-30", "budget": "1000000.00", **extra}


def test_admin_opens_a_campaign_with_the_default_categories(api_as, people, tree):
    response = api_as(people["admin"]).post("/api/v1/campaigns/", new_campaign(tree), format="json")
    assert response.status_code == 201, response.json()
    campaign = Campaign.objects.get()
    assert response.json() == {
        "id": campaign.pk, "year": 2026, "title": "2026年度无锡市工会创新工作项目", "owner_union": tree["city"].pk,
        "filing_opens": "2026-03-01", "filing_deadline": "2026-04-30", "budget": "1000000.00",
        "categories": DEFAULT_CATEGORIES, "require_recommendation": False, "recommendation_quota": None,
        "progress_report_due": None, "closing_report_due": None, "status": campaign.status,
    }


def test_campaign_with_its_own_categories_and_recommendation(api_as, people, tree):
    body = new_campaign(tree, categories=["工人先锋号", "职工书屋"], require_recommendation=True,
                        recommendation_quota=3, budget="99.5")
    response = api_as(people["admin"]).post("/api/v1/campaigns/", body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["categories"] == ["工人先锋号", "职工书屋"]
    assert response.json()["budget"] == "99.50"
    assert response.json()["recommendation_quota"] == 3


@pytest.mark.parametrize("who", ["staff_a", "county_admin_a", "juror"])
def test_only_admins_open_campaigns(api_as, people, tree, who):
    assert api_as(people[who]).post("/api/v1/campaigns/", new_campaign(tree), format="json").status_code == 403
    assert not Campaign.objects.exists()


@pytest.mark.parametrize("extra, field", [
    ({"filing_deadline": "2026-02-01"}, "filing_deadline"),
    ({"require_recommendation": True}, "recommendation_quota"),
    ({"budget": "-1"}, "budget"),
    ({"budget": "1.234"}, "budget"),
    ({"budget": 1e30}, "budget"),
    ({"owner_union": "abc"}, "owner_union"),
    ({"owner_union": 99999999999999999999}, "owner_union"),
    ({"filing_opens": "2026-02-30"}, "filing_opens"),
    ({"year": 10**20}, "year"),
    ({"categories": "思想政治引领"}, "categories"),
    ({"categories": ["a", "a"]}, "categories"),
])
def test_invalid_campaigns_are_400_naming_the_field(api_as, people, tree, extra, field):
    response = api_as(people["admin"]).post("/api/v1/campaigns/", new_campaign(tree, **extra), format="json")
    assert response.status_code == 400
    assert field in response.json()


def test_everyone_signed_in_reads_campaigns(api_as, people, campaign):
    body = api_as(people["juror"]).get("/api/v1/campaigns/").json()
    assert body["count"] == 1
    assert body["results"][0]["id"] == campaign.pk
    assert body["results"][0]["budget"] == "1000000.00"
    assert body["results"][0]["status"] == "open"
    one = api_as(people["staff_b"]).get(f"/api/v1/campaigns/{campaign.pk}/")
    assert one.status_code == 200 and one.json()["title"] == campaign.title


def test_unknown_campaign_is_404(api_as, people):
    client = api_as(people["admin"])
    assert client.get("/api/v1/campaigns/424242/").status_code == 404
    assert client.get("/api/v1/campaigns/99999999999999999999999/").status_code == 404
    assert client.get("/api/v1/campaigns/abc/").status_code == 404


def test_campaign_admin_changes_the_deadline(api_as, people, campaign):
    deadline = timezone.localdate() + datetime.timedelta(days=60)
    response = api_as(people["admin"]).patch(f"/api/v1/campaigns/{campaign.pk}/",
                                             {"filing_deadline": deadline.isoformat()}, format="json")
    assert response.status_code == 200, response.json()
    campaign.refresh_from_db()
    assert campaign.filing_deadline == deadline


def test_only_the_owner_unions_admins_change_a_campaign(api_as, people, campaign):
    foreign_admin = AdminFactory(union=Union.objects.create(name="苏州市总工会", level="municipal"))
    for user in (foreign_admin, people["staff_a"], people["county_admin_a"]):
        response = api_as(user).patch(f"/api/v1/campaigns/{campaign.pk}/", {"title": "改"}, format="json")
        assert response.status_code == 403
    campaign.refresh_from_db()
    assert campaign.title != "改"


def test_campaigns_cannot_be_put_or_deleted(api_as, people, campaign):
    client = api_as(people["admin"])
    assert client.put(f"/api/v1/campaigns/{campaign.pk}/", {}, format="json").status_code == 405
    assert client.delete(f"/api/v1/campaigns/{campaign.pk}/").status_code == 405


def test_campaign_list_query_count_does_not_grow(api_as, people, tree):
    client = api_as(people["staff_a"])
    CampaignFactory(owner_union=tree["city"])
    with CaptureQueriesContext(connection) as one:
        assert client.get("/api/v1/campaigns/").json()["count"] == 1
    CampaignFactory.create_batch(29, owner_union=tree["city"])
    with CaptureQueriesContext(connection) as thirty:
        assert client.get("/api/v1/campaigns/").json()["count"] == 30
    assert len(thirty) == len(one)
