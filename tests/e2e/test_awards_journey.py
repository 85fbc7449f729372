"""Awards in a real browser: the admin computes the results of a closed roadshow and watches the
progress bar, previews other tiers, finalises and approves a payout; the applicant's staff then
sees the project's tier on a phone."""

import datetime
import uuid

import pytest
from playwright.sync_api import expect

from evaluations import services
from awards import services as award_services
from awards.models import ComputeJob
from evaluations.models import Scorecard
from members.enums import UnionLevel
from projects.enums import ProjectStatus
from tests.factories import (
    PASSWORD,
    AdminFactory,
    CampaignFactory,
    JurorFactory,
    ProjectFactory,
    StaffFactory,
    UnionFactory,
)
from unionproj.celery import app

from .browser import login, shot

pytestmark = pytest.mark.e2e

WAIT = 10_000  # ms
TITLES = [("“江阴职工之家”网上入会", "jiangyin"), ("宜兴安康杯劳动竞赛", "yixing"), ("澄江街道职工书屋", "chengjiang"),
          ("宜兴劳模创新工作室", "yixing"), ("江阴“工会+法院”劳动争议调解", "jiangyin")]
TOTALS = [["92", "95", "90"], ["88", "86", "90"], ["80", "78", "82"], ["75", "70", "72"], ["60", "65", "62"]]


@pytest.fixture(autouse=True)
def eager_celery():
    """The embedded default runs the jobs in process; so does this journey even where CI sets a
    broker (no worker is started here)."""
    saved = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = saved


def _scores(roadshow, total):
    left, values = int(total), []
    for criterion in roadshow.rubric.criteria.all():
        value = min(int(criterion.max_points), left)
        values.append(value)
        left -= value
    return {c.pk: str(v) for c, v in zip(roadshow.rubric.criteria.all(), values, strict=True)}


@pytest.fixture
def closed(transactional_db):
    city = UnionFactory(name="无锡市总工会", short_name="市总", level=UnionLevel.MUNICIPAL)
    unions = {
        "jiangyin": UnionFactory(name="江阴市总工会", short_name="江阴", level=UnionLevel.COUNTY, parent=city),
        "yixing": UnionFactory(name="宜兴市总工会", short_name="宜兴", level=UnionLevel.COUNTY, parent=city),
    }
    unions["chengjiang"] = UnionFactory(name="江阴市澄江街道总工会", short_name="澄江", level=UnionLevel.TOWN,
                                        parent=unions["jiangyin"])
    campaign = CampaignFactory(owner_union=city, title="2026年度无锡工会创新工作项目")
    admin = AdminFactory(username="city_admin", name="李管理", union=city)
    StaffFactory(username="jy_staff", name="江阴干事", union=unions["jiangyin"])
    jurors = [JurorFactory(username=f"juror_{i}", name=name) for i, name in enumerate(["王评委", "赵评委", "钱评委"])]
    roadshow = services.create_roadshow(actor=admin, campaign=campaign, title="2026年度路演展评",
                                        date=datetime.date(2026, 6, 1), venue="市工人文化宫")
    entries = []
    for title, union in TITLES:
        project = ProjectFactory(campaign=campaign, applicant_union=unions[union], status=ProjectStatus.SHORTLISTED,
                                 title=title)
        entries.append(services.add_entry(actor=admin, roadshow=roadshow, project=project))
    for juror in jurors:
        services.add_juror(actor=admin, roadshow=roadshow, user=juror)
    services.start_roadshow(actor=admin, roadshow=roadshow)
    for entry, totals in zip(entries, TOTALS, strict=True):
        for juror, total in zip(jurors, totals, strict=True):
            card = Scorecard.objects.get(entry=entry, juror=juror)
            services.submit_card(actor=juror, card=card, scores=_scores(roadshow, total))
    services.close_roadshow(actor=admin, roadshow=roadshow)
    award_services.save_tiers(actor=admin, roadshow=roadshow, tiers=[
        {"name": "特优", "quota_count": 1, "amount": "150000"}, {"name": "一等", "quota_count": 1, "amount": "80000"},
        {"name": "二等", "quota_count": 2, "amount": "50000"}])
    roadshow.refresh_from_db()
    return {"roadshow": roadshow, "admin": admin, "entries": entries}


