"""Roadshow scoring in a real browser: a juror scores on a phone; in live mode the admin drives
the console, the juror's phone follows the open entry, and the big screen shows the score."""

import datetime

import pytest
from playwright.sync_api import expect

from evaluations import services
from evaluations.enums import CardStatus, EntryState
from evaluations.models import Scorecard
from members.enums import UnionLevel
from projects.enums import ProjectStatus
from tests.factories import (
    PASSWORD,
    AdminFactory,
    CampaignFactory,
    JurorFactory,
    ProjectFactory,
    UnionFactory,
)

from .browser import login, shot

pytestmark = pytest.mark.e2e

POLL = 10_000  # ms: the pages poll every 2–3 s


@pytest.fixture
def hall(transactional_db):
    city = UnionFactory(name="无锡市总工会", short_name="市总", level=UnionLevel.MUNICIPAL)
    jiangyin = UnionFactory(name="江阴市总工会", short_name="江阴", level=UnionLevel.COUNTY, parent=city)
    yixing = UnionFactory(name="宜兴市总工会", short_name="宜兴", level=UnionLevel.COUNTY, parent=city)
    campaign = CampaignFactory(owner_union=city, title="2026年度无锡工会创新工作项目")
    admin = AdminFactory(username="city_admin", name="李管理", union=city)
    jurors = [JurorFactory(username="juror_wang", name="王评委"), JurorFactory(username="juror_zhao", name="赵评委")]
    projects = [
        ProjectFactory(campaign=campaign, applicant_union=jiangyin, status=ProjectStatus.SHORTLISTED,
                       title="“江阴职工之家”网上入会", summary="依托微信公众号，实现职工网上申请入会、转会。"),
        ProjectFactory(campaign=campaign, applicant_union=yixing, status=ProjectStatus.SHORTLISTED,
                       title="宜兴安康杯竞赛", summary="以安全生产为主题的劳动竞赛。"),
    ]
    return {"campaign": campaign, "admin": admin, "jurors": jurors, "projects": projects}


def _roadshow(hall, **kwargs):
    admin = hall["admin"]
    roadshow = services.create_roadshow(actor=admin, campaign=hall["campaign"], title="2026年度路演展评",
                                        date=datetime.date(2026, 6, 1), venue="市工人文化宫", **kwargs)
    for project in hall["projects"]:
        services.add_entry(actor=admin, roadshow=roadshow, project=project)
    for juror in hall["jurors"]:
        services.add_juror(actor=admin, roadshow=roadshow, user=juror)
    return services.start_roadshow(actor=admin, roadshow=roadshow)


def _criteria(roadshow):
    return list(roadshow.rubric.criteria.all())


def _score_card(page, roadshow, values):
    """Type the scores criterion by criterion, checking the running total as it goes."""
    running = 0
    for criterion, value in zip(_criteria(roadshow), values, strict=True):
        page.get_by_label(criterion.name).fill(value)
        running += float(value)
        expect(page.get_by_test_id("running-total")).to_have_text(f"{running:.1f}")


def score_and_submit(page, roadshow, values):
    """Type the scores, wait for the autosave, submit (the dialog is accepted) and see it locked."""
    _score_card(page, roadshow, values)
    expect(page.get_by_test_id("autosave-ok")).to_be_visible(timeout=POLL)
    with page.expect_navigation():
        page.get_by_test_id("submit-card").click()
    expect(page.get_by_test_id("card-locked")).to_be_visible()


def test_juror_scores_an_entry_on_a_phone_and_submits(hall, live_server, phone):
    roadshow = _roadshow(hall)
    phone.on("dialog", lambda dialog: dialog.accept())
    login(phone, live_server, "juror_wang", PASSWORD)
    phone.goto(f"{live_server.url}/score/")
    expect(phone.get_by_text("2026年度路演展评")).to_be_visible()
    shot(phone, "scoring_01_phone_my_entries")

    phone.get_by_role("link", name="“江阴职工之家”网上入会").click()
    expect(phone.get_by_test_id("project-title")).to_have_text("“江阴职工之家”网上入会")
    phone.get_by_text("项目简介与附件").click()
    expect(phone.get_by_test_id("project-summary")).to_contain_text("网上申请入会")

    _score_card(phone, roadshow, ["20", "22.5", "26", "15"])
    # 26 on a 30-point criterion is fine; the autosave confirms the draft.
    expect(phone.get_by_test_id("autosave-ok")).to_contain_text("已自动保存", timeout=POLL)
    # A value above the maximum is marked on its field, named in the status line and not saved.
    phone.get_by_label("组织管理").fill("26")
    expect(phone.get_by_test_id("autosave-unsaved")).to_contain_text("组织管理", timeout=POLL)
    expect(phone.get_by_text("“组织管理”的分数须在 0 到 25 之间")).to_be_visible()
    shot(phone, "scoring_02_phone_bad_value")
    phone.get_by_label("组织管理").fill("20")
    expect(phone.get_by_test_id("autosave-ok")).to_be_visible(timeout=POLL)
    expect(phone.get_by_test_id("running-total")).to_have_text("83.5")
    phone.get_by_label("评语（选填）").fill("组织有力，成效明显。")
    shot(phone, "scoring_03_phone_scoring")
    card = Scorecard.objects.get(juror=hall["jurors"][0], entry__project=hall["projects"][0])
    expect(phone.get_by_test_id("autosave-ok")).to_be_visible(timeout=POLL)

    with phone.expect_navigation():
        phone.get_by_test_id("submit-card").click()
    expect(phone.get_by_test_id("card-locked")).to_be_visible()
    expect(phone.get_by_label("组织管理")).to_be_disabled()
    shot(phone, "scoring_04_phone_locked")
    card.refresh_from_db()
    assert card.status == CardStatus.SUBMITTED
    assert str(card.total) == "83.5"
    assert card.comment == "组织有力，成效明显。"

    phone.goto(f"{live_server.url}/score/")
    expect(phone.get_by_test_id(f"card-{card.pk}")).to_contain_text("已提交")


