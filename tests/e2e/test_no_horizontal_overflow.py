"""No page is wider than the screen (issue 20 item 3): every page a role may open (the URL
matrix's 200s, generated from the URL configuration) at 1366×768 and 390×844, in Chinese and
in English. A menu or a table that pushes the page sideways hides the log-out button or a column."""

import pytest
from django.conf import settings
from django.test import Client

from tests.security.matrix_kwargs import kwargs_for, query_for
from tests.security.test_url_matrix import EXPECTED
from tests.security.urlwalk import fill, our_routes
from tests.security.world import ROLES, build_world, roles

from .browser import shot

pytestmark = pytest.mark.e2e

VIEWPORTS = {"desktop": {"width": 1366, "height": 768}, "phone": {"width": 390, "height": 844}}
# Files, not pages.
NOT_PAGES = ("download", "export", "template", "healthz", "-pdf", "screen")
WIDTH = "Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"


@pytest.fixture
def world(transactional_db, people, tree, campaign, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    built = build_world(people, tree, campaign)
    return roles(people, built), built


def _pages(role, world):
    column = ROLES.index(role) + 1
    for name, route in sorted(our_routes().items()):
        expected = EXPECTED.get(name)
        if not expected or expected[0] != "GET" or expected[column] != 200 or any(n in name for n in NOT_PAGES):
            continue
        yield name, fill(route, kwargs_for(name, route, world)) + query_for(name, world)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("role", ["admin", "staff_owner", "juror_on", "county_admin_above"])
def test_no_page_is_wider_than_the_screen(world, live_server, new_context, role, language):
    users, built = world
    client = Client()
    client.force_login(users[role])
    cookies = [
        {"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
         "url": live_server.url},
        {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url},
    ]
    wide = []
    pages = list(_pages(role, built))
    assert pages
    for kind, viewport in VIEWPORTS.items():
        context = new_context(viewport=viewport, is_mobile=kind == "phone")
        context.add_cookies(cookies)
        page = context.new_page()
        for name, url in pages:
            response = page.goto(f"{live_server.url}{url}")
            assert response.status < 400, f"{url} ({name}): {response.status}"
            if not page.evaluate("!!document.querySelector('meta[name=viewport]')"):
                continue  # an htmx fragment, shown inside a page, not a page of its own
            width = page.evaluate(WIDTH)
            if width > viewport["width"]:
                wide.append(f"{kind} {language} {url} ({name}): {width} px > {viewport['width']} px")
                shot(page, f"overflow_{role}_{kind}_{language}_{name}")
        context.close()
    assert not wide, "\n".join(wide)
