"""A campaign's rubrics through the API: ``GET|POST /api/v1/campaigns/{id}/rubrics/``, and a
roadshow created for a category scoring on that category's rubric — issue 3 ("a campaign can
give a category its own rubric")."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from evaluations import services
from evaluations.models import Rubric
from tests.factories import AdminFactory, CampaignFactory

pytestmark = pytest.mark.django_db

CRITERIA = [{"name": "政治引领", "max_points": "40", "description": "看方向"},
            {"name": "职工参与", "max_points": "60"}]


def url(campaign_pk):
    return f"/api/v1/campaigns/{campaign_pk}/rubrics/"


def make_rubric(admin, campaign, category=None, name="思政类评分标准"):
    return services.create_rubric(actor=admin, campaign=campaign, name=name, category=category, criteria=CRITERIA)


def test_admin_gives_a_category_its_own_rubric(admin_api, campaign):
    category = campaign.categories[0]

    response = admin_api.post(url(campaign.pk), {"name": "思政类评分标准", "category": category,
                                                 "criteria": CRITERIA}, format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["name"] == "思政类评分标准" and body["category"] == category
    assert [(c["name"], c["max_points"], c["description"], c["order"]) for c in body["criteria"]] == [
        ("政治引领", "40.0", "看方向", 1), ("职工参与", "60.0", "", 2)]
    assert Rubric.objects.get(pk=body["id"]).campaign == campaign


def test_a_rubric_without_category_is_the_campaigns_own(admin_api, campaign):
    response = admin_api.post(url(campaign.pk), {"name": "本年度评分标准", "criteria": CRITERIA}, format="json")

    assert response.status_code == 201, response.content
    assert response.json()["category"] is None


def test_list_shows_the_campaigns_own_rubric_first_then_the_categories(admin_api, people, campaign):
    make_rubric(people["admin"], campaign, category=campaign.categories[1], name="B")
    make_rubric(people["admin"], campaign, name="own")

    response = admin_api.get(url(campaign.pk))

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert [(r["name"], r["category"]) for r in body["results"]] == [("own", None), ("B", campaign.categories[1])]
    assert set(body["results"][0]) == {"id", "name", "category", "criteria"}
    assert set(body["results"][0]["criteria"][0]) == {"id", "name", "description", "max_points", "order"}


def test_another_campaigns_rubrics_are_not_listed(admin_api, people, tree, campaign):
    other = CampaignFactory(owner_union=tree["city"])
    make_rubric(people["admin"], other)

    assert admin_api.get(url(campaign.pk)).json()["count"] == 0


@pytest.mark.parametrize("who", ["staff_a", "county_admin_a", "juror"])
def test_only_the_campaigns_admin_may_read_or_add_rubrics(api_as, people, campaign, who):
    client = api_as(people[who])

    assert client.get(url(campaign.pk)).status_code == 403
    assert client.post(url(campaign.pk), {"name": "x", "criteria": CRITERIA}, format="json").status_code == 403
    assert not Rubric.objects.filter(campaign=campaign).exists()


def test_an_admin_of_another_union_is_refused_before_the_body_is_read(api_as, tree, campaign):
    client = api_as(AdminFactory(username="admin_a", union=tree["county_a"]))

    assert client.post(url(campaign.pk), {"criteria": "nonsense"}, format="json").status_code == 403


def test_anonymous_is_refused(api_as, campaign):
    assert api_as(None).get(url(campaign.pk)).status_code in (401, 403)


@pytest.mark.parametrize("pk", [999999, 0, 2**63])
def test_an_unknown_campaign_is_404(admin_api, pk):
    assert admin_api.get(url(pk)).status_code == 404
    assert admin_api.post(url(pk), {"name": "x", "criteria": CRITERIA}, format="json").status_code == 404


@pytest.mark.parametrize(("body", "field"), [
    ({"name": "x", "criteria": []}, "criteria"),
    ({"name": "x"}, "criteria"),
    ({"criteria": CRITERIA}, "name"),
    ({"name": "  ", "criteria": CRITERIA}, "name"),
    ({"name": "x", "criteria": [{"name": "a", "max_points": "0"}]}, "criteria"),
    ({"name": "x", "criteria": [{"name": "a", "max_points": "12.34"}]}, "criteria"),
    ({"name": "x", "criteria": [{"name": "a", "max_points": "abc"}]}, "criteria"),
    ({"name": "x", "criteria": [{"name": "a", "max_points": "10"}, {"name": "a", "max_points": "10"}]}, "criteria"),
    ({"name": "x", "criteria": [{"max_points": "10"}]}, "criteria"),
    ({"name": "x", "criteria": "组织管理"}, "criteria"),
    ({"name": "x", "category": "没有这个领域", "criteria": CRITERIA}, "category"),
])
def test_bad_rubrics_are_400_naming_the_field(admin_api, campaign, body, field):
    response = admin_api.post(url(campaign.pk), body, format="json")

    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not Rubric.objects.filter(campaign=campaign).exists()


@pytest.mark.parametrize("category", [None, 0])
def test_a_second_rubric_for_the_same_scope_is_400(admin_api, people, campaign, category):
    category = None if category is None else campaign.categories[category]
    make_rubric(people["admin"], campaign, category=category)

    response = admin_api.post(url(campaign.pk), {"name": "again", "category": category, "criteria": CRITERIA},
                              format="json")

    assert response.status_code == 400
    assert "category" in response.json()
    assert Rubric.objects.filter(campaign=campaign).count() == 1


def test_a_roadshow_created_for_a_category_scores_on_that_categorys_rubric(admin_api, people, campaign):
    make_rubric(people["admin"], campaign, name="own", category=None)
    make_rubric(people["admin"], campaign, category=campaign.categories[2], name="维权类")
    services.create_rubric(actor=people["admin"], campaign=campaign, name="own-b", category=campaign.categories[0],
                           criteria=[{"name": "别的", "max_points": "100"}])

    response = admin_api.post("/api/v1/roadshows/", {"campaign": campaign.pk, "title": "维权类路演",
                                                     "date": "2026-06-01", "category": campaign.categories[2]},
                              format="json")

    assert response.status_code == 201, response.content
    assert [(c["name"], c["max_points"]) for c in response.json()["criteria"]] == [("政治引领", "40.0"),
                                                                                  ("职工参与", "60.0")]


def test_a_roadshow_for_a_category_without_its_own_rubric_uses_the_campaigns(admin_api, people, campaign):
    services.create_rubric(actor=people["admin"], campaign=campaign, name="own",
                           criteria=[{"name": "综合", "max_points": "100"}])

    response = admin_api.post("/api/v1/roadshows/", {"campaign": campaign.pk, "title": "路演", "date": "2026-06-01",
                                                     "category": campaign.categories[3]}, format="json")

    assert response.status_code == 201, response.content
    assert [c["name"] for c in response.json()["criteria"]] == ["综合"]


def test_a_roadshow_for_an_unknown_category_is_400(admin_api, campaign):
    response = admin_api.post("/api/v1/roadshows/", {"campaign": campaign.pk, "title": "路演", "date": "2026-06-01",
                                                     "category": "没有这个领域"}, format="json")

    assert response.status_code == 400
    assert "category" in response.json()


def test_the_category_of_a_roadshow_cannot_be_changed_later(admin_api, people, campaign):
    created = admin_api.post("/api/v1/roadshows/", {"campaign": campaign.pk, "title": "路演", "date": "2026-06-01"},
                             format="json").json()

    response = admin_api.patch(f"/api/v1/roadshows/{created['id']}/", {"category": campaign.categories[0]},
                               format="json")

    assert response.status_code == 400
    assert "category" in response.json()


def _list_queries(client, campaign):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url(campaign.pk))
    assert response.status_code == 200
    return len(ctx)


def test_the_rubric_list_runs_the_same_queries_for_1_and_10_rubrics(admin_api, people, tree):
    one = CampaignFactory(owner_union=tree["city"], categories=["c0"])
    ten = CampaignFactory(owner_union=tree["city"], categories=[f"c{i}" for i in range(9)])
    make_rubric(people["admin"], one)
    make_rubric(people["admin"], ten)
    for i in range(9):
        make_rubric(people["admin"], ten, category=f"c{i}", name=f"r{i}")

    assert admin_api.get(url(ten.pk)).json()["count"] == 10
    assert _list_queries(admin_api, one) == _list_queries(admin_api, ten)
