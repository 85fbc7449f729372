"""The security audit: logins, failed logins (no password kept), logouts and refused requests
are written as append-only rows; the admins' page lists them together with the workflow's own
audit (project transitions, scoring and money events), filtered, paginated, in constant queries."""

import datetime

import pytest
from django.contrib.admin.sites import site
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from evaluations.models import EvaluationEvent
from members import audit
from members.models import AuditKind, AuditLog
from projects.models import ProjectEvent
from tests.factories import PASSWORD, ProjectFactory

from .samples import ADDRESS

AUDIT = "/audit/"


# --- what is written ---------------------------------------------------------------------------


def test_a_login_and_a_logout_are_audited_with_user_and_address(client_for, people):
    client = client_for()
    client.post("/accounts/login/", {"username": "staff_a", "password": PASSWORD})
    client.post("/accounts/logout/")
    login = AuditLog.objects.get(kind=AuditKind.LOGIN)
    logout = AuditLog.objects.get(kind=AuditKind.LOGOUT)
    for row in (login, logout):
        assert row.user == people["staff_a"] and row.username == "staff_a" and row.ip == ADDRESS
    assert login.path == "/accounts/login/" and logout.path == "/accounts/logout/"


def test_a_failed_login_keeps_the_username_typed_and_never_the_password(client_for, people):
    client_for().post("/accounts/login/", {"username": "staff_a", "password": "Secret-Guess-123"})
    client_for().post("/api/v1/auth/token/", {"username": "nobody", "password": "Other-Guess-456"},
                      content_type="application/json")
    rows = AuditLog.objects.filter(kind=AuditKind.LOGIN_FAILED).order_by("id")
    assert [(r.username, r.user_id, r.ip) for r in rows] == [("staff_a", None, ADDRESS), ("nobody", None, ADDRESS)]
    stored = " ".join(f"{r.reason} {r.data} {r.path}" for r in rows)
    assert "Guess" not in stored


def test_a_refused_page_is_audited_with_path_and_user(client_for, people):
    response = client_for(people["staff_a"]).get("/users/")
    assert response.status_code == 403
    row = AuditLog.objects.get(kind=AuditKind.DENIED)
    assert (row.user, row.path, row.method, row.ip) == (people["staff_a"], "/users/", "GET", ADDRESS)


def test_a_refused_api_call_is_audited(client_for, people):
    response = client_for(people["staff_a"]).post("/api/v1/unions/", {"name": "x", "level": "town"},
                                                  content_type="application/json")
    assert response.status_code == 403
    assert AuditLog.objects.get(kind=AuditKind.DENIED).path == "/api/v1/unions/"


def test_a_csrf_failure_is_audited(people, db):
    from django.test import Client

    client = Client(enforce_csrf_checks=True, REMOTE_ADDR=ADDRESS)
    client.force_login(people["admin"])
    assert client.post(reverse("members:union_create"), {"name": "x"}).status_code == 403
    assert AuditLog.objects.filter(kind=AuditKind.DENIED, path=reverse("members:union_create")).exists()


def test_a_forwarded_address_is_used_only_when_configured(rf, settings):
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_REAL_IP="203.0.113.50")
    assert audit.client_ip(request) == "10.0.0.2"
    settings.CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    assert audit.client_ip(request) == "203.0.113.50"
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.51")
    settings.CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    assert audit.client_ip(request) == "203.0.113.51"


# --- append-only ---------------------------------------------------------------------------------


def test_an_audit_row_cannot_be_changed_or_deleted(people):
    row = audit.record(AuditKind.LOGIN, user=people["staff_a"])
    row.reason = "rewritten"
    with pytest.raises(PermissionError):
        row.save()
    with pytest.raises(PermissionError):
        row.delete()
    with pytest.raises(PermissionError):
        AuditLog.objects.filter(pk=row.pk).update(reason="rewritten")
    with pytest.raises(PermissionError):
        AuditLog.objects.all().delete()
    loaded = AuditLog.objects.get(pk=row.pk)
    with pytest.raises(PermissionError):
        loaded.save()
    assert AuditLog.objects.get(pk=row.pk).reason == ""


def test_deleting_a_user_leaves_their_audit_rows(people):
    user = people["juror"]
    audit.record(AuditKind.LOGIN, user=user)
    user.delete()
    row = AuditLog.objects.get(kind=AuditKind.LOGIN)
    assert row.username == "juror1"


