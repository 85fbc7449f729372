"""The input rules of unionproj/inputs.py in the API (docs/SECURITY.md, "Issue 21 item 6" and
"item 7"): numbers too big for their column, NUL characters, digits that are not ASCII, -0 and
bidirectional controls, each in the request the report named, on SQLite and PostgreSQL."""

import datetime
import json
from decimal import Decimal

import pytest

from evaluations import services as ev
from evaluations.models import Score, Scorecard
from projects.models import Campaign, Project
from tests.factories import JurorFactory, RoadshowFactory, shortlisted
from unionproj.inputs import CleanInputSerializerMixin

pytestmark = pytest.mark.django_db

TOO_BIG = [2**31, 2**63, 10**30]
NOT_ASCII = ["１２", "٣", "１２.５", "²"]


@pytest.fixture
def setup_roadshow(people, campaign, tree):
    return RoadshowFactory(actor=people["admin"], campaign=campaign, projects=[shortlisted(campaign, tree["county_a"])],
                           jurors=[])


@pytest.fixture
def card(people, campaign, tree):
    juror = JurorFactory(username="inputs_juror")
    roadshow = RoadshowFactory(actor=people["admin"], campaign=campaign,
                               projects=[shortlisted(campaign, tree["county_a"])], jurors=[juror])
    ev.start_roadshow(actor=people["admin"], roadshow=roadshow)
    return Scorecard.objects.get(juror=juror)


def _post(client, url, body, method="post"):
    return getattr(client, method)(url, json.dumps(body), content_type="application/json")


def tier(**extra):
    return {"name": "一等奖", "amount": "1000", "quota_count": 1, **extra}


@pytest.mark.parametrize("count", TOO_BIG)
def test_a_quota_count_too_big_for_its_column_is_400_on_create_and_on_put(api_as, people, campaign,
                                                                           setup_roadshow, count):
    client = api_as(people["admin"])
    created = _post(client, "/api/v1/roadshows/", {"campaign": campaign.pk, "title": "路演", "date": "2026-06-01",
                                                   "tiers": [tier(quota_count=count)]})
    assert created.status_code == 400, created.content
    assert "tiers" in created.json()
    put = _post(client, f"/api/v1/roadshows/{setup_roadshow.pk}/tiers/", {"tiers": [tier(quota_count=count)]},
                method="put")
    assert put.status_code == 400, put.content
    # the largest count the column holds is still a count
    ok = _post(client, f"/api/v1/roadshows/{setup_roadshow.pk}/tiers/", {"tiers": [tier(quota_count=2**31 - 1)]},
               method="put")
    assert ok.status_code == 200, ok.content


@pytest.mark.parametrize("where", ["title", "tier name", "venue"])
def test_a_nul_in_any_text_of_a_roadshow_is_400_naming_the_field(api_as, people, campaign, setup_roadshow, where):
    body = {"campaign": campaign.pk, "title": "路演", "date": "2026-06-01", "tiers": [tier()]}
    if where == "tier name":
        body["tiers"] = [tier(name="一等\x00奖")]
        field = "tiers"
    else:
        body[where] = "会\x00场"
        field = where
    response = _post(api_as(people["admin"]), "/api/v1/roadshows/", body)
    assert response.status_code == 400, response.content
    assert field in response.json()
    put = _post(api_as(people["admin"]), f"/api/v1/roadshows/{setup_roadshow.pk}/tiers/",
                {"tiers": [tier(name="一等\x00奖")]}, method="put")
    assert put.status_code == 400
    assert "tiers" in put.json()


@pytest.mark.parametrize("suffix", ["", "download/"])
def test_an_export_job_named_with_a_nul_is_not_found(api_as, people, suffix):
    response = api_as(people["admin"]).get(f"/api/v1/exports/%00/{suffix}")
    assert response.status_code == 404
    assert response.json() == {"detail": "未找到。"}


@pytest.mark.parametrize("value", NOT_ASCII)
def test_a_score_in_digits_that_are_not_ascii_is_refused(api_as, card, value):
    criterion = card.entry.roadshow.rubric.criteria.first()
    response = _post(api_as(card.juror), f"/api/v1/scorecards/{card.pk}/", {"scores": {str(criterion.pk): value}},
                     method="put")
    assert response.status_code == 400, response.content
    assert str(criterion.pk) in response.json()
    assert not Score.objects.filter(card=card).exists()


@pytest.mark.parametrize("value", ["-0", "-0.0", "+0"])
def test_a_score_of_minus_zero_is_stored_and_shown_as_zero(api_as, card, value):
    criterion = card.entry.roadshow.rubric.criteria.first()
    response = _post(api_as(card.juror), f"/api/v1/scorecards/{card.pk}/", {"scores": {str(criterion.pk): value}},
                     method="put")
    assert response.status_code == 200, response.content
    assert response.json()["scores"][str(criterion.pk)] == "0.0"
    stored = Score.objects.get(card=card, criterion=criterion).value
    assert stored == 0 and not stored.is_signed()


