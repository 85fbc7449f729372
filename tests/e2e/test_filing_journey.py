"""The foundation's journey in a real browser: file → return → resubmit → approve → shortlist."""

import re

import pytest
from playwright.sync_api import expect

from members.enums import UnionLevel
from projects.models import Project
from tests.factories import PASSWORD, AdminFactory, CampaignFactory, StaffFactory, UnionFactory

from .browser import login, shot

pytestmark = pytest.mark.e2e

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def wuxi(transactional_db):
    city = UnionFactory(name="无锡市总工会", short_name="市总", level=UnionLevel.MUNICIPAL)
    jiangyin = UnionFactory(name="江阴市总工会", short_name="江阴", level=UnionLevel.COUNTY, parent=city)
    campaign = CampaignFactory(owner_union=city, title="2026年度无锡工会创新工作项目")
    staff = StaffFactory(username="jy_staff", name="张申报", union=jiangyin)
    admin = AdminFactory(username="city_admin", name="李管理", union=city)
    return {"campaign": campaign, "staff": staff, "admin": admin}


def _accept_dialogs(page):
    # The app asks before irreversible steps (data-confirm); the user says yes.
    page.on("dialog", lambda dialog: dialog.accept())


def _act(page, live_server, project_id, label, reason=None):
    page.goto(f"{live_server.url}/projects/{project_id}/")
    if reason is not None:
        page.fill("textarea[name=reason]", reason)
    with page.expect_navigation():
        page.get_by_role("button", name=label, exact=True).click()


def test_staff_files_admin_returns_staff_resubmits_admin_approves_and_shortlists(wuxi, live_server, new_context):
    campaign = wuxi["campaign"]
    staff_page = new_context(viewport={"width": 1280, "height": 900}).new_page()
    admin_page = new_context(viewport={"width": 1280, "height": 900}).new_page()
    _accept_dialogs(staff_page)
    _accept_dialogs(admin_page)

    # Staff files a proposal in Chinese and submits it.
    login(staff_page, live_server, "jy_staff", PASSWORD)
    staff_page.goto(f"{live_server.url}/projects/new/?campaign={campaign.pk}")
    staff_page.fill("input[name=title]", "“江阴职工之家”微信公众号网上入会工作")
    staff_page.select_option("select[name=category]", "工会自身建设")
    staff_page.fill("textarea[name=summary]", "依托微信公众号，实现职工网上申请入会、转会。")
    staff_page.fill("textarea[name=objectives]", "全年新增网上入会职工一万人。")
    staff_page.fill("input[name=budget_requested]", "80000.00")
    staff_page.fill("input[name=contact_name]", "张申报")
    shot(staff_page, "01_staff_filing_form")
    with staff_page.expect_navigation():
        staff_page.get_by_role("button", name="保存草稿", exact=True).click()
    project_id = int(re.search(r"/projects/(\d+)/", staff_page.url).group(1))
    staff_page.set_input_files("input[type=file]", files=[
        {"name": "项目申报书.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    with staff_page.expect_navigation():
        staff_page.get_by_role("button", name="上传", exact=True).click()
    expect(staff_page.get_by_role("link", name="项目申报书.pdf")).to_be_visible()
    staff_page.goto(f"{live_server.url}/projects/{project_id}/edit/")
    with staff_page.expect_navigation():
        staff_page.get_by_role("button", name="提交申报", exact=True).click()
    assert Project.objects.get(pk=project_id).status == "submitted"
    shot(staff_page, "02_staff_submitted")

    # The admin returns it with a reason.
    login(admin_page, live_server, "city_admin", PASSWORD)
    _act(admin_page, live_server, project_id, "退回修改", reason="请补充项目预算明细。")
    assert Project.objects.get(pk=project_id).status == "returned"

    # Staff sees the reason, edits and resubmits.
    staff_page.goto(f"{live_server.url}/projects/{project_id}/")
    expect(staff_page.get_by_test_id("timeline")).to_contain_text("请补充项目预算明细。")
    staff_page.goto(f"{live_server.url}/projects/{project_id}/edit/")
    staff_page.fill("textarea[name=plan]", "预算明细：平台开发五万元，宣传推广三万元。")
    with staff_page.expect_navigation():
        staff_page.get_by_role("button", name="提交申报", exact=True).click()
    assert Project.objects.get(pk=project_id).status == "submitted"

    # The admin approves (立项) and shortlists (入围).
    _act(admin_page, live_server, project_id, "立项")
    assert Project.objects.get(pk=project_id).status == "approved"
    _act(admin_page, live_server, project_id, "入围")
    assert Project.objects.get(pk=project_id).status == "shortlisted"

    # The project page shows the whole timeline.
    admin_page.goto(f"{live_server.url}/projects/{project_id}/")
    timeline = admin_page.get_by_test_id("timeline")
    for label in ("创建草稿", "提交申报", "退回修改", "立项", "入围"):
        expect(timeline).to_contain_text(label)
    expect(timeline).to_contain_text("李管理")
    shot(admin_page, "03_project_timeline")
    staff_page.goto(f"{live_server.url}/projects/{project_id}/")
    expect(staff_page.get_by_test_id("project-title")).to_have_text("“江阴职工之家”微信公众号网上入会工作")
