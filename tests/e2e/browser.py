"""The browser of the journeys (and of tests/security/test_csp_browser.py): Playwright's launch
and context settings for Debian's chromium, phone- and desktop-sized pages, and the helpers
``login`` and ``shot``. tests/e2e/conftest.py makes the fixtures available to the journeys."""

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"
CHROMIUM = "/usr/bin/chromium"

PHONE = {"width": 360, "height": 640}
DESKTOP = {"width": 1280, "height": 800}


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # `playwright install` cannot download here: use the distribution's browser.
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox", "--headless", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # A Chinese user's browser: Django's LocaleMiddleware picks zh-hans from Accept-Language.
    return {**browser_context_args, "locale": "zh-CN", "timezone_id": "Asia/Shanghai"}


@pytest.fixture
def phone(new_context):
    """A page in a phone-sized context (360×640, touch)."""
    context = new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    return context.new_page()


@pytest.fixture
def desktop(new_context):
    """A page in a desktop-sized context (1280×800)."""
    context = new_context(viewport=DESKTOP)
    return context.new_page()


def shot(page, name):
    """Save a full-page screenshot as ``test-artifacts/screenshots/<name>.png``; return the path."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    safe = re.sub(r"[^\w.-]+", "_", name).strip("_") or "page"
    path = SCREENSHOTS / f"{safe}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def login(page, live_server, username, password):
    """Sign in through the login form at /accounts/login/ and wait for the next page."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.click("main form [type=submit]")
    return page
