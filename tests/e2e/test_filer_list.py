"""A filer's project list opens on the own union's projects of this year (issue 22 item 4)."""

import datetime

import pytest
from playwright.sync_api import expect

from members.enums import UnionLevel
from projects.enums import ProjectStatus
from tests.factories import PASSWORD, CampaignFactory, ProjectFactory, StaffFactory, UnionFactory

from .browser import login, shot

pytestmark = pytest.mark.e2e


@pytest.fixture
def world(transactional_db):
    city = UnionFactory(name="无锡市总工会", short_name="市总", level=UnionLevel.MUNICIPAL)
    jiangyin = UnionFactory(name="江阴市总工会", short_name="江阴", level=UnionLevel.COUNTY, parent=city)
    yixing = UnionFactory(name="宜兴市总工会", short_name="宜兴", level=UnionLevel.COUNTY, parent=city)
    StaffFactory(username="jy_staff", name="张申报", union=jiangyin)
    past = CampaignFactory(owner_union=city, year=2018, title="2018年度工会创新工作项目",
                           filing_opens=datetime.date(2018, 1, 1), filing_deadline=datetime.date(2018, 3, 1))
    for n in range(30):  # a page and more of other unions' history
        ProjectFactory(campaign=past, applicant_union=yixing, status=ProjectStatus.CLOSED, title=f"宜兴往年项目{n}")
    now = CampaignFactory(owner_union=city, title="2026年度无锡工会创新工作项目")
    ProjectFactory(campaign=now, applicant_union=jiangyin, status=ProjectStatus.DRAFT, title="职工技能夜校")


def test_the_filers_own_draft_is_on_the_first_page_and_history_behind_a_filter(world, live_server, new_context):
    page = new_context(viewport={"width": 390, "height": 844}, is_mobile=True).new_page()
    login(page, live_server, "jy_staff", PASSWORD)
    page.goto(f"{live_server.url}/projects/")
    rows = page.locator("table.project-table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("职工技能夜校")
    expect(page.get_by_test_id("list-defaults")).to_be_visible()
    shot(page, "filer_list_defaults_phone")
    page.select_option("select[name=scope]", "library")
    page.select_option("select[name=campaign]", "")
    expect(page.locator("table.project-table tbody tr").first).to_contain_text("宜兴往年项目")
    shot(page, "filer_list_library_phone")
