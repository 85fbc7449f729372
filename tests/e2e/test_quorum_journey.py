"""The quorum in a real browser (issue 13): in the live console the admin closes an entry with
one card of two, is shown the refusal with the counts and a form, gives a reason and goes on;
closing the whole roadshow with an entry nobody scored asks again; the results page prints the
reasons and lists that entry as 无有效评分."""

import datetime

import pytest
from playwright.sync_api import expect

from evaluations import services
from evaluations.enums import EntryState
from evaluations.models import QuorumOverride, Scorecard
from members.enums import UnionLevel
from projects.enums import ProjectStatus
from tests.factories import PASSWORD, AdminFactory, CampaignFactory, JurorFactory, ProjectFactory, UnionFactory

from .browser import login, shot

pytestmark = pytest.mark.e2e


@pytest.fixture
def live(transactional_db):
    city = UnionFactory(name="无锡市总工会", short_name="市总", level=UnionLevel.MUNICIPAL)
    county = UnionFactory(name="江阴市总工会", short_name="江阴", level=UnionLevel.COUNTY, parent=city)
    campaign = CampaignFactory(owner_union=city, title="2026年度无锡工会创新工作项目")
    admin = AdminFactory(username="city_admin", name="李管理", union=city)
    jurors = [JurorFactory(username="juror_wang", name="王评委"), JurorFactory(username="juror_zhao", name="赵评委")]
    roadshow = services.create_roadshow(actor=admin, campaign=campaign, title="2026年度路演展评",
                                        date=datetime.date(2026, 6, 1), live=True)
    for title in ("职工书屋", "安康杯竞赛"):
        project = ProjectFactory(campaign=campaign, applicant_union=county, status=ProjectStatus.SHORTLISTED,
                                 title=title)
        services.add_entry(actor=admin, roadshow=roadshow, project=project)
    for juror in jurors:
        services.add_juror(actor=admin, roadshow=roadshow, user=juror)
    services.start_roadshow(actor=admin, roadshow=roadshow)
    first = roadshow.entries.order_by("order").first()
    services.open_entry(actor=admin, entry=first)
    card = Scorecard.objects.get(entry=first, juror=jurors[0])
    services.submit_card(actor=jurors[0], card=card,
                         scores={c.pk: v for c, v in zip(roadshow.rubric.criteria.all(), ["20", "20", "25", "15"],
                                                         strict=True)})
    return {"roadshow": roadshow, "first": first}


def test_closing_below_quorum_asks_for_a_reason_and_the_results_print_it(live, live_server, desktop):
    roadshow, first = live["roadshow"], live["first"]
    desktop.on("dialog", lambda dialog: dialog.accept())
    login(desktop, live_server, "city_admin", PASSWORD)
    desktop.goto(f"{live_server.url}/roadshows/{roadshow.pk}/live/")

    with desktop.expect_navigation():
        desktop.get_by_test_id("close-entry").click()
    expect(desktop.get_by_test_id("quorum-refusal")).to_contain_text("“职工书屋”1 份（法定 2 份）")
    expect(desktop.get_by_test_id("below-quorum")).to_contain_text("职工书屋")
    shot(desktop, "quorum_01_entry_close_refused")
    desktop.get_by_label("例外理由").fill("赵评委临时离场")
    with desktop.expect_navigation():
        desktop.get_by_role("button", name="填写理由后结束评分").click()
    expect(desktop.get_by_text("1 / 2 位评委已提交")).to_be_visible()
    first.refresh_from_db()
    assert first.state == EntryState.CLOSED

    with desktop.expect_navigation():
        desktop.get_by_test_id("close-roadshow").click()
    expect(desktop.get_by_test_id("quorum-refusal")).to_contain_text("“安康杯竞赛”0 份（法定 2 份）")
    desktop.get_by_label("例外理由").fill("安康杯竞赛项目方当天弃权")
    with desktop.expect_navigation():
        desktop.get_by_role("button", name="填写理由后结束评分").click()
    assert desktop.url.endswith(f"/roadshows/{roadshow.pk}/results/")
    overrides = desktop.get_by_test_id("quorum-overrides")
    expect(overrides).to_contain_text("赵评委临时离场")
    expect(overrides).to_contain_text("安康杯竞赛项目方当天弃权")
    expect(desktop.get_by_test_id("no-valid-score")).to_have_text("无有效评分")
    shot(desktop, "quorum_02_results_with_reasons")
    assert list(QuorumOverride.objects.order_by("id").values_list("action", flat=True)) == ["close_entry", "close"]