def test_admin_computes_previews_finalises_and_pays_then_the_applicant_sees_its_tier(closed, live_server, desktop,
                                                                                      phone):
    roadshow, admin = closed["roadshow"], closed["admin"]
    page = desktop
    page.on("dialog", lambda dialog: dialog.accept())
    login(page, live_server, "city_admin", PASSWORD)
    awards_url = f"{live_server.url}/roadshows/{roadshow.pk}/awards/"

    # A job running on a worker: the page polls it and reloads with the ranking once it is done.
    job = ComputeJob.objects.create(roadshow=roadshow, task_id=str(uuid.uuid4()), state="running", progress=40,
                                    created_by=admin)
    page.goto(awards_url)
    expect(page.get_by_test_id("job-progress")).to_have_attribute("value", "40")
    expect(page.get_by_test_id("job-state")).to_have_text("计算中")
    shot(page, "awards_01_progress_running")
    award_services.compute_results(roadshow_id=roadshow.pk, job=job)
    ComputeJob.objects.filter(pk=job.pk).update(state="succeeded", progress=100)
    expect(page.get_by_test_id("ranking")).to_be_visible(timeout=WAIT)  # the poll reloaded the page
    expect(page.get_by_test_id("job-progress")).to_have_attribute("value", "100")

    # Compute again through the button (eager here): the bar, then the ranking with tiers.
    page.get_by_test_id("compute").click()
    expect(page.get_by_test_id("job-state")).to_have_text("已完成", timeout=WAIT)
    expect(page.get_by_test_id("job-progress")).to_be_visible()
    ranking = page.get_by_test_id("ranking")
    expect(ranking.locator("tbody tr")).to_have_count(5)
    expect(ranking.locator("tbody tr").first.get_by_test_id("tier")).to_have_text("特优")
    expect(page.get_by_test_id("budget-summary")).to_contain_text("330,000.00")
    expect(page.locator("#score-chart")).to_be_visible()
    shot(page, "awards_02_ranking_and_charts")

    # What-if: every entry above 70 gets 一等 under the plain mean; nothing is written.
    whatif = page.get_by_test_id("whatif-tiers")
    page.select_option("#id_aggregation", "mean")
    rows = whatif.locator("tbody tr")
    for i in range(6):
        for cell in rows.nth(i).locator("input").all():
            cell.fill("")
    inputs = rows.nth(0).locator("input")
    inputs.nth(0).fill("一等")
    inputs.nth(3).fill("70")
    inputs.nth(4).fill("60000")
    page.get_by_test_id("preview").click()
    preview = page.get_by_test_id("preview-ranking")
    expect(preview).to_be_visible(timeout=WAIT)
    expect(preview.get_by_test_id("tier")).to_have_count(4)
    expect(page.get_by_test_id("preview-total")).to_contain_text("240,000.00")
    shot(page, "awards_03_what_if_preview")
    assert roadshow.results.filter(tier="特优").count() == 1  # the preview wrote nothing

    # Finalise (no 公示 here), then approve the first payout.
    page.goto(awards_url)
    page.get_by_test_id("finalize").click()
    expect(page.get_by_test_id("finalized")).to_be_visible(timeout=WAIT)
    shot(page, "awards_04_finalized")
    page.goto(f"{live_server.url}/payouts/?campaign={roadshow.campaign_id}")
    expect(page.get_by_test_id("payout-table").locator("tbody tr")).to_have_count(4)
    page.get_by_test_id("approve").first.click()
    expect(page.get_by_test_id("payout-status").first).to_have_text("已审批", timeout=WAIT)
    shot(page, "awards_05_payout_approved")

    # The applicant (江阴's staff) sees its tier on its project page, on a phone.
    login(phone, live_server, "jy_staff", PASSWORD)
    project = closed["entries"][0].project
    phone.goto(f"{live_server.url}/projects/{project.pk}/")
    expect(phone.get_by_test_id("project-tier")).to_have_text("特优")
    expect(phone.get_by_test_id("project-award")).to_contain_text("150,000.00")
    shot(phone, "awards_06_phone_project_tier")
    phone.get_by_role("link", name="获奖名单").click()
    expect(phone.get_by_test_id("public-ranking")).to_be_visible()
    shot(phone, "awards_07_phone_award_list")
