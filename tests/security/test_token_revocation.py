"""Issue 13, item 1: an API token does not outlive the login it came from. A password change
(self or admin) and a logout end every token and every other session of the user; tokens have an
idle and an absolute limit; ``POST /api/v1/auth/logout/`` ends the caller's token. Each
revocation is audited."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from members.credentials import issue_token
from members.models import ApiToken, AuditKind, AuditLog
from tests.factories import PASSWORD

from .samples import ADDRESS

ME = "/api/v1/me/"
NEW_PASSWORD = "Another-pass-2027!"


def token_client(key):
    client = APIClient(REMOTE_ADDR=ADDRESS)
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def take_token(username, password=PASSWORD):
    response = APIClient(REMOTE_ADDR=ADDRESS).post("/api/v1/auth/token/", {"username": username, "password": password},
                                                   format="json")
    assert response.status_code == 200
    return response.json()["token"]


def signed_in(username, password=PASSWORD):
    client = Client(REMOTE_ADDR=ADDRESS)
    assert client.post("/accounts/login/", {"username": username, "password": password}).status_code == 302
    return client


def revocations(user):
    return AuditLog.objects.filter(kind=AuditKind.TOKEN_REVOKED, object_id=user.pk)


def test_a_password_change_ends_every_token_and_every_other_session(people):
    user = people["staff_a"]
    key, phone = take_token("staff_a"), signed_in("staff_a")
    browser = signed_in("staff_a")
    assert token_client(key).get(ME).status_code == 200 and phone.get(ME).status_code == 200

    response = browser.post("/accounts/password/", {"old_password": PASSWORD, "new_password1": NEW_PASSWORD,
                                                     "new_password2": NEW_PASSWORD})
    assert response.status_code == 302

    assert token_client(key).get(ME).status_code == 401
    assert phone.get(ME).status_code == 401  # the other session is signed out
    assert browser.get(ME).status_code == 200  # the one that changed it carries on
    assert not ApiToken.objects.filter(user=user).exists()
    row = revocations(user).get()
    assert row.user == user and row.data["cause"] == "password_changed" and row.data["tokens"] == 1
    assert AuditLog.objects.filter(kind=AuditKind.PASSWORD_CHANGED, user=user).exists()


def test_a_logout_ends_every_token_and_every_other_session(people):
    user = people["staff_a"]
    key, other = take_token("staff_a"), signed_in("staff_a")
    browser = signed_in("staff_a")
    assert browser.post("/accounts/logout/").status_code == 302

    assert token_client(key).get(ME).status_code == 401
    assert other.get(ME).status_code == 401
    assert revocations(user).get().data == {"tokens": 1, "sessions": True, "cause": "logout"}


def test_an_admins_password_reset_on_the_user_form_ends_every_token_and_session(people):
    user, admin = people["staff_a"], people["admin"]
    key, session = take_token("staff_a"), signed_in("staff_a")
    page = Client(REMOTE_ADDR=ADDRESS)
    page.force_login(admin)
    response = page.post(f"/users/{user.pk}/edit/", {
        "username": user.username, "name": user.name, "union": user.union_id, "roles": ["staff"],
        "password": NEW_PASSWORD, "is_active": "on",
    })
    assert response.status_code == 302

    assert token_client(key).get(ME).status_code == 401
    assert session.get(ME).status_code == 401
    assert signed_in("staff_a", NEW_PASSWORD).get(ME).status_code == 200
    row = revocations(user).get()
    assert row.user == admin and row.data["cause"] == "admin_password" and row.ip == ADDRESS
    changed = AuditLog.objects.get(kind=AuditKind.ADMIN_PASSWORD, object_id=user.pk)
    assert changed.user == admin and "admin1" in changed.reason and "staff_a" in changed.reason


def test_an_admin_saving_the_form_without_a_password_revokes_nothing(people):
    user, admin = people["staff_a"], people["admin"]
    key = take_token("staff_a")
    page = Client(REMOTE_ADDR=ADDRESS)
    page.force_login(admin)
    response = page.post(f"/users/{user.pk}/edit/", {
        "username": user.username, "name": "新名字", "union": user.union_id, "roles": ["staff"], "is_active": "on",
    })
    assert response.status_code == 302
    assert token_client(key).get(ME).status_code == 200
    assert not revocations(user).exists()


def test_api_logout_ends_the_callers_token_only(people):
    user = people["staff_a"]
    mine, other = take_token("staff_a"), take_token("staff_a")
    response = token_client(mine).post("/api/v1/auth/logout/")
    assert response.status_code == 200 and response.json()["revoked_tokens"] == 1

    assert token_client(mine).get(ME).status_code == 401
    assert token_client(other).get(ME).status_code == 200
    row = AuditLog.objects.get(kind=AuditKind.TOKEN_REVOKED, user=user)
    assert row.data["cause"] == "api_logout" and row.ip == ADDRESS
    # Logging out again with the dead token is 401, not an error.
    assert token_client(mine).post("/api/v1/auth/logout/").status_code == 401


def test_api_logout_with_a_session_is_a_full_logout(people):
    key, session = take_token("staff_a"), signed_in("staff_a")
    api = APIClient(REMOTE_ADDR=ADDRESS, enforce_csrf_checks=False)
    api.force_login(people["staff_a"])
    assert api.post("/api/v1/auth/logout/").json()["revoked_tokens"] == 1
    assert token_client(key).get(ME).status_code == 401
    assert session.get(ME).status_code == 401


def test_api_logout_needs_a_login(people):
    assert APIClient().post("/api/v1/auth/logout/").status_code == 401


# --- expiry --------------------------------------------------------------------------------------


def age(key_user, **fields):
    ApiToken.objects.filter(user=key_user).update(**fields)


def test_a_token_unused_for_the_idle_limit_ends_and_the_expiry_is_audited(people, settings):
    user = people["staff_a"]
    key = take_token("staff_a")
    age(user, last_used_at=timezone.now() - timedelta(seconds=settings.API_TOKEN_IDLE_SECONDS + 1))
    response = token_client(key).get(ME)
    assert response.status_code == 401 and "过期" in response.json()["detail"]
    assert not ApiToken.objects.filter(user=user).exists()
    assert AuditLog.objects.get(kind=AuditKind.TOKEN_EXPIRED).user == user


def test_a_token_in_use_ends_at_the_absolute_limit(people, settings):
    user = people["staff_a"]
    key = take_token("staff_a")
    age(user, created_at=timezone.now() - timedelta(seconds=settings.API_TOKEN_ABSOLUTE_SECONDS + 1))
    assert token_client(key).get(ME).status_code == 401


def test_a_request_pushes_the_idle_limit_ahead_at_most_once_a_refresh(people, settings, django_assert_num_queries):
    user = people["staff_a"]
    key = take_token("staff_a")
    client = token_client(key)
    almost = timezone.now() - timedelta(seconds=settings.API_TOKEN_IDLE_SECONDS - 5)
    age(user, last_used_at=almost)
    assert client.get(ME).status_code == 200
    pushed = ApiToken.objects.get(user=user).last_used_at
    assert pushed > timezone.now() - timedelta(seconds=5)
    # Within SESSION_REFRESH_SECONDS of that push: the look-up is the only query, no write.
    with django_assert_num_queries(1):
        assert client.get(ME).status_code == 200
    assert ApiToken.objects.get(user=user).last_used_at == pushed


def test_the_limits_are_settings_with_sensible_defaults(settings):
    assert settings.API_TOKEN_IDLE_SECONDS == 2 * 3600
    assert settings.API_TOKEN_ABSOLUTE_SECONDS == 12 * 3600
    assert settings.PASSWORD_RESET_SECONDS == 24 * 3600


def test_a_deactivated_users_token_is_refused(people):
    key = take_token("staff_a")
    type(people["staff_a"]).objects.filter(pk=people["staff_a"].pk).update(is_active=False)
    assert token_client(key).get(ME).status_code == 401


@pytest.mark.parametrize("header", ["Token nope", "Token " + "0" * 40, "Token a b"])
def test_an_unknown_token_is_401(people, header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    assert client.get(ME).status_code == 401


def test_a_juror_autosave_with_an_expired_token_is_refused(scoring, jurors, settings):
    from evaluations.models import Scorecard

    card = Scorecard.objects.filter(juror=jurors[0]).first()
    key = issue_token(user=jurors[0])
    client = token_client(key)
    first = card.entry.roadshow.rubric.criteria.order_by("order").first()
    body = {"scores": {str(first.pk): "10"}}
    assert client.put(f"/api/v1/scorecards/{card.pk}/", body, format="json").status_code == 200
    age(jurors[0], last_used_at=timezone.now() - timedelta(seconds=settings.API_TOKEN_IDLE_SECONDS + 1))
    assert client.put(f"/api/v1/scorecards/{card.pk}/", body, format="json").status_code == 401
