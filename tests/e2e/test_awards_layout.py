"""The awards pages and the big screen as people see them: table headers never one character a
line and no sideways scrolling on a 1366 desktop or a 390 phone (payouts become cards), the
score chart's axis starting near the lowest score with a tier legend, bulk approval with one
confirmation naming the total, the big screen's ranking filling a 1920×1080 projector, and a
favicon on every page."""

import pytest
from playwright.sync_api import expect

from awards import services as award_services
from awards.models import Payout
from tests.factories import PASSWORD
from unionproj.money import format_money

from .browser import login, shot
from .test_awards_journey import closed, eager_celery  # noqa: F401 - fixtures

pytestmark = pytest.mark.e2e

LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}

# Every visible header cell of the page's tables: its width and two characters' width at its font.
HEADERS = """() => Array.from(document.querySelectorAll('main table th')).filter(th => th.offsetParent !== null
    && th.textContent.trim().length >= 2).map(th => ({text: th.textContent.trim(),
    width: th.getBoundingClientRect().width, two: 2 * parseFloat(getComputedStyle(th).fontSize)}))"""
OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


def assert_readable(page):
    narrow = [h for h in page.evaluate(HEADERS) if h["width"] < h["two"]]
    assert not narrow, f"headers narrower than two characters: {narrow}"
    assert page.evaluate(OVERFLOW) <= 0, "the page scrolls sideways"


@pytest.fixture
def finalised(closed):  # noqa: F811
    roadshow = closed["roadshow"]
    award_services.compute_results(roadshow_id=roadshow.pk)
    roadshow.refresh_from_db()
    award_services.finalize(actor=closed["admin"], roadshow=roadshow)
    return closed


@pytest.mark.parametrize("viewport, name", [(LAPTOP, "1366"), (PHONE, "390")])
def test_the_awards_page_reads_well_on_a_laptop_and_a_phone(finalised, live_server, new_context, viewport, name):
    roadshow = finalised["roadshow"]
    page = new_context(viewport=viewport, is_mobile=viewport is PHONE, has_touch=viewport is PHONE).new_page()
    missing = []
    page.on("response", lambda r: missing.append(r.url) if r.status == 404 else None)
    login(page, live_server, "city_admin", PASSWORD)
    page.goto(f"{live_server.url}/roadshows/{roadshow.pk}/awards/")
    expect(page.get_by_test_id("ranking")).to_be_visible()
    expect(page.get_by_test_id("job-done")).to_be_visible()
    expect(page.get_by_test_id("budget-this")).to_have_text("330,000.00")
    expect(page.get_by_test_id("finalized")).to_contain_text("已于 ")
    assert_readable(page)
    # The score axis starts a little below the lowest score (61.xx → 55), with one legend item per tier.
    axis = page.evaluate("() => { const c = Chart.getChart('score-chart'); return {min: c.scales.x.min, "
                         "legend: c.legend.legendItems.map(i => i.text)}; }")
    assert axis["min"] == 55 and axis["legend"] == ["特优", "一等", "二等", "无等次"]
    shot(page, f"awards_layout_{name}")
    page.goto(f"{live_server.url}/roadshows/{roadshow.pk}/published/")
    expect(page.get_by_test_id("public-ranking")).to_be_visible()
    assert_readable(page)
    shot(page, f"award_list_{name}")
    assert not missing, f"404s: {missing}"


def test_payouts_are_cards_on_a_phone_and_bulk_approval_confirms_the_total(finalised, live_server, new_context):
    roadshow = finalised["roadshow"]
    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    login(page, live_server, "city_admin", PASSWORD)
    page.goto(f"{live_server.url}/payouts/?campaign={roadshow.campaign_id}")
    table = page.get_by_test_id("payout-table")
    expect(table.locator("tbody tr")).to_have_count(4)
    expect(table.locator("thead")).to_be_hidden()  # a card per payout, labels beside the values
    assert_readable(page)
    shot(page, "payouts_phone_cards")

    picks = page.get_by_test_id("pick")
    picks.nth(0).check()
    picks.nth(1).check()
    chosen = [int(picks.nth(i).get_attribute("value")) for i in (0, 1)]
    total = sum(p.amount for p in Payout.objects.filter(pk__in=chosen))
    expect(page.get_by_test_id("bulk-summary")).to_contain_text(format_money(total))
    messages = []
    page.once("dialog", lambda dialog: (messages.append(dialog.message), dialog.accept()))
    with page.expect_navigation():
        page.get_by_test_id("bulk-approve-submit").click()
    assert messages == [f"确认审批所选 2 笔补贴，合计 {format_money(total)} 元？"]
    expect(page.locator(".alert-success")).to_contain_text(f"合计 {format_money(total)} 元")
    assert sorted(Payout.objects.filter(status="approved").values_list("pk", flat=True)) == sorted(chosen)
    shot(page, "payouts_phone_bulk_approved")


def test_the_big_screen_fills_a_1920_projector_and_the_favicon_is_served(finalised, live_server, new_context):
    roadshow = finalised["roadshow"]
    page = new_context(viewport={"width": 1920, "height": 1080}).new_page()
    login(page, live_server, "city_admin", PASSWORD)
    page.goto(f"{live_server.url}/roadshows/{roadshow.pk}/screen/")
    ranking = page.get_by_test_id("screen-ranking")
    expect(ranking.locator("li")).to_have_count(5)
    box = ranking.bounding_box()
    assert box["height"] >= 0.7 * 1080 and box["y"] + box["height"] <= 1080
    row_font = page.evaluate("() => parseFloat(getComputedStyle(document.querySelector('.screen-rank-row')).fontSize)")
    assert row_font >= 32
    assert page.evaluate("() => document.documentElement.scrollHeight") <= 1080
    shot(page, "big_screen_1920")
    favicon = page.request.get(f"{live_server.url}/favicon.ico")
    assert favicon.status == 200 and "svg" in favicon.headers["content-type"]
