"""The input rules of unionproj/inputs.py in the pages (docs/SECURITY.md, "Issue 13 item 5",
"Issue 21 items 6 and 7"): the same answers as the API (tests/unionproj/test_inputs_api.py) where the
page and the API share a validator, a form error where they do not."""

from decimal import Decimal
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from exports.writers import _csv_cells, neutralise
from evaluations.models import Score, Scorecard
from awards.models import TierRule
from projects.models import Campaign, Project
from tests.projects.pages.test_campaign_pages import _form as campaign_form
from unionproj.inputs import clean_text, parse_decimal, parse_id

from .world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def card(scoring):
    return Scorecard.objects.filter(entry__roadshow=scoring).select_related("juror").first()


def _autosave(client_for, card, value):
    criterion = card.entry.roadshow.rubric.criteria.first()
    response = client_for(card.juror).post(reverse("evaluations:card-autosave", args=[card.pk]),
                                           {f"c{criterion.pk}": value}, HTTP_HX_REQUEST="true")
    return response, criterion


@pytest.mark.parametrize("value", ["１２", "٣", "２５.５", "²"])
def test_a_score_typed_in_digits_that_are_not_ascii_is_refused_on_the_card_page(client_for, card, value):
    response, criterion = _autosave(client_for, card, value)
    assert response.status_code == 200
    assert criterion.name in response.content.decode()  # the message names the criterion
    assert not Score.objects.filter(card=card).exists()


def test_a_score_of_minus_zero_is_saved_as_zero_on_the_card_page(client_for, card):
    _response, criterion = _autosave(client_for, card, "-0")
    stored = Score.objects.get(card=card, criterion=criterion).value
    assert stored == 0 and not stored.is_signed()


@pytest.mark.parametrize("value", ["１２", "٣"])
def test_money_typed_in_digits_that_are_not_ascii_is_a_form_error(client_for, people, tree, campaign, value):
    response = client_for(people["admin"]).post(reverse("campaigns:edit", args=[campaign.pk]),
                                                campaign_form(tree, budget=value))
    assert response.status_code == 200
    assert "请使用半角数字 0–9 填写。" in response.content.decode()
    assert Campaign.objects.get(pk=campaign.pk).budget != Decimal(value.translate(str.maketrans("１２٣", "123")))


def test_money_of_minus_zero_is_saved_as_zero_on_the_page(client_for, people, tree, campaign):
    response = client_for(people["admin"]).post(reverse("campaigns:edit", args=[campaign.pk]),
                                                campaign_form(tree, budget="-0.00"))
    assert response.status_code == 302
    assert not Campaign.objects.get(pk=campaign.pk).budget.is_signed()


@pytest.mark.parametrize("count", ["２", str(2**31), str(10**30)])
def test_a_tier_count_that_is_not_an_ascii_count_is_refused_on_the_awards_page(client_for, people, tree, campaign,
                                                                                count):
    world = build_world(people, tree, campaign)
    live = world["live"]
    body = {"tiers-TOTAL_FORMS": "1", "tiers-INITIAL_FORMS": "0", "tiers-0-name": "一等奖",
            "tiers-0-quota_count": count, "tiers-0-amount": "1000", "budget_policy": "scale"}
    response = client_for(people["admin"]).post(reverse("evaluations:awards-tiers", args=[live.pk]), body)
    assert response.status_code == 400
    # 10^30 is longer than the field itself takes (the formset's error); the others reach the rule
    assert len(count) > 12 or "“一等奖”的名额须为正整数。" in response.content.decode()
    assert not TierRule.objects.filter(roadshow=live).exists()


def test_bidi_controls_are_stripped_from_a_title_typed_in_the_page(client_for, people, tree, campaign):
    staff = people["staff_a1"]
    response = client_for(staff).post(
        reverse("projects:create") + f"?campaign={campaign.pk}",
        {"title": "\u202e职工书屋\u2069", "category": campaign.categories[0], "summary": "摘要",
         "contact_name": "张三\u2066", "contact_phone": "13800000000", "budget_requested": "1000"})
    assert response.status_code == 302, response.content.decode()[:2000]
    project = Project.objects.get(applicant_union=staff.union)
    assert (project.title, project.contact_name) == ("职工书屋", "张三")


def test_a_nul_in_a_page_form_or_query_is_refused(client_for, people, tree, campaign):
    client = client_for(people["admin"])
    assert client.get("/unions/", {"q": "a\x00"}).status_code == 400
    url = reverse("campaigns:edit", args=[campaign.pk])
    form_encoded = client.post(url, urlencode(campaign_form(tree, title="a\x00")),
                               content_type="application/x-www-form-urlencoded")
    assert form_encoded.status_code == 400
    multipart = client.post(url, campaign_form(tree, title="a\x00"))  # the form refuses it (Django's CharField)
    assert multipart.status_code == 200
    assert "\x00" not in Campaign.objects.get(pk=campaign.pk).title
    assert client.get("/projects/%00/").status_code == 404


@pytest.mark.parametrize("text", ["＝HYPERLINK(\"http://x\")", "＋1", "－1", "＠SUM(A1)"])
def test_a_full_width_formula_sign_at_the_start_of_an_exported_cell_is_neutralised(text):
    assert neutralise(text) == "'" + text
    assert _csv_cells([text]) == ["'" + text]


def test_the_parsers_say_what_they_accept():
    assert parse_id("12") == 12 and parse_id("²") is None and parse_id("１２") is None
    assert parse_id(str(2**63)) is None and parse_id(str(2**63 - 1)) == 2**63 - 1 and parse_id("0") is None
    assert str(parse_decimal("-0.0")) == "0.0" and parse_decimal(" 12.5 ") == Decimal("12.5")
    for bad in ["１２", "٣", "1e3", "NaN", "", None, True, "1.2.3"]:
        with pytest.raises(ValueError):
            parse_decimal(bad)
    assert clean_text("a\u202ab\u202bc\u202cd\u202de\u202ef\u2066g\u2067h\u2068i\u2069") == "abcdefghi"
