"""API.md "Errors": every error under /api/ is JSON ``{"detail": …}``, also when no view runs —
a URL no API route matches (Schemathesis found HTML 404 pages for ids like ``-1`` in nested
routes), or a request Django refuses before the view reads it. Pages elsewhere stay HTML."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", [
    "/api/v1/roadshows/-1/entries/",
    "/api/v1/roadshows/1/entries/-5/",
    "/api/v1/attachments/-1/download/",
    "/api/v1/no-such-thing/",
    "/api/v1/exports/a%2Fb/",
])
def test_an_api_url_no_route_matches_is_a_json_404(api_as, people, url):
    response = api_as(people["admin"]).get(url)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "未找到。"}


def test_a_page_url_no_route_matches_is_still_the_html_404(api_as, people):
    response = api_as(people["admin"]).get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_a_form_with_too_many_fields_is_a_json_400(api_as, people, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    body = "&".join(f"f{i}=1" for i in range(20))
    response = api_as(people["staff_a1"]).post("/api/v1/projects/", body,
                                               content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert set(response.json()) == {"detail"}
