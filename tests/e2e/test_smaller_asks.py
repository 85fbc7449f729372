"""Smaller things people asked for (issue 22 item 8), in a real browser: a filer finds the
published award lists from home; the dashboards' year axis has no gap; English shows the
translated default names (先进单位, tiers, categories)."""

import pytest
from django.conf import settings
from playwright.sync_api import expect

from tests.dashboards.programme import build_programme
from .browser import login, shot
from tests.factories import PASSWORD

pytestmark = pytest.mark.e2e


@pytest.fixture
def world(transactional_db, tree, people):
    return build_programme(tree, people)


def test_the_year_axis_has_no_gap_and_english_names_are_translated(world, people, live_server, new_context):
    page = new_context(viewport={"width": 1366, "height": 768}).new_page()
    login(page, live_server, people["admin"].username, PASSWORD)
    page.goto(f"{live_server.url}/dashboards/years/")
    labels = page.evaluate("JSON.parse(document.getElementById('dashboard-data').textContent).labels")
    assert labels == [str(y) for y in range(2016, 2027)]
    shot(page, "dashboards_years_no_gap")
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}])
    page.goto(f"{live_server.url}/dashboards/years/")
    expect(page.locator("table")).to_contain_text("First prize")
    page.locator(".navbar-toggler").click()  # the English menu is collapsed below 1400 px
    expect(page.get_by_role("link", name="Outstanding units")).to_be_visible()
    page.goto(f"{live_server.url}/projects/?scope=")
    expect(page.locator("table.project-table")).to_contain_text("Worker assistance")
    shot(page, "projects_english_categories")


def test_a_filer_reaches_the_published_award_lists_from_home(world, people, live_server, new_context):
    page = new_context(viewport={"width": 390, "height": 844}, is_mobile=True).new_page()
    login(page, live_server, people["staff_a"].username, PASSWORD)
    with page.expect_navigation():
        page.get_by_test_id("published-link").click()
    expect(page.get_by_role("heading", name="获奖名单")).to_be_visible()
    shot(page, "published_lists_phone")
