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


# --- the database going away is "try again" (503), not a server bug (500) ----------------------
# The real outage is tests/faults/test_pg_restart.py (every request cut by a PostgreSQL restart
# answers 503, none 500); here the handler's two forms, as Django calls it: inside its except block.


@pytest.mark.parametrize(("path", "content_type"), [("/api/v1/me/", "application/json"), ("/projects/", "text/html")])
def test_a_lost_database_connection_answers_503_with_retry_after(rf, path, content_type):
    from django.db import InterfaceError, OperationalError

    from unionproj.views import server_error

    for error in (OperationalError("server closed the connection unexpectedly"), InterfaceError("connection already closed")):
        try:
            raise error
        except type(error):
            response = server_error(rf.get(path))
        assert response.status_code == 503 and response["Retry-After"] == "5"
        assert response["Content-Type"].startswith(content_type)
        assert "数据库暂时无法连接" in response.content.decode()


def test_any_other_failure_is_still_a_500(rf):
    from unionproj.views import server_error

    try:
        raise ValueError("a bug")
    except ValueError:
        assert server_error(rf.get("/api/v1/me/")).status_code == 500
        assert server_error(rf.get("/projects/")).status_code == 500
