"""Issue 21 in a real browser: the admin dismisses two objections at once on the objection desk
(one confirmation), and restores an entry whose project left the state its roadshow expects."""

import datetime

import pytest
from playwright.sync_api import expect

from evaluations import services
from awards import services as award_services
from evaluations.models import EvaluationEvent
from awards.models import Objection
from members.enums import UnionLevel
from projects.enums import ProjectStatus
from projects.models import Project, ProjectEvent
from tests.factories import (
    AdminFactory,
    CampaignFactory,
    PASSWORD,
    ProjectFactory,
    ScoredRoadshowFactory,
    StaffFactory,
    UnionFactory,
)
from unionproj.celery import app

from .browser import login, shot

pytestmark = pytest.mark.e2e

WAIT = 10_000  # ms


@pytest.fixture(autouse=True)
def eager_celery():
    saved = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = saved


@pytest.fixture
def world(transactional_db):
    city = UnionFactory(name="无锡市总工会", short_name="市总", level=UnionLevel.MUNICIPAL)
    jiangyin = UnionFactory(name="江阴市总工会", short_name="江阴", level=UnionLevel.COUNTY, parent=city)
    yixing = UnionFactory(name="宜兴市总工会", short_name="宜兴", level=UnionLevel.COUNTY, parent=city)
    admin = AdminFactory(username="city_admin", name="市总管理员", union=city)
    staff = StaffFactory(username="yx_staff", name="宜兴工作人员", union=yixing)
    campaign = CampaignFactory(owner_union=city)
    show = ScoredRoadshowFactory(actor=admin, campaign=campaign, union=jiangyin,
                                 totals=[["90", "85", "80"], ["80", "75", "70"]], title="2026年度路演")
    roadshow = show.roadshow
    award_services.save_tiers(actor=admin, roadshow=roadshow, tiers=[{"name": "一等", "quota_count": 1, "amount": "10000"}])
    award_services.request_compute(actor=admin, roadshow=roadshow)
    roadshow.refresh_from_db()
    award_services.publicize(actor=admin, roadshow=roadshow, days=7)
    for i, text in enumerate(["评分偏高，请复核", "申报材料与实际不符", "第三条异议"]):
        award_services.file_objection(actor=staff, roadshow=roadshow, entry=show.entries[i % 2], text=text)
    second_campaign = CampaignFactory(owner_union=city, title="2027年度工会创新工作项目")
    setup = services.create_roadshow(actor=admin, campaign=second_campaign, title="2027年度路演",
                                     date=datetime.date(2027, 6, 1))
    project = ProjectFactory(campaign=second_campaign, applicant_union=jiangyin, status=ProjectStatus.SHORTLISTED,
                             title="江阴职工书屋")
    services.add_entry(actor=admin, roadshow=setup, project=project)
    Project.objects.filter(pk=project.pk).update(status=ProjectStatus.CLOSING)  # data from before the guard
    return {"roadshow": roadshow, "setup": setup, "project": project, "admin": admin}


def test_admin_dismisses_objections_at_once_and_restores_an_entry(world, live_server, desktop):
    page = desktop
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.accept()))
    login(page, live_server, "city_admin", PASSWORD)

    roadshow = world["roadshow"]
    page.goto(f"{live_server.url}/roadshows/{roadshow.pk}/awards/")
    page.get_by_test_id("objections-tab").click()
    expect(page.get_by_test_id("open-count")).to_contain_text("3", timeout=WAIT)
    first, second = Objection.objects.order_by("pk")[:2]
    page.check(f"#objection-{first.pk}")
    page.check(f"#objection-{second.pk}")
    page.fill("#bulk-text", "经核实，不予受理。")
    shot(page, "issue21-objection-desk-before")
    with page.expect_navigation():
        page.get_by_test_id("bulk-dismiss").click()
    assert len(dialogs) == 1 and "勾选的异议" in dialogs[0]
    expect(page.locator(".alert-success, .alert")).to_contain_text("已驳回 2 条异议", timeout=WAIT)
    expect(page.get_by_test_id("open-count")).to_contain_text("1")
    shot(page, "issue21-objection-desk-after")
    assert Objection.objects.filter(dismissed=True).count() == 2
    assert EvaluationEvent.objects.filter(action="dismiss").count() == 2

    setup = world["setup"]
    page.goto(f"{live_server.url}/roadshows/{setup.pk}/#entries")
    expect(page.get_by_test_id("entry-recovery-reason")).to_contain_text("结项审核中", timeout=WAIT)
    page.get_by_test_id("entry-recovery").locator("summary").click()
    page.get_by_test_id("entry-recovery").locator("textarea").fill("结项报告误报，恢复参加路演")
    shot(page, "issue21-entry-recovery")
    with page.expect_navigation():
        page.get_by_test_id("entry-restore").click()
    assert len(dialogs) == 2 and "恢复为已入围" in dialogs[1]
    expect(page.locator(".alert").first).to_contain_text("恢复为已入围", timeout=WAIT)
    expect(page.get_by_test_id("entry-recovery")).to_have_count(0)
    project = world["project"]
    project.refresh_from_db()
    assert project.status == ProjectStatus.SHORTLISTED
    assert ProjectEvent.objects.filter(project=project, action="restore_for_roadshow").count() == 1
