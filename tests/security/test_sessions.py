"""Sessions: an idle timeout (a request pushes the expiry ahead, at most once a minute), an absolute timeout from
the login (members.middleware), and a logout that kills the session on the server."""

import time
from datetime import timedelta

from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

from members.models import AuditKind, AuditLog
from members.signals import LOGIN_AT, REFRESHED_AT
from tests.factories import PASSWORD


def signed_in(client_for, user):
    """A client that signed in through the login page (a real session, as a browser has)."""
    client = client_for()
    assert client.post("/accounts/login/", {"username": user.username, "password": PASSWORD}).status_code == 302
    return client


def stored(client):
    return Session.objects.get(session_key=client.session.session_key)


def test_the_idle_timeout_is_the_cookie_age_renewed_at_most_once_a_minute():
    # Renewed by members.middleware, not on every request: the write would double an autosave's.
    assert settings.SESSION_SAVE_EVERY_REQUEST is False
    assert settings.SESSION_REFRESH_SECONDS == 60
    assert settings.SESSION_COOKIE_AGE == settings.SESSION_IDLE_SECONDS == 2 * 3600
    assert settings.SESSION_ABSOLUTE_SECONDS == 12 * 3600


def _age_refresh(client, seconds):
    session = client.session
    session[REFRESHED_AT] = time.time() - seconds
    session.save()


def test_a_request_pushes_the_idle_expiry_ahead(client_for, people):
    client = signed_in(client_for, people["staff_a"])
    _age_refresh(client, settings.SESSION_REFRESH_SECONDS)
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() + timedelta(minutes=5))
    response = client.get("/")
    assert response.status_code == 200
    left = stored(client).expire_date - timezone.now()
    assert timedelta(seconds=settings.SESSION_IDLE_SECONDS - 60) < left <= timedelta(seconds=settings.SESSION_IDLE_SECONDS)
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == settings.SESSION_IDLE_SECONDS
    assert time.time() - client.session[REFRESHED_AT] < 60


def test_requests_within_a_minute_of_the_last_push_do_not_write_the_session(client_for, people):
    client = signed_in(client_for, people["staff_a"])
    _age_refresh(client, settings.SESSION_REFRESH_SECONDS - 30)
    before = stored(client)
    for _ in range(3):
        response = client.get("/api/v1/me/")
        assert response.status_code == 200
        assert settings.SESSION_COOKIE_NAME not in response.cookies
    assert (stored(client).expire_date, stored(client).session_data) == (before.expire_date, before.session_data)


def test_the_login_counts_as_a_push(client_for, people):
    client = signed_in(client_for, people["staff_a"])
    assert abs(client.session[REFRESHED_AT] - time.time()) < 60
    assert settings.SESSION_COOKIE_NAME not in client.get("/api/v1/me/").cookies


def test_an_idle_session_has_expired(client_for, people):
    client = signed_in(client_for, people["staff_a"])
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get("/projects/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_login_stamps_the_session_with_its_time(client_for, people):
    client = signed_in(client_for, people["staff_a"])
    assert abs(client.session[LOGIN_AT] - time.time()) < 60


def _age_login(client, seconds):
    session = client.session
    session[LOGIN_AT] = time.time() - seconds
    session.save()


def test_a_busy_session_still_ends_at_the_absolute_timeout_with_a_message(client_for, people):
    client = signed_in(client_for, people["staff_a"])
    _age_login(client, settings.SESSION_ABSOLUTE_SECONDS - 60)
    assert client.get("/projects/").status_code == 200
    old_key = client.session.session_key
    _age_login(client, settings.SESSION_ABSOLUTE_SECONDS + 1)
    response = client.get("/projects/", follow=True)
    assert response.redirect_chain[0][0].startswith("/accounts/login/?next=/projects/")
    assert "登录时间已超过上限" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert not Session.objects.filter(session_key=old_key).exists()
    expired = AuditLog.objects.get(kind=AuditKind.SESSION_EXPIRED)
    assert expired.user == people["staff_a"] and expired.path == "/projects/"


def test_the_api_refuses_a_session_past_the_absolute_timeout(client_for, people):
    client = signed_in(client_for, people["staff_a"])
    assert client.get("/api/v1/me/").status_code == 200
    _age_login(client, settings.SESSION_ABSOLUTE_SECONDS + 1)
    assert client.get("/api/v1/me/").status_code in (401, 403)


def test_the_absolute_timeout_follows_the_setting(client_for, people, settings):
    settings.SESSION_ABSOLUTE_SECONDS = 30
    client = signed_in(client_for, people["staff_a"])
    _age_login(client, 31)
    assert client.get("/projects/").status_code == 302


def test_logout_kills_the_session_on_the_server(client_for, people):
    client = signed_in(client_for, people["staff_a"])
    old_key = client.session.session_key
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert cookie == old_key
    assert client.post("/accounts/logout/").status_code == 302
    assert not Session.objects.filter(session_key=old_key).exists()
    # Replaying the old cookie (stolen before the logout) gets nowhere.
    replay = client_for()
    replay.cookies[settings.SESSION_COOKIE_NAME] = old_key
    response = replay.get("/projects/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert replay.get("/api/v1/me/").status_code in (401, 403)


def test_logging_in_again_gives_a_new_session_key(client_for, people):
    client = client_for()
    client.get("/accounts/login/")
    before = client.cookies.get(settings.SESSION_COOKIE_NAME)
    client.post("/accounts/login/", {"username": "staff_a", "password": PASSWORD})
    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert before is None or before.value != after


def test_session_cookies_are_http_only_and_same_site():
    assert settings.SESSION_COOKIE_HTTPONLY is True
    assert settings.SESSION_COOKIE_SAMESITE == "Lax" and settings.CSRF_COOKIE_SAMESITE == "Lax"
