"""After the award, in a real browser: the applicant's staff files a closing report with its
material, the admin accepts it (结项), another union's staff files a replication plan from the
project page, and the admin's dashboard shows the closure and the plan."""

import pytest
from playwright.sync_api import expect

from members.enums import UnionLevel
from projects.models import Project, ReplicationPlan
from tests.factories import (
    PASSWORD,
    AdminFactory,
    CampaignFactory,
    ProjectFactory,
    StaffFactory,
    UnionFactory,
)

from .browser import DESKTOP, login, shot

pytestmark = pytest.mark.e2e

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def wuxi(transactional_db):
    city = UnionFactory(name="无锡市总工会", short_name="市总", level=UnionLevel.MUNICIPAL)
    jiangyin = UnionFactory(name="江阴市总工会", short_name="江阴", level=UnionLevel.COUNTY, parent=city)
    yixing = UnionFactory(name="宜兴市总工会", short_name="宜兴", level=UnionLevel.COUNTY, parent=city)
    campaign = CampaignFactory(owner_union=city, title="2026年度无锡工会创新工作项目")
    project = ProjectFactory(campaign=campaign, applicant_union=jiangyin, status="awarded",
                             title="建设职工众创之家", category="劳动技能竞赛")
    ProjectFactory(campaign=campaign, applicant_union=yixing, status="approved", title="职工健康小屋",
                   category="职工帮扶服务")
    return {
        "project": project,
        "jy_staff": StaffFactory(username="jy_staff", name="张申报", union=jiangyin),
        "yx_staff": StaffFactory(username="yx_staff", name="许推广", union=yixing),
        "admin": AdminFactory(username="city_admin", name="李管理", union=city),
    }


def _page(new_context, viewport=DESKTOP):
    page = new_context(viewport=viewport).new_page()
    # The app asks before irreversible steps (data-confirm); the user says yes.
    page.on("dialog", lambda dialog: dialog.accept())
    return page


def test_closing_report_acceptance_replication_and_dashboard(wuxi, live_server, new_context, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    project = wuxi["project"]
    url = f"{live_server.url}/projects/{project.pk}/"

    # 1. The applicant's staff files the closing report with a PDF.
    staff = _page(new_context)
    login(staff, live_server, "jy_staff", PASSWORD)
    staff.goto(url)
    staff.fill("textarea[name=report]", "众创之家已建成，入驻职工创客团队 12 个，孵化项目 30 项。")
    material = tmp_path / "结项材料.pdf"
    material.write_bytes(PDF)
    staff.set_input_files("input[name=files]", str(material))
    shot(staff, "closure_01_staff_closing_report_form")
    with staff.expect_navigation():
        staff.get_by_role("button", name="提交结项报告", exact=True).click()
    expect(staff.locator(".alert-success")).to_contain_text("已提交结项报告")
    expect(staff.get_by_test_id("closing-report")).to_contain_text("众创之家已建成")
    expect(staff.locator("#closing")).to_contain_text("结项材料.pdf")
    shot(staff, "closure_02_staff_report_filed")

    # 2. The admin accepts it from the 结项审核 tab and the project page.
    admin = _page(new_context)
    login(admin, live_server, "city_admin", PASSWORD)
    admin.goto(f"{live_server.url}/screening/?tab=closing")
    expect(admin.get_by_test_id("count-closing")).to_have_text("1")
    shot(admin, "closure_03_admin_closing_queue")
    admin.goto(url)
    with admin.expect_navigation():
        admin.get_by_role("button", name="结项通过", exact=True).click()
    expect(admin.locator(".alert-success")).to_contain_text("已结项")
    project.refresh_from_db()
    assert project.status == "closed"
    shot(admin, "closure_04_admin_accepted")

    # 3. Another union's staff finds the closed project and files a replication plan (on a phone).
    other = _page(new_context, viewport={"width": 390, "height": 844})
    login(other, live_server, "yx_staff", PASSWORD)
    other.goto(f"{live_server.url}/replication/")
    with other.expect_navigation():
        other.get_by_role("link", name="建设职工众创之家").click()
    other.fill("textarea[name=plan]", "在宜兴经济开发区复制众创之家模式，2027 年建成 2 个。")
    shot(other, "closure_05_other_union_replication_form")
    with other.expect_navigation():
        other.get_by_role("button", name="本单位复制推广", exact=True).click()
    expect(other.get_by_test_id("plan-status")).to_have_text("计划中")
    shot(other, "closure_06_replication_plan_filed")
    assert ReplicationPlan.objects.get().adopting_union.name == "宜兴市总工会"

    # The project page shows who replicated it.
    admin.goto(url)
    expect(admin.get_by_test_id("replicated-by")).to_contain_text("宜兴市总工会")

    # 4. The admin's dashboard shows the closure and the plan, with drawn charts.
    admin.goto(f"{live_server.url}/dashboards/")
    expect(admin.get_by_test_id("kpi-closed")).to_have_text("1")
    expect(admin.get_by_test_id("kpi-replications")).to_have_text("1")
    expect(admin.get_by_test_id("kpi-approved")).to_have_text("2")
    admin.wait_for_function("() => window.Chart && Object.keys(Chart.instances).length === 4")
    shot(admin, "closure_07_campaign_dashboard")
    admin.goto(f"{live_server.url}/dashboards/years/")
    expect(admin.get_by_test_id("total-plans")).to_have_text("1")
    admin.wait_for_function("() => window.Chart && Object.keys(Chart.instances).length === 3")
    shot(admin, "closure_08_years_dashboard")
    assert Project.objects.get(pk=project.pk).status == "closed"
