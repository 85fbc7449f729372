"""Issue 13, item 3: an admin cannot score as a juror. Admins never set the password of a juror
seated on a roadshow not yet finalised (pages, API, Django admin); they issue a one-time reset
link (valid 24 h, shown once, audited as "admin reset juror X") which also ends the juror's
sessions and tokens; the audit shows every admin-initiated credential change."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from awards import services as award_services
from members.credentials import issue_token
from members.models import ApiToken, AuditKind, AuditLog, PasswordReset
from tests.factories import PASSWORD

from .samples import ADDRESS

pytestmark = pytest.mark.usefixtures("eager_celery")  # jobs (the compute) run in process

NEW_PASSWORD = "Juror-new-pass-2027!"


@pytest.fixture
def admin(people):
    return people["admin"]


def admin_page(admin):
    client = Client(REMOTE_ADDR=ADDRESS)
    client.force_login(admin)
    return client


def edit_form(juror, **extra):
    return {"username": juror.username, "name": juror.name, "roles": ["juror"], "is_active": "on", **extra}


def test_the_user_form_offers_no_password_for_a_seated_juror_and_refuses_one(scoring, jurors, admin):
    juror, page = jurors[0], admin_page(admin)
    html = page.get(f"/users/{juror.pk}/edit/").content.decode()
    assert 'name="password"' not in html and "发放一次性重置链接" in html
    # A crafted POST with a password changes nothing.
    before = type(juror).objects.get(pk=juror.pk).password
    assert page.post(f"/users/{juror.pk}/edit/", edit_form(juror, password=NEW_PASSWORD)).status_code == 302
    assert type(juror).objects.get(pk=juror.pk).password == before
    assert not AuditLog.objects.filter(kind=AuditKind.ADMIN_PASSWORD).exists()


def test_the_service_refuses_a_password_for_a_seated_juror(scoring, jurors, admin):
    from django.core.exceptions import PermissionDenied

    from members import services

    juror = jurors[0]
    with pytest.raises(PermissionDenied):
        services.save_user(actor=admin, user=juror, username=juror.username, roles=["juror"], password=NEW_PASSWORD)


def test_a_superuser_cannot_set_it_in_the_django_admin_either(scoring, jurors):
    from tests.factories import UserFactory

    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    client = admin_page(root)
    url = f"/django-admin/members/user/{jurors[0].pk}/password/"
    response = client.post(url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 403
    assert not type(jurors[0]).objects.get(pk=jurors[0].pk).check_password(NEW_PASSWORD)


def test_the_django_admin_change_of_another_users_password_is_audited_and_revokes(people):
    from tests.factories import UserFactory

    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    staff = people["staff_a"]
    key = issue_token(user=staff)
    response = admin_page(root).post(f"/django-admin/members/user/{staff.pk}/password/",
                                     {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert AuditLog.objects.get(kind=AuditKind.ADMIN_PASSWORD, object_id=staff.pk).user == root
    assert not ApiToken.objects.filter(user=staff).exists() and key


def test_the_reset_link_is_shown_once_audited_and_revokes_the_jurors_logins(scoring, jurors, admin):
    juror, page = jurors[0], admin_page(admin)
    key = issue_token(user=juror)
    juror_browser = Client(REMOTE_ADDR="198.51.100.20")
    assert juror_browser.post("/accounts/login/", {"username": juror.username, "password": PASSWORD}).status_code == 302

    response = page.post(f"/users/{juror.pk}/reset-password/")
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    link = re.search(r'data-testid="reset-link">([^<]+)<', response.content.decode()).group(1)
    code = link.rstrip("/").rsplit("/", 1)[-1]
    # Only the digest is stored: the code is nowhere in the database.
    assert not PasswordReset.objects.filter(digest=code).exists()
    reset = PasswordReset.objects.get(user=juror)
    assert timedelta(hours=23, minutes=59) < reset.expires_at - timezone.now() <= timedelta(hours=24)

    # Audited as "admin reset juror X"; the juror's token and session are gone, the old password too.
    row = AuditLog.objects.get(kind=AuditKind.ADMIN_RESET)
    assert row.user == admin and row.object_id == juror.pk and row.ip == ADDRESS
    assert "admin1" in row.reason and "评委" in row.reason and juror.username in row.reason
    assert AuditLog.objects.get(kind=AuditKind.TOKEN_REVOKED, object_id=juror.pk).data["cause"] == "admin_reset"
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/me/").status_code == 401
    assert juror_browser.get("/api/v1/me/").status_code == 401
    assert Client().post("/accounts/login/", {"username": juror.username, "password": PASSWORD}).status_code == 200

    # The juror sets a new password with the link, once.
    juror_phone = Client(REMOTE_ADDR="198.51.100.20")
    form = juror_phone.get(link)
    assert form.status_code == 200 and juror.username in form.content.decode()
    done = juror_phone.post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302
    used = AuditLog.objects.get(kind=AuditKind.RESET_USED)
    assert used.user == juror and used.ip == "198.51.100.20"
    assert Client().post("/accounts/login/", {"username": juror.username, "password": NEW_PASSWORD}).status_code == 302
    # Used up.
    assert juror_phone.get(link).status_code == 404
    assert juror_phone.post(link, {"new_password1": "Third-pass-2028!", "new_password2": "Third-pass-2028!"}
                            ).status_code == 404


def test_an_expired_or_unknown_link_is_refused(scoring, jurors, admin):
    from members.credentials import issue_password_reset

    reset, code = issue_password_reset(actor=admin, user=jurors[0])
    PasswordReset.objects.filter(pk=reset.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert Client().get(f"/accounts/reset/{code}/").status_code == 404
    assert Client().get("/accounts/reset/not-a-code/").status_code == 404


def test_a_new_link_voids_the_earlier_one(scoring, jurors, admin):
    from members.credentials import issue_password_reset

    _first, old = issue_password_reset(actor=admin, user=jurors[0])
    _second, new = issue_password_reset(actor=admin, user=jurors[0])
    assert Client().get(f"/accounts/reset/{old}/").status_code == 404
    assert Client().get(f"/accounts/reset/{new}/").status_code == 200


def test_the_api_has_the_same_rule(scoring, jurors, admin, people):
    api = APIClient(REMOTE_ADDR=ADDRESS)
    api.force_login(admin)
    response = api.post(f"/api/v1/users/{jurors[0].pk}/reset-password/")
    assert response.status_code == 201
    body = response.json()
    assert body["user"] == jurors[0].pk and body["code"] in body["link"] and body["expires_at"]
    assert AuditLog.objects.get(kind=AuditKind.ADMIN_RESET).object_id == jurors[0].pk
    # Not an admin: 403.
    staff = APIClient()
    staff.force_login(people["staff_a"])
    assert staff.post(f"/api/v1/users/{jurors[0].pk}/reset-password/").status_code == 403


def test_a_juror_of_a_finalised_roadshow_may_be_given_a_password_again(admin, computed):
    roadshow = award_services.finalize(actor=admin, roadshow=computed)
    from members import services

    juror = roadshow.seats.first().user
    services.save_user(actor=admin, user=juror, username=juror.username, roles=["juror"], password=NEW_PASSWORD)
    juror.refresh_from_db()
    assert juror.check_password(NEW_PASSWORD)
    assert AuditLog.objects.get(kind=AuditKind.ADMIN_PASSWORD, object_id=juror.pk).user == admin


def test_a_juror_of_a_closed_but_not_finalised_roadshow_is_still_protected(admin, closed_roadshow):
    from django.core.exceptions import PermissionDenied

    from members import services

    juror = closed_roadshow.seats.first().user
    with pytest.raises(PermissionDenied):
        services.save_user(actor=admin, user=juror, username=juror.username, roles=["juror"], password=NEW_PASSWORD)


def test_a_juror_on_no_roadshow_may_be_given_a_password(people, admin):
    juror = people["juror"]
    page = admin_page(admin)
    assert 'name="password"' in page.get(f"/users/{juror.pk}/edit/").content.decode()
    assert page.post(f"/users/{juror.pk}/edit/", edit_form(juror, password=NEW_PASSWORD)).status_code == 302
    juror.refresh_from_db()
    assert juror.check_password(NEW_PASSWORD)


def test_an_initial_password_given_through_the_api_is_audited(admin, tree):
    api = APIClient(REMOTE_ADDR=ADDRESS)
    api.force_login(admin)
    response = api.post("/api/v1/users/", {"username": "new_juror", "password": NEW_PASSWORD, "name": "新评委",
                                           "roles": ["juror"], "juror_kind": "expert"}, format="json")
    assert response.status_code == 201
    row = AuditLog.objects.get(kind=AuditKind.ADMIN_PASSWORD, object_id=response.json()["id"])
    assert row.user == admin and row.ip == ADDRESS and "初始密码" in row.reason
    # A new account has no logins to revoke.
    assert not AuditLog.objects.filter(kind=AuditKind.TOKEN_REVOKED).exists()
