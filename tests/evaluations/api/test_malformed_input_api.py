"""API.md: "Never 500 for any input" — odd values in every field of every evaluations write,
bodies that are not JSON objects, odd ids in URLs and odd query parameters."""

import json

import pytest

from evaluations import services
from evaluations.models import Scorecard

pytestmark = pytest.mark.django_db

ODD_VALUES = [None, True, [], {}, [None], "abc", -1, 0, 10**30, 1.5, "\x00", "\ud800", "9" * 400, {"a": [1]},
              [[["x"]]], "2027-02-30", "NaN", "-Infinity", "1e999999", [{"name": None, "max_points": "NaN"}]]

# name: (who, method, url, fields, valid body)
ENDPOINTS = {
    "roadshow-create": ("admin", "post", "/api/v1/roadshows/",
                        ["campaign", "title", "date", "venue", "aggregation", "live", "budget_policy", "criteria",
                         "tiers"], {"title": "t", "date": "2026-06-01"}),
    "roadshow-patch": ("admin", "patch", "/api/v1/roadshows/{roadshow}/",
                       ["title", "date", "venue", "aggregation", "live", "budget_policy"], {}),
    "entry-add": ("admin", "post", "/api/v1/roadshows/{roadshow}/entries/", ["project"], {}),
    "reorder": ("admin", "post", "/api/v1/roadshows/{roadshow}/entries/reorder/", ["entries"], {}),
    "juror-add": ("admin", "post", "/api/v1/roadshows/{roadshow}/jurors/", ["user", "group"], {}),
    "juror-group": ("admin", "patch", "/api/v1/roadshows/{roadshow}/jurors/{juror}/", ["group"], {}),
    "group-add": ("admin", "post", "/api/v1/roadshows/{roadshow}/groups/", ["name", "weight"], {"name": "g"}),
    "recusal-add": ("admin", "post", "/api/v1/roadshows/{roadshow}/recusals/", ["user", "entry", "reason"],
                    {"reason": "r"}),
    "card-put": ("juror", "put", "/api/v1/scorecards/{card}/", ["scores", "comment"], {}),
    "card-submit": ("juror", "post", "/api/v1/scorecards/{card}/submit/", ["scores", "comment"], {}),
    "card-reopen": ("admin", "post", "/api/v1/scorecards/{card}/reopen/", ["reason"], {}),
}


def _client(api_as, people, jurors, who):
    return api_as(jurors[0] if who == "juror" else people[who])


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_odd_values_in_any_field_are_never_a_500(api_as, people, jurors, campaign, roadshow, jurors_card_urls,
                                                 endpoint):
    who, method, url, fields, valid = ENDPOINTS[endpoint]
    client = _client(api_as, people, jurors, who)
    url = url.format(**jurors_card_urls)
    for field in fields:
        for value in ODD_VALUES:
            body = {"campaign": campaign.pk, **valid, field: value}
            response = getattr(client, method)(url, json.dumps(body), content_type="application/json")
            assert response.status_code < 500, (field, value, response.content)


@pytest.fixture
def jurors_card_urls(request, roadshow, jurors, people):
    """Scorecard endpoints need a started roadshow; setup endpoints a roadshow in setup."""
    if "card" in request.node.callspec.params["endpoint"]:
        services.start_roadshow(actor=people["admin"], roadshow=roadshow)
        card = Scorecard.objects.filter(juror=jurors[0]).first()
        return {"roadshow": roadshow.pk, "juror": jurors[0].pk, "card": card.pk}
    return {"roadshow": roadshow.pk, "juror": jurors[0].pk, "card": 0}


@pytest.mark.parametrize("value", [v for v in ODD_VALUES if v not in (0, 1.5)])
def test_odd_score_values_are_400_never_500(api_as, scoring, jurors, value):
    card = Scorecard.objects.filter(juror=jurors[0]).first()
    criterion = str(scoring.rubric.criteria.first().pk)
    response = api_as(jurors[0]).put(f"/api/v1/scorecards/{card.pk}/", json.dumps({"scores": {criterion: value}}),
                                     content_type="application/json")
    assert response.status_code == 400, (value, response.content)


@pytest.mark.parametrize("body", [
    "{not json", "[1, 2]", "null", "\"text\"", "[" * 100000, '{"title": "\\ud800"}', '{"\\udfff": 1}',
    "\xff\xfe".encode("latin-1"), '{"scores": NaN}', '{"scores": {"1": Infinity}}',
])
@pytest.mark.parametrize("endpoint", ["roadshow-create", "entry-add", "reorder", "recusal-add", "card-put",
                                      "card-submit"])
def test_bodies_that_are_not_a_json_object_are_400(api_as, people, jurors, roadshow, jurors_card_urls, endpoint,
                                                   body):
    who, method, url, _fields, _valid = ENDPOINTS[endpoint]
    response = getattr(_client(api_as, people, jurors, who), method)(
        url.format(**jurors_card_urls), body, content_type="application/json")
    assert response.status_code == 400, response.content


@pytest.mark.parametrize("path", [
    "roadshows/{big}/", "roadshows/{big}/entries/", "roadshows/{r}/entries/{big}/", "roadshows/{r}/entries/{big}/open/",
    "roadshows/{r}/jurors/{big}/", "roadshows/{r}/groups/{big}/", "roadshows/{r}/recusals/{big}/",
    "scorecards/{big}/", "scorecards/{big}/submit/", "scorecards/{big}/reopen/",
])
@pytest.mark.parametrize("method", ["get", "post", "patch", "put", "delete"])
def test_ids_too_big_for_any_row_are_404_or_405(admin_api, roadshow, path, method):
    url = "/api/v1/" + path.format(big="9" * 30, r=roadshow.pk)
    response = getattr(admin_api, method)(url, {}, format="json")
    assert response.status_code in (404, 405), (url, method, response.status_code)


@pytest.mark.parametrize("query", ["page=abc", "page=-1", "page_size=0", "page_size=999999", "roadshow=%00",
                                   "roadshow=%ED%A0%80", "status=%FF"])
def test_odd_query_parameters_are_never_a_500(admin_api, api_as, jurors, scoring, query):
    for client, url in [(admin_api, "/api/v1/roadshows/"), (api_as(jurors[0]), "/api/v1/scorecards/"),
                        (admin_api, f"/api/v1/roadshows/{scoring.pk}/entries/")]:
        assert client.get(f"{url}?{query}").status_code in (200, 400, 404)
