"""API.md: "Never 500 for any input". Odd values in every field of every write, odd query
parameters, bodies that are not JSON objects, too deep or with lone surrogates."""

import json

import pytest

from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db

ODD_VALUES = [None, True, [], {}, [None], "abc", -1, 0, 10**30, 1.5, "\x00", "\ud800", "9" * 400, {"a": [1]},
              [[["x"]]], "2027-02-30", "<script>alert(1)</script>"]
VALID = {"username": "u", "password": "p", "name": "n", "level": "town", "year": 2027, "title": "t",
         "filing_opens": "2027-01-01", "filing_deadline": "2027-02-01", "category": "工会自身建设"}
CAMPAIGN_FIELDS = ["year", "title", "owner_union", "filing_opens", "filing_deadline", "budget", "categories",
                   "require_recommendation", "recommendation_quota"]
ENDPOINTS = {
    # name: (who, method, url, fields)
    "unions": ("admin", "post", "/api/v1/unions/", ["name", "short_name", "level", "parent"]),
    "users": ("admin", "post", "/api/v1/users/",
              ["username", "password", "name", "phone", "union", "roles", "juror_kind"]),
    "campaign-create": ("admin", "post", "/api/v1/campaigns/", CAMPAIGN_FIELDS),
    "campaign-patch": ("admin", "patch", "/api/v1/campaigns/{campaign}/", CAMPAIGN_FIELDS),
    "project-create": ("staff_a1", "post", "/api/v1/projects/",
                       ["campaign", "title", "category", "summary", "budget_requested", "contact_phone"]),
    "project-patch": ("staff_a1", "patch", "/api/v1/projects/{project}/",
                      ["title", "category", "summary", "budget_requested", "campaign"]),
    "reject": ("admin", "post", "/api/v1/projects/{submitted}/reject/", ["reason"]),
    "token": (None, "post", "/api/v1/auth/token/", ["username", "password"]),
}


@pytest.fixture
def urls(tree, campaign):
    return {
        "campaign": campaign.pk,
        "project": ProjectFactory(campaign=campaign, applicant_union=tree["town_a1"]).pk,
        "submitted": ProjectFactory(campaign=campaign, applicant_union=tree["town_a1"], status="submitted").pk,
    }


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_odd_values_in_any_field_are_never_a_500(api_as, people, tree, campaign, urls, endpoint):
    who, method, url, fields = ENDPOINTS[endpoint]
    client = api_as(people[who] if who else None)
    url = url.format(**urls)
    for field in fields:
        for value in ODD_VALUES:
            body = {**VALID, "parent": tree["city"].pk, "owner_union": tree["city"].pk, "campaign": campaign.pk,
                    field: value}
            # json.dumps escapes a lone surrogate as \ud800, as a hostile client would send it
            response = getattr(client, method)(url, json.dumps(body), content_type="application/json")
            assert response.status_code < 500, (field, value, response.content)


@pytest.mark.parametrize("body", [
    "{not json", "[1, 2]", "null", "\"text\"", "[" * 100000, '{"title": "\\ud800"}', '{"\\udfff": 1}',
    "\xff\xfe".encode("latin-1"),
])
@pytest.mark.parametrize("endpoint", ["unions", "campaign-create", "project-create", "project-patch", "reject",
                                      "token"])
def test_bodies_that_are_not_a_json_object_are_400(api_as, people, urls, endpoint, body):
    who, method, url, _fields = ENDPOINTS[endpoint]
    response = getattr(api_as(people[who] if who else None), method)(
        url.format(**urls), body, content_type="application/json")
    assert response.status_code == 400, response.content


@pytest.mark.parametrize("name", ["campaign", "status", "applicant_union", "category", "search", "page", "page_size"])
def test_odd_query_parameters_are_never_a_500(api_as, people, urls, name):
    client = api_as(people["admin"])
    for value in ["abc", "-1", "0", "9" * 40, "%00", "%ud800", "%ED%A0%80", "1e5", "[]", "%FF"]:
        response = client.get(f"/api/v1/projects/?{name}={value}")
        assert response.status_code in (200, 400, 404), (name, value)