@pytest.mark.parametrize("value", NOT_ASCII)
def test_an_amount_in_digits_that_are_not_ascii_is_refused(api_as, people, setup_roadshow, value):
    client = api_as(people["admin"])
    for field in ("amount", "quota_percent", "min_score"):
        body = tier(**{field: value})
        if field == "quota_percent":
            body.pop("quota_count")
        response = _post(client, f"/api/v1/roadshows/{setup_roadshow.pk}/tiers/", {"tiers": [body]}, method="put")
        assert response.status_code == 400, (field, response.content)


@pytest.mark.parametrize("value", ["１２", "٣"])
def test_money_in_digits_that_are_not_ascii_is_refused(api_as, people, tree, campaign, value):
    client = api_as(people["admin"])
    response = _post(client, f"/api/v1/campaigns/{campaign.pk}/", {"budget": value}, method="patch")
    assert response.status_code == 400
    assert "budget" in response.json()
    staff = api_as(people["staff_a1"])
    response = _post(staff, "/api/v1/projects/", {"campaign": campaign.pk, "title": "项目", "category": "工会自身建设",
                                                 "budget_requested": value})
    assert response.status_code == 400
    assert "budget_requested" in response.json()


def test_money_of_minus_zero_is_stored_as_zero(api_as, people, campaign):
    response = _post(api_as(people["admin"]), f"/api/v1/campaigns/{campaign.pk}/", {"budget": "-0.00"},
                     method="patch")
    assert response.status_code == 200, response.content
    assert response.json()["budget"] == "0.00"
    assert not Campaign.objects.get(pk=campaign.pk).budget.is_signed()


@pytest.mark.parametrize("field", ["campaign", "applicant_union"])
@pytest.mark.parametrize("value", ["²", "１２", str(2**63), str(10**30)])
def test_an_id_in_a_query_string_that_is_no_id_is_400(api_as, people, field, value):
    response = api_as(people["admin"]).get("/api/v1/projects/", {field: value})
    assert response.status_code == 400


def test_an_id_too_big_in_a_body_is_400(api_as, people, campaign):
    for value in [2**63, 10**30, "１２"]:
        response = _post(api_as(people["staff_a1"]), "/api/v1/projects/",
                         {"campaign": value, "title": "项目", "category": "工会自身建设"})
        assert response.status_code == 400
        assert "campaign" in response.json()


def test_bidi_controls_are_stripped_from_titles_and_names(api_as, people, campaign):
    spoof = "职工\u202e书屋\u2066\u2069"
    response = _post(api_as(people["staff_a1"]), "/api/v1/projects/",
                     {"campaign": campaign.pk, "title": spoof, "category": "工会自身建设"})
    assert response.status_code == 201, response.content
    assert Project.objects.get(pk=response.json()["id"]).title == "职工书屋"
    response = _post(api_as(people["admin"]), "/api/v1/roadshows/",
                     {"campaign": campaign.pk, "title": "路演\u202a", "date": "2026-06-01",
                      "tiers": [tier(name="\u202b一等奖\u202c")]})
    assert response.status_code == 201, response.content
    assert response.json()["title"] == "路演"
    assert [t["name"] for t in response.json()["tiers"]] == ["一等奖"]


def test_every_serializer_that_reads_input_has_the_input_rules():
    """A new serializer gets the rules by inheriting the mixin; this names one that does not."""
    from rest_framework import serializers

    from tests.security.test_input_bounds import _all_subclasses, our_form_classes

    our_form_classes()  # imports every module of the URL configuration
    ours = ("members.", "projects.", "evaluations.", "dashboards.")
    missing = sorted(f"{cls.__module__}.{cls.__name__}" for cls in _all_subclasses(serializers.Serializer)
                     if cls.__module__.startswith(ours) and not issubclass(cls, CleanInputSerializerMixin))
    assert not missing, f"serializers without unionproj.inputs.CleanInputSerializerMixin: {missing}"


def test_the_date_is_unchanged_by_the_rules(api_as, people, campaign):
    """The rules leave what they do not govern alone (a date, a choice)."""
    response = _post(api_as(people["admin"]), "/api/v1/roadshows/",
                     {"campaign": campaign.pk, "title": "路演", "date": "2026-06-01", "aggregation": "mean"})
    assert response.status_code == 201
    assert response.json()["date"] == str(datetime.date(2026, 6, 1))
    assert Decimal(response.json()["criteria"][0]["max_points"]) == Decimal(25)
