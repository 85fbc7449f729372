"""The county queue explains a row it cannot recommend (issue 20 item 7), in both languages."""

import pytest
from django.conf import settings
from playwright.sync_api import expect

from members.enums import UnionLevel
from projects.enums import ProjectStatus
from tests.factories import PASSWORD, CampaignFactory, CountyAdminFactory, ProjectFactory, UnionFactory

from .browser import login, shot

pytestmark = pytest.mark.e2e


@pytest.fixture
def world(transactional_db):
    city = UnionFactory(name="无锡市总工会", short_name="市总", level=UnionLevel.MUNICIPAL)
    jiangyin = UnionFactory(name="江阴市总工会", short_name="江阴", level=UnionLevel.COUNTY, parent=city)
    town = UnionFactory(name="江阴市澄江街道总工会", short_name="澄江", level=UnionLevel.TOWN, parent=jiangyin)
    CountyAdminFactory(username="jy_county", name="江阴区县管理员", union=jiangyin)
    plain = CampaignFactory(owner_union=city, title="2026年度（市总直接审核）", require_recommendation=False)
    ProjectFactory(campaign=plain, applicant_union=town, status=ProjectStatus.SUBMITTED, title="澄江职工书屋")


@pytest.mark.parametrize("language, says", [("zh-hans", "不需要区县推荐"), ("en", "needs no county recommendation")])
def test_a_row_without_recommendation_says_why_there_is_no_recommend_button(world, live_server, new_context,
                                                                             language, says):
    context = new_context(viewport={"width": 1366, "height": 768})
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}])
    page = context.new_page()
    login(page, live_server, "jy_county", PASSWORD)
    page.goto(f"{live_server.url}/screening/")
    row = page.locator("tr", has_text="澄江职工书屋")
    expect(row.get_by_test_id("row-note")).to_contain_text(says)
    expect(row.locator("button[data-action=recommend]")).to_have_count(0)
    shot(page, f"county_queue_note_{language}")
