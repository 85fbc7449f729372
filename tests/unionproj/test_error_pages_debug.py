"""The demo runs with DEBUG on; a denied or unknown URL must still show the product's own pages,
never Django's debug page that lists every URL pattern (or, on a failure, settings and source)."""

import pytest
from django.test import Client

from unionproj.middleware import TECHNICAL_PAGE_MARK


@pytest.fixture
def debug_client(settings, db):
    settings.DEBUG = True
    settings.DEBUG_ERROR_PAGES = False
    return Client()  # a new handler: its middleware chain is built with DEBUG on


def test_unknown_url_with_debug_on_shows_the_product_404(debug_client):
    response = debug_client.get("/no-such-page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert TECHNICAL_PAGE_MARK not in response.content
    assert "页面不存在" in body
    assert "URLconf" not in body and "projects/" not in body


def test_a_view_raising_404_with_debug_on_shows_the_product_404(debug_client, people):
    debug_client.force_login(people["staff_a"])
    response = debug_client.get("/projects/999999/")
    assert response.status_code == 404
    assert TECHNICAL_PAGE_MARK not in response.content
    assert "页面不存在" in response.content.decode()


def test_api_404_with_debug_on_stays_json(debug_client):
    response = debug_client.get("/api/v1/no-such-endpoint/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": "未找到。"}


def test_debug_error_pages_setting_brings_back_djangos_page(settings, db):
    settings.DEBUG = True
    settings.DEBUG_ERROR_PAGES = True
    response = Client().get("/no-such-page/")
    assert response.status_code == 404
    assert TECHNICAL_PAGE_MARK in response.content
