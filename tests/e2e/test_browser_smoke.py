"""The browser set-up itself: Debian's chromium renders our pages, in Chinese, with CJK glyphs."""

import pytest

from .browser import shot

pytestmark = pytest.mark.e2e


def test_admin_login_page_renders_in_chinese_on_a_desktop(desktop, live_server, transactional_db):
    response = desktop.goto(f"{live_server.url}/django-admin/login/")
    assert response.status == 200
    assert desktop.evaluate("document.documentElement.lang") == "zh-hans"
    assert "登录" in desktop.title()
    assert desktop.locator("label[for=id_username]").inner_text().startswith("用户名")
    path = shot(desktop, "smoke-admin-login-desktop")
    assert path.stat().st_size > 0


def test_admin_login_page_fits_a_phone(phone, live_server, transactional_db):
    phone.goto(f"{live_server.url}/django-admin/login/")
    assert "登录" in phone.title()
    # nothing wider than the screen: no sideways scrolling on a phone
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    shot(phone, "smoke-admin-login-phone")


def test_a_cjk_font_draws_chinese_glyphs_not_boxes(desktop, live_server, transactional_db):
    # Without a CJK font every Chinese character is drawn as the same "tofu" box, the one an
    # unassigned code point gets: draw some and compare the pixels.
    desktop.goto(f"{live_server.url}/django-admin/login/")
    images = desktop.evaluate("""() => ['工', '会', '项', '\\u{10FFFD}'].map(c => {
        const canvas = document.createElement('canvas');
        canvas.width = canvas.height = 48;
        const g = canvas.getContext('2d');
        g.font = '40px sans-serif';
        g.fillText(c, 4, 40);
        return canvas.toDataURL();
    })""")
    gong, hui, xiang, tofu = images
    assert len({gong, hui, xiang, tofu}) == 4


def test_the_api_schema_is_served(desktop, live_server, transactional_db):
    # The schema is YAML, which the browser would download rather than show: fetch it instead.
    response = desktop.request.get(f"{live_server.url}/api/schema/")
    assert response.status == 200
    assert response.text().startswith("openapi:")
