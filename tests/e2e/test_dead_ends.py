"""Dead ends a first-time user met (issue 22 item 5), in a real browser: a project returned after
the deadline, and a bulk action with nothing ticked."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from members.enums import UnionLevel
from projects import services
from projects.enums import ProjectStatus
from tests.factories import PASSWORD, AdminFactory, CampaignFactory, ProjectFactory, StaffFactory, UnionFactory

from .browser import login, shot

pytestmark = pytest.mark.e2e
TODAY = timezone.localdate()


@pytest.fixture
def world(transactional_db):
    city = UnionFactory(name="无锡市总工会", short_name="市总", level=UnionLevel.MUNICIPAL)
    jiangyin = UnionFactory(name="江阴市总工会", short_name="江阴", level=UnionLevel.COUNTY, parent=city)
    campaign = CampaignFactory(owner_union=city, title="2026年度无锡工会创新工作项目")
    staff = StaffFactory(username="jy_staff", name="张申报", union=jiangyin)
    admin = AdminFactory(username="city_admin", name="李管理", union=city)
    returned = ProjectFactory(campaign=campaign, applicant_union=jiangyin, title="职工技能夜校",
                              status=ProjectStatus.SUBMITTED)
    services.return_project(actor=admin, project=returned, reason="请补充经费预算明细")
    ProjectFactory(campaign=campaign, applicant_union=jiangyin, title="职工书屋", status=ProjectStatus.SUBMITTED)
    campaign.filing_opens = TODAY - datetime.timedelta(days=60)
    campaign.filing_deadline = TODAY - datetime.timedelta(days=1)
    campaign.save()
    return {"returned": returned}


def test_returned_after_the_deadline_says_why_and_the_admin_reopens(world, live_server, new_context):
    pk = world["returned"].pk
    staff = new_context(viewport={"width": 390, "height": 844}, is_mobile=True).new_page()
    login(staff, live_server, "jy_staff", PASSWORD)
    staff.goto(f"{live_server.url}/projects/{pk}/")
    expect(staff.get_by_test_id("return-reason")).to_contain_text("请补充经费预算明细")
    expect(staff.get_by_test_id("window-closed")).to_contain_text("无锡市总工会的管理员")
    expect(staff.get_by_role("button", name="提交申报")).to_have_count(0)
    shot(staff, "dead_end_returned_after_deadline_phone")

    admin = new_context(viewport={"width": 1366, "height": 768}).new_page()
    admin.on("dialog", lambda dialog: dialog.accept())
    login(admin, live_server, "city_admin", PASSWORD)
    admin.goto(f"{live_server.url}/projects/{pk}/")
    admin.fill("input[name=until]", (TODAY + datetime.timedelta(days=3)).isoformat())
    admin.fill("textarea[name=reason]", "材料补齐后补报")
    with admin.expect_navigation():
        admin.get_by_role("button", name="重新开放提交").click()
    expect(admin.locator(".alert-success")).to_contain_text("已为本项目重新开放提交")
    shot(admin, "dead_end_reopened_by_admin")

    staff.reload()
    expect(staff.get_by_test_id("window-reopened")).to_be_visible()
    expect(staff.get_by_role("button", name="提交申报")).to_be_visible()


def test_bulk_action_with_nothing_ticked_says_so_before_asking_to_confirm(world, live_server, new_context):
    page = new_context(viewport={"width": 1366, "height": 768}).new_page()
    dialogs = []

    def answer(dialog):
        dialogs.append((dialog.type, dialog.message))
        dialog.dismiss()

    page.on("dialog", answer)
    login(page, live_server, "city_admin", PASSWORD)
    page.goto(f"{live_server.url}/screening/")
    page.get_by_role("button", name="对所选项目执行").click()
    page.wait_for_timeout(300)
    assert dialogs == [("alert", "请先勾选项目。")]
    page.locator('input[name="projects"]').first.check()
    page.get_by_role("button", name="对所选项目执行").click()
    page.wait_for_timeout(300)
    assert dialogs[-1][0] == "confirm"
