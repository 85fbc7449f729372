"""Roadshows through the API: create with the default or own rubric, read as who may, change
settings, start and close — API.md "Evaluations"."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from evaluations import services
from evaluations.enums import RoadshowStatus
from evaluations.models import Roadshow
from tests.factories import AdminFactory, CampaignFactory, JurorFactory, RoadshowFactory, StaffFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/roadshows/"
BODY = {"title": "2026年度路演展评", "date": "2026-06-01", "venue": "市职工服务中心"}


def test_admin_creates_a_roadshow_with_the_default_rubric(admin_api, campaign):
    response = admin_api.post(URL, {**BODY, "campaign": campaign.pk}, format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) >= {"id", "campaign", "title", "date", "venue", "aggregation", "live", "criteria", "tiers",
                         "budget_policy", "status"}
    assert body["status"] == "setup" and body["aggregation"] == "trimmed_mean" and body["live"] is False
    assert body["budget_policy"] == "scale" and body["tiers"] == []
    assert [(c["name"], c["max_points"], c["order"]) for c in body["criteria"]] == [
        ("组织管理", "25.0", 1), ("创新程度", "25.0", 2), ("工作成效", "30.0", 3), ("可复制性", "20.0", 4)]
    assert Roadshow.objects.get(pk=body["id"]).created_by.username == "admin1"


def test_admin_creates_a_live_roadshow_with_its_own_criteria(admin_api, campaign):
    criteria = [{"name": "创新性", "max_points": "60"}, {"name": "实效性", "max_points": 40, "description": "看成效"}]
    response = admin_api.post(URL, {**BODY, "campaign": campaign.pk, "criteria": criteria, "aggregation": "zscore",
                                    "live": True, "tiers": []}, format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["live"] is True and body["aggregation"] == "zscore"
    assert [(c["name"], c["max_points"]) for c in body["criteria"]] == [("创新性", "60.0"), ("实效性", "40.0")]


@pytest.mark.parametrize("field, value", [
    ("aggregation", "median"), ("budget_policy", "nope"), ("date", "2026-02-30"), ("title", ""),
    ("criteria", [{"name": "创新性", "max_points": "0"}]), ("criteria", [{"name": "", "max_points": "10"}]),
    ("criteria", [{"name": "A", "max_points": "10"}, {"name": "A", "max_points": "10"}]),
    ("criteria", [{"name": "A", "max_points": "10.25"}]), ("criteria", "组织管理"),
    ("tiers", [{"name": "一等", "amount": "50000"}]), ("campaign", 10**30), ("campaign", "abc"),
])
def test_a_bad_roadshow_is_refused_naming_the_field(admin_api, campaign, field, value):
    response = admin_api.post(URL, {**BODY, "campaign": campaign.pk, field: value}, format="json")

    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not Roadshow.objects.exists()


@pytest.mark.parametrize("who", ["juror", "staff_a", "county_admin_a"])
def test_only_an_admin_creates_a_roadshow(api_as, people, campaign, who):
    response = api_as(people[who]).post(URL, {"campaign": campaign.pk}, format="json")

    assert response.status_code == 403
    assert not Roadshow.objects.exists()


def test_an_admin_of_another_federation_cannot_create_a_roadshow_for_this_campaign(api_as, campaign):
    stranger = AdminFactory(username="other_city_admin")
    response = api_as(stranger).post(URL, {**BODY, "campaign": campaign.pk}, format="json")
    assert response.status_code == 403


def test_anonymous_is_401(api_as, roadshow):
    client = api_as(None)
    assert client.get(URL).status_code == 401
    assert client.get(f"{URL}{roadshow.pk}/").status_code == 401
    assert client.post(URL, {}, format="json").status_code == 401


def test_who_sees_which_roadshow(api_as, people, roadshow, jurors, campaign):
    other = Roadshow.objects.create(campaign=CampaignFactory(), title="别处的路演", date="2026-05-01",
                                    rubric=roadshow.rubric)
    outsider = JurorFactory(username="juror_elsewhere")

    def listed(user):
        return {r["id"] for r in api_as(user).get(URL).json()["results"]}

    assert listed(people["admin"]) == {roadshow.pk}
    assert listed(jurors[0]) == {roadshow.pk}
    assert listed(outsider) == set()
    assert listed(people["staff_a"]) == set()
    assert api_as(outsider).get(f"{URL}{roadshow.pk}/").status_code == 404
    assert api_as(people["staff_a"]).get(f"{URL}{roadshow.pk}/").status_code == 404
    assert api_as(people["admin"]).get(f"{URL}{other.pk}/").status_code == 404
    assert api_as(jurors[0]).get(f"{URL}{roadshow.pk}/").json()["title"] == roadshow.title


def test_staff_see_a_roadshow_once_its_results_are_published(api_as, people, roadshow):
    Roadshow.objects.filter(pk=roadshow.pk).update(status=RoadshowStatus.PUBLICITY)
    assert api_as(people["staff_b"]).get(f"{URL}{roadshow.pk}/").status_code == 200


@pytest.mark.parametrize("pk", ["0", "99999999999999999999999", "abc", "1.5", "-1"])
def test_odd_ids_are_not_found(admin_api, roadshow, pk):
    response = admin_api.get(f"{URL}{pk}/")
    assert response.status_code == 404


def test_list_filters_by_campaign_and_status_and_refuses_odd_values(admin_api, roadshow, campaign):
    assert admin_api.get(f"{URL}?campaign={campaign.pk}").json()["count"] == 1
    assert admin_api.get(f"{URL}?campaign={campaign.pk + 1}").json()["count"] == 0
    assert admin_api.get(f"{URL}?status=scoring").json()["count"] == 0
    for value in ["abc", "9" * 40, "-1"]:
        assert admin_api.get(f"{URL}?campaign={value}").status_code == 400
    assert admin_api.get(f"{URL}?status=nope").status_code == 400


def test_list_query_count_does_not_grow_with_roadshows(admin_api, people, campaign):
    def make(n):
        for i in range(n):
            services.create_roadshow(actor=people["admin"], campaign=campaign, title=f"路演{i}", date="2026-06-01")

    make(1)
    with CaptureQueriesContext(connection) as one:
        assert admin_api.get(URL).json()["count"] == 1
    make(29)
    with CaptureQueriesContext(connection) as thirty:
        assert admin_api.get(URL).json()["count"] == 30
    assert len(one) == len(thirty)


# --- PATCH ----------------------------------------------------------------------------------


def test_admin_changes_the_settings_in_setup(admin_api, roadshow):
    response = admin_api.patch(f"{URL}{roadshow.pk}/", {"title": "改名", "live": True, "aggregation": "mean"},
                               format="json")
    assert response.status_code == 200, response.content
    assert response.json()["title"] == "改名" and response.json()["live"] is True
    roadshow.refresh_from_db()
    assert roadshow.aggregation == "mean"


def test_live_mode_cannot_be_switched_once_scoring_started(admin_api, scoring):
    response = admin_api.patch(f"{URL}{scoring.pk}/", {"live": True}, format="json")
    assert response.status_code == 409
    assert response.json()["state"] == "scoring"


def test_criteria_and_campaign_are_fixed_after_creation(admin_api, roadshow):
    response = admin_api.patch(f"{URL}{roadshow.pk}/", {"criteria": [], "campaign": 1}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"criteria", "campaign"}


@pytest.mark.parametrize("field, value", [("aggregation", "x"), ("title", ""), ("date", "x"), ("live", "maybe")])
def test_a_bad_patch_is_400(admin_api, roadshow, field, value):
    response = admin_api.patch(f"{URL}{roadshow.pk}/", {field: value}, format="json")
    assert response.status_code == 400
    assert field in response.json()


def test_a_juror_cannot_patch_and_put_is_not_offered(api_as, admin_api, roadshow, jurors):
    assert api_as(jurors[0]).patch(f"{URL}{roadshow.pk}/", {"title": "x"}, format="json").status_code == 403
    assert admin_api.put(f"{URL}{roadshow.pk}/", {"title": "x"}, format="json").status_code == 405


# --- start / close --------------------------------------------------------------------------


def test_admin_starts_and_closes_the_roadshow(admin_api, roadshow):
    response = admin_api.post(f"{URL}{roadshow.pk}/start/")
    assert response.status_code == 200 and response.json()["status"] == "scoring"
    assert roadshow.entries.first().cards.count() == 3

    assert admin_api.post(f"{URL}{roadshow.pk}/start/").status_code == 409
    response = admin_api.post(f"{URL}{roadshow.pk}/close/", {"override_reason": "本测试不涉及法定数"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "closed"
    again = admin_api.post(f"{URL}{roadshow.pk}/close/")
    assert again.status_code == 409
    assert set(again.json()) == {"detail", "state"} and again.json()["state"] == "closed"


def test_close_before_start_is_409(admin_api, roadshow):
    response = admin_api.post(f"{URL}{roadshow.pk}/close/")
    assert response.status_code == 409 and response.json()["state"] == "setup"


def test_start_without_jurors_is_409(admin_api, people, campaign, entries_projects):
    empty = RoadshowFactory(actor=people["admin"], campaign=campaign, projects=entries_projects, jurors=[])
    assert admin_api.post(f"{URL}{empty.pk}/start/").status_code == 409


@pytest.mark.parametrize("action", ["start", "close"])
def test_a_juror_cannot_start_or_close(api_as, roadshow, jurors, action):
    response = api_as(jurors[0]).post(f"{URL}{roadshow.pk}/{action}/")
    assert response.status_code == 403
    roadshow.refresh_from_db()
    assert roadshow.status == "setup"


@pytest.mark.parametrize("action", ["start", "close"])
def test_union_staff_cannot_even_find_the_roadshow(api_as, people, roadshow, action):
    assert api_as(people["staff_a"]).post(f"{URL}{roadshow.pk}/{action}/").status_code == 404
    assert api_as(StaffFactory()).get(f"{URL}{roadshow.pk}/progress/").status_code == 404
