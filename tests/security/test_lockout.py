"""Brute force (django-axes): five wrong passwords from one address lock that username there for
an hour, on the login page (a Chinese page) and on the API token endpoint (a JSON answer); an
admin unlocks from the audit pages, and the right password works again."""

from axes.models import AccessAttempt
from django.urls import reverse

from members.models import AuditKind, AuditLog
from tests.factories import PASSWORD

from .samples import ADDRESS

LOGIN = "/accounts/login/"
TOKEN = "/api/v1/auth/token/"
LOCKED_TEXT = "账号已临时锁定"


def fail_login(client, username, times):
    return [client.post(LOGIN, {"username": username, "password": "wrong-password"}) for _ in range(times)]


def test_four_wrong_passwords_do_not_lock_and_the_right_one_then_signs_in(client_for, people):
    client = client_for()
    for response in fail_login(client, "staff_a", 4):
        assert response.status_code == 200 and LOCKED_TEXT not in response.content.decode()
    response = client.post(LOGIN, {"username": "staff_a", "password": PASSWORD})
    assert response.status_code == 302
    # Success resets the count (AXES_RESET_ON_SUCCESS).
    assert not AccessAttempt.objects.filter(username="staff_a").exists()


def test_five_wrong_passwords_lock_the_login_page_with_a_chinese_message(client_for, people):
    client = client_for()
    *_, fifth = fail_login(client, "staff_a", 5)
    assert fifth.status_code == 429
    page = fifth.content.decode()
    assert LOCKED_TEXT in page and "1 小时" in page
    # It names who really can unlock (the audit pages are the municipal admin's), not "本单位管理员".
    assert "市总管理员" in page and "本单位管理员在" not in page
    assert "Content-Security-Policy" in fifth.headers
    # Even the right password is refused now.
    response = client.post(LOGIN, {"username": "staff_a", "password": PASSWORD})
    assert response.status_code == 429 and LOCKED_TEXT in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_lock_holds_only_for_that_username_at_that_address(client_for, people):
    fail_login(client_for(), "staff_a", 5)
    # Same address, another user: free.
    assert client_for().post(LOGIN, {"username": "staff_b", "password": PASSWORD}).status_code == 302
    # Same user, another address: free.
    elsewhere = client_for(REMOTE_ADDR="198.51.100.9")
    assert elsewhere.post(LOGIN, {"username": "staff_a", "password": PASSWORD}).status_code == 302


def test_the_api_token_endpoint_counts_failures_and_locks_with_a_json_answer(client_for, people):
    client = client_for()
    for _ in range(4):
        response = client.post(TOKEN, {"username": "staff_a", "password": "nope"}, content_type="application/json")
        assert response.status_code == 400
        assert response.json()["detail"] == "用户名或密码错误。"
    fifth = client.post(TOKEN, {"username": "staff_a", "password": "nope"}, content_type="application/json")
    assert fifth.status_code == 429
    assert fifth["Content-Type"].startswith("application/json")
    assert "锁定" in fifth.json()["detail"]
    right = client.post(TOKEN, {"username": "staff_a", "password": PASSWORD}, content_type="application/json")
    assert right.status_code == 429 and "锁定" in right.json()["detail"]


def test_login_page_and_api_failures_add_up(client_for, people):
    client = client_for()
    fail_login(client, "staff_a", 3)
    for _ in range(2):
        client.post(TOKEN, {"username": "staff_a", "password": "nope"}, content_type="application/json")
    assert client.post(LOGIN, {"username": "staff_a", "password": PASSWORD}).status_code == 429