def test_the_django_admin_shows_the_audit_read_only(rf, people):
    model_admin = site._registry[AuditLog]
    request = rf.get("/")
    request.user = people["admin"]
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)


# --- the page ------------------------------------------------------------------------------------


def test_only_admins_see_the_audit_page(client_for, people):
    assert client_for(people["admin"]).get(AUDIT).status_code == 200
    for who in ("staff_a", "county_admin_a", "juror"):
        assert client_for(people[who]).get(AUDIT).status_code == 403
    response = client_for().get(AUDIT)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_page_lists_security_rows_project_transitions_and_scoring_events(client_for, people, scoring):
    project = scoring.entries.first().project
    ProjectEvent.objects.create(project=project, actor=people["county_admin_a"], action="recommend",
                                from_status="submitted", to_status="recommended", reason="推荐理由")
    audit.record(AuditKind.LOGIN_FAILED, username="intruder")
    page = client_for(people["admin"]).get(AUDIT).content.decode()
    assert "intruder" in page and "登录失败" in page
    assert project.title in page and "推荐理由" in page and "项目流转" in page
    assert scoring.title in page and "路演评分与奖补" in page
    assert EvaluationEvent.objects.filter(roadshow=scoring).exists()


@pytest.fixture
def mixed_rows(people, scoring):
    project = scoring.entries.first().project
    ProjectEvent.objects.create(project=project, actor=people["county_admin_a"], action="recommend",
                                from_status="submitted", to_status="recommended", reason="推荐理由")
    audit.record(AuditKind.LOGIN_FAILED, username="intruder")
    old = AuditLog(kind=AuditKind.DENIED, username="old_staff", path="/users/",
                   at=timezone.make_aware(datetime.datetime(2025, 1, 10, 9, 0)))
    old.save()
    return project


def rows_of(client, **params):
    response = client.get(AUDIT, params)
    assert response.status_code == 200
    return response.context["rows"]


def test_the_page_filters_by_kind(client_for, people, mixed_rows):
    client = client_for(people["admin"])
    assert {r["source"] for r in rows_of(client, kind="project")} == {"project"}
    assert {r["source"] for r in rows_of(client, kind="evaluation")} == {"evaluation"}
    failed = rows_of(client, kind="login_failed")
    assert [r["username"] for r in failed] == ["intruder"]
    assert len(rows_of(client)) > len(failed)


def test_the_page_filters_by_user_date_range_and_text(client_for, people, mixed_rows):
    client = client_for(people["admin"])
    assert [r["username"] for r in rows_of(client, user="intrud")] == ["intruder"]
    assert {r["username"] for r in rows_of(client, user="cadmin_a")} == {"cadmin_a"}
    old = rows_of(client, date_from="2025-01-10", date_to="2025-01-10")
    assert [r["username"] for r in old] == ["old_staff"]
    assert not rows_of(client, date_from="2025-01-11", date_to="2025-01-12")
    assert [r["reason"] for r in rows_of(client, q="推荐理由")] == ["推荐理由"]
    assert [r["object_label"] for r in rows_of(client, q=mixed_rows.title, kind="project")] == [mixed_rows.title]


def test_the_page_is_newest_first_and_paginated_by_50(client_for, people):
    for i in range(55):
        audit.record(AuditKind.LOGIN_FAILED, username=f"user{i:02d}")
    client = client_for(people["admin"])
    first = rows_of(client, kind="login_failed")
    assert len(first) == 50 and first[0]["username"] == "user54"
    assert len(rows_of(client, kind="login_failed", page=2)) == 5


def test_a_bad_filter_is_ignored_not_an_error(client_for, people):
    assert client_for(people["admin"]).get(AUDIT, {"date_from": "yesterday", "kind": "nope"}).status_code == 200


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_page_costs_the_same_for_1_and_30_rows_of_each_table(client_for, people, tree, campaign):
    client = client_for(people["admin"])
    project = ProjectFactory(campaign=campaign, applicant_union=tree["county_a"])

    def add(n):
        for i in range(n):
            audit.record(AuditKind.LOGIN_FAILED, username=f"u{i}")
            ProjectEvent.objects.create(project=project, actor=people["staff_a"], action="submit",
                                        from_status="draft", to_status="submitted")
            EvaluationEvent.objects.create(actor=people["admin"], object_type="payout", object_id=i,
                                           action="create", data={"amount": "1000.00"})

    add(1)
    client.get(AUDIT)
    few = _queries(client, AUDIT)
    add(29)
    assert _queries(client, AUDIT) == few