def test_live_roadshow_console_phone_and_big_screen(hall, live_server, phone, desktop, new_context):
    roadshow = _roadshow(hall, live=True)
    first = roadshow.entries.order_by("order").first()
    wang, zhao = hall["jurors"]
    for page in (phone, desktop):
        page.on("dialog", lambda dialog: dialog.accept())

    login(desktop, live_server, "city_admin", PASSWORD)
    desktop.goto(f"{live_server.url}/roadshows/{roadshow.pk}/live/")
    login(phone, live_server, "juror_wang", PASSWORD)
    phone.goto(f"{live_server.url}/score/")
    expect(phone.get_by_test_id("live-waiting")).to_be_visible(timeout=POLL)

    # The admin opens the first entry; the phone shows it without a reload.
    with desktop.expect_navigation():
        desktop.get_by_test_id("open-next").click()
    expect(desktop.locator("tr.table-success")).to_contain_text("“江阴职工之家”网上入会")
    expect(phone.get_by_test_id("live-open-entry")).to_contain_text("“江阴职工之家”网上入会", timeout=POLL)
    shot(phone, "live_01_phone_entry_opened")

    phone.get_by_test_id("live-score-link").click()
    expect(phone.get_by_test_id("project-title")).to_have_text("“江阴职工之家”网上入会")
    score_and_submit(phone, roadshow, ["21", "23", "27", "17"])
    shot(phone, "live_02_phone_submitted")

    # The console shows the submission appear by itself.
    expect(desktop.get_by_test_id(f"juror-{wang.pk}")).to_contain_text("已提交", timeout=POLL)
    expect(desktop.get_by_test_id(f"entry-progress-{first.pk}")).to_have_text("1 / 2")
    services.submit_card(actor=zhao, card=Scorecard.objects.get(entry=first, juror=zhao),
                         scores={c.pk: v for c, v in zip(_criteria(roadshow), ["19", "21", "25", "15"], strict=True)})
    expect(desktop.get_by_test_id(f"entry-progress-{first.pk}")).to_have_text("2 / 2", timeout=POLL)
    shot(desktop, "live_03_console_all_submitted")

    # The big screen shows the entry being scored, then its score once the admin closes it.
    screen = new_context(viewport={"width": 1920, "height": 1080}).new_page()
    login(screen, live_server, "city_admin", PASSWORD)
    screen.goto(f"{live_server.url}/roadshows/{roadshow.pk}/screen/")
    expect(screen.get_by_test_id("screen-project")).to_have_text("“江阴职工之家”网上入会")
    expect(screen.get_by_test_id("screen-count")).to_have_text("已评 2 / 2")
    expect(screen.get_by_test_id("screen-score")).to_have_count(0)

    with desktop.expect_navigation():
        desktop.get_by_test_id("close-entry").click()
    first.refresh_from_db()
    assert first.state == EntryState.CLOSED
    # Two cards: the trimmed mean falls back to the plain mean of 88 and 80.
    expect(screen.get_by_test_id("screen-score")).to_have_text("84.00", timeout=POLL)
    expect(screen.get_by_test_id("screen-ranking")).to_contain_text("“江阴职工之家”网上入会")
    shot(screen, "live_04_big_screen_score")
    expect(phone.get_by_test_id("card-locked")).to_be_visible()

    # The admin's setup and results pages after the entry.
    desktop.goto(f"{live_server.url}/roadshows/{roadshow.pk}/")
    expect(desktop.get_by_test_id("recusal-table")).to_have_count(0)
    shot(desktop, "live_05_setup_page")
    desktop.goto(f"{live_server.url}/roadshows/{roadshow.pk}/results/")
    expect(desktop.get_by_test_id("final-score").first).to_have_text("84.00")
    shot(desktop, "live_06_results_page")