def test_an_admin_sees_the_lockout_and_unlocks_it_then_the_right_password_works(client_for, people):
    fail_login(client_for(), "staff_a", 5)
    admin = client_for(people["admin"])
    page = admin.get(reverse("audit:lockouts"))
    assert page.status_code == 200
    assert "staff_a" in page.content.decode() and ADDRESS in page.content.decode()
    attempt = AccessAttempt.objects.get(username="staff_a")
    response = admin.post(reverse("audit:unlock", args=[attempt.pk]))
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username="staff_a").exists()
    assert "staff_a" in admin.get(response["Location"]).content.decode()  # the success message
    unlock = AuditLog.objects.get(kind=AuditKind.UNLOCK)
    assert unlock.user == people["admin"] and unlock.from_value == "staff_a" and unlock.to_value == ADDRESS
    client = client_for()
    assert client.post(LOGIN, {"username": "staff_a", "password": PASSWORD}).status_code == 302
    assert client.session["_auth_user_id"] == str(people["staff_a"].pk)


def test_a_token_is_issued_again_after_an_unlock(client_for, people):
    client = client_for()
    for _ in range(5):
        client.post(TOKEN, {"username": "staff_a", "password": "nope"}, content_type="application/json")
    attempt = AccessAttempt.objects.get(username="staff_a")
    client_for(people["admin"]).post(reverse("audit:unlock", args=[attempt.pk]))
    response = client.post(TOKEN, {"username": "staff_a", "password": PASSWORD}, content_type="application/json")
    assert response.status_code == 200 and response.json()["token"]


def test_only_admins_see_lockouts_or_unlock(client_for, people):
    fail_login(client_for(), "staff_a", 5)
    attempt = AccessAttempt.objects.get(username="staff_a")
    for who in ("staff_a", "county_admin_a", "juror"):
        client = client_for(people[who])
        assert client.get(reverse("audit:lockouts")).status_code == 403
        assert client.post(reverse("audit:unlock", args=[attempt.pk])).status_code == 403
    anonymous = client_for()
    assert anonymous.post(reverse("audit:unlock", args=[attempt.pk])).status_code == 302
    assert AccessAttempt.objects.filter(username="staff_a").exists()
    # Unlocking is a POST: a link cannot do it.
    assert client_for(people["admin"]).get(reverse("audit:unlock", args=[attempt.pk])).status_code == 405


def test_the_lockout_is_audited(client_for, people):
    fail_login(client_for(), "staff_a", 5)
    assert AuditLog.objects.filter(kind=AuditKind.LOGIN_FAILED, username="staff_a").count() == 5
    lockout = AuditLog.objects.get(kind=AuditKind.LOCKOUT)
    assert lockout.username == "staff_a" and lockout.ip == ADDRESS


# --- issue 20: the warning before the lockout; issue 22: who can unlock ------------------------


def test_each_wrong_password_says_how_many_tries_are_left(client_for, people):
    client = client_for()
    pages = [r.content.decode() for r in fail_login(client, "staff_a", 4)]
    assert "用户名或密码不正确" in pages[0]
    for page, left in zip(pages, [4, 3, 2, 1]):
        assert f"还可尝试 {left} 次" in page
    # A wrong password for a name nobody has counts and warns the same (no user enumeration).
    assert "还可尝试 4 次" in client.post(LOGIN, {"username": "nobody", "password": "x"}).content.decode()


def test_the_tries_left_warning_is_in_english_too(client_for, people):
    client = client_for(HTTP_ACCEPT_LANGUAGE="en")
    client.cookies["django_language"] = "en"
    page = fail_login(client, "staff_a", 2)[-1].content.decode()
    assert "3 attempt(s) left" in page


def test_the_lockout_page_names_who_can_unlock_and_they_can(client_for, people):
    page = fail_login(client_for(), "staff_a", 5)[-1].content.decode()
    assert "市总管理员" in page and "安全审计" in page
    # Those named can open the unlock page; a county admin (本单位/区县) cannot.
    assert client_for(people["admin"]).get(reverse("audit:lockouts")).status_code == 200
    assert client_for(people["county_admin_a"]).get(reverse("audit:lockouts")).status_code == 403
    # The login page's hint for a forgotten password names them as well (reset links are theirs).
    hint = client_for().get(LOGIN).content.decode()
    assert "联系市总管理员" in hint and "本单位管理员" not in hint
