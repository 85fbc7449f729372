"""The 评分标准 page of a campaign (/campaigns/<pk>/rubrics/) and the 领域 choice of the
roadshow creation page — issue 3 ("a campaign can give a category its own rubric")."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from evaluations import services
from evaluations.models import Roadshow, Rubric
from tests.factories import AdminFactory, CampaignFactory

pytestmark = pytest.mark.django_db

CRITERIA = [{"name": "政治引领", "max_points": "40"}, {"name": "职工参与", "max_points": "60"}]


def url(campaign):
    return f"/campaigns/{campaign.pk}/rubrics/"


def rows(*criteria, total=6):
    """The POST data of the criterion rows: ``(name, max points, description)`` then blanks."""
    data = {"criteria-TOTAL_FORMS": str(total), "criteria-INITIAL_FORMS": "0",
            "criteria-MIN_NUM_FORMS": "0", "criteria-MAX_NUM_FORMS": "50"}
    for i, (name, points, description) in enumerate(criteria):
        data.update({f"criteria-{i}-name": name, f"criteria-{i}-max_points": points,
                     f"criteria-{i}-description": description})
    return data


def test_admin_sees_the_campaigns_rubrics_with_their_criteria(client_for, people, campaign):
    services.create_rubric(actor=people["admin"], campaign=campaign, name="思政类评分标准",
                           category=campaign.categories[0], criteria=CRITERIA)

    response = client_for(people["admin"]).get(url(campaign))

    assert response.status_code == 200
    html = response.content.decode()
    assert "思政类评分标准" in html and campaign.categories[0] in html
    assert "政治引领" in html and "40.0" in html and "职工参与" in html
    assert 'data-testid="rubric-default-note"' in html  # no rubric of its own: the default applies


def test_admin_adds_a_rubric_for_a_category_and_blank_rows_are_ignored(client_for, people, campaign):
    category = campaign.categories[1]
    data = {"name": "竞赛类评分标准", "category": category,
            **rows(("组织实施", "50", "赛事组织"), ("", "", ""), ("技能提升", "50", ""))}

    response = client_for(people["admin"]).post(url(campaign), data)

    assert response.status_code == 302 and response.url == url(campaign)
    rubric = Rubric.objects.get(campaign=campaign)
    assert rubric.category == category and rubric.name == "竞赛类评分标准"
    assert [(c.name, str(c.max_points), c.description, c.order) for c in rubric.criteria.all()] == [
        ("组织实施", "50.0", "赛事组织", 1), ("技能提升", "50.0", "", 2)]


def test_admin_adds_the_campaigns_own_rubric(client_for, people, campaign):
    response = client_for(people["admin"]).post(url(campaign), {"name": "本年度", "category": "",
                                                                **rows(("综合", "100", ""))})

    assert response.status_code == 302
    assert Rubric.objects.get(campaign=campaign).category is None


@pytest.mark.parametrize(("data", "message"), [
    ({"name": "x", "category": "", **rows()}, "请至少设置一个评分项"),
    ({"name": "x", "category": "", **rows(("a", "0", ""))}, "满分须为大于 0 的数"),
    ({"name": "x", "category": "", **rows(("a", "12.34", ""))}, "满分须为大于 0 的数"),
    ({"name": "x", "category": "", **rows(("a", "十", ""))}, "满分须为大于 0 的数"),
    ({"name": "x", "category": "", **rows(("a", "10", ""), ("a", "10", ""))}, "重复"),
    ({"name": "x", "category": "", **rows(("", "10", "说明"))}, "缺少名称"),
    ({"name": "", "category": "", **rows(("a", "10", ""))}, "该字段是必填项"),
    ({"name": "x", "category": "没有这个领域", **rows(("a", "10", ""))}, "选择一个有效的选项"),
])
def test_bad_rubrics_are_shown_as_form_errors_and_nothing_is_saved(client_for, people, campaign, data, message):
    response = client_for(people["admin"]).post(url(campaign), data)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Rubric.objects.filter(campaign=campaign).exists()


def test_a_second_rubric_for_the_same_category_is_a_form_error(client_for, people, campaign):
    category = campaign.categories[0]
    services.create_rubric(actor=people["admin"], campaign=campaign, name="a", category=category, criteria=CRITERIA)

    response = client_for(people["admin"]).post(url(campaign), {"name": "b", "category": category,
                                                                **rows(("x", "10", ""))})

    assert response.status_code == 200
    assert "该领域已有评分标准" in response.content.decode()
    assert Rubric.objects.filter(campaign=campaign).count() == 1


@pytest.mark.parametrize("who", ["staff_a", "county_admin_a", "juror"])
def test_only_the_campaigns_admin_may_see_or_add_rubrics(client_for, people, campaign, who):
    client = client_for(people[who])

    assert client.get(url(campaign)).status_code == 403
    assert client.post(url(campaign), {"name": "x", "category": "", **rows(("a", "10", ""))}).status_code == 403
    assert not Rubric.objects.exists()


def test_an_admin_of_another_union_gets_403(client_for, tree, campaign):
    assert client_for(AdminFactory(username="admin_a", union=tree["county_a"])).get(url(campaign)).status_code == 403


def test_an_unknown_campaign_is_404(client_for, people):
    assert client_for(people["admin"]).get("/campaigns/999999/rubrics/").status_code == 404


def test_anonymous_is_sent_to_sign_in(client_for, campaign):
    response = client_for(None).get(url(campaign))

    assert response.status_code == 302 and "login" in response.url


def test_the_roadshow_pages_link_to_the_rubrics(client_for, people, campaign, roadshow):
    client = client_for(people["admin"])

    assert url(campaign) in client.get("/roadshows/new/").content.decode()
    assert url(campaign) in client.get("/roadshows/").content.decode()


def test_a_roadshow_created_for_a_category_uses_that_categorys_rubric(client_for, people, campaign):
    category = campaign.categories[2]
    services.create_rubric(actor=people["admin"], campaign=campaign, name="维权类", category=category,
                           criteria=CRITERIA)
    services.create_rubric(actor=people["admin"], campaign=campaign, name="本年度",
                           criteria=[{"name": "综合", "max_points": "100"}])

    response = client_for(people["admin"]).post("/roadshows/new/", {
        "campaign": campaign.pk, "title": "维权类路演", "date": "2026-06-01", "aggregation": "trimmed_mean",
        "category": category})

    assert response.status_code == 302
    roadshow = Roadshow.objects.get(title="维权类路演")
    assert [c.name for c in roadshow.rubric.criteria.all()] == ["政治引领", "职工参与"]


def test_a_roadshow_created_without_a_category_uses_the_campaigns_own_rubric(client_for, people, campaign):
    services.create_rubric(actor=people["admin"], campaign=campaign, name="本年度",
                           criteria=[{"name": "综合", "max_points": "100"}])

    response = client_for(people["admin"]).post("/roadshows/new/", {
        "campaign": campaign.pk, "title": "路演", "date": "2026-06-01", "aggregation": "trimmed_mean",
        "category": ""})

    assert response.status_code == 302
    assert [c.name for c in Roadshow.objects.get(title="路演").rubric.criteria.all()] == ["综合"]


def test_a_category_of_another_campaign_is_refused_with_a_message(client_for, people, tree, campaign):
    CampaignFactory(owner_union=tree["city"], categories=["只属于另一个年度"])

    response = client_for(people["admin"]).post("/roadshows/new/", {
        "campaign": campaign.pk, "title": "路演", "date": "2026-06-01", "aggregation": "trimmed_mean",
        "category": "只属于另一个年度"}, follow=True)

    assert "不是本年度的领域" in response.content.decode()
    assert not Roadshow.objects.filter(title="路演").exists()


def _page_queries(client, campaign):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url(campaign))
    assert response.status_code == 200
    return len(ctx)


def test_the_rubric_page_runs_the_same_queries_for_1_and_10_rubrics(client_for, people, tree):
    admin = people["admin"]
    one = CampaignFactory(owner_union=tree["city"], categories=["c0"])
    ten = CampaignFactory(owner_union=tree["city"], categories=[f"c{i}" for i in range(9)])
    services.create_rubric(actor=admin, campaign=one, name="own", criteria=CRITERIA)
    services.create_rubric(actor=admin, campaign=ten, name="own", criteria=CRITERIA)
    for i in range(9):
        services.create_rubric(actor=admin, campaign=ten, name=f"r{i}", category=f"c{i}", criteria=CRITERIA)
    client = client_for(admin)
    _page_queries(client, one)  # warm the session and caches

    assert _page_queries(client, one) == _page_queries(client, ten)
