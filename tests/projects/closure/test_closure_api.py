"""Closure (结项) through the API (API.md): closing-report {report}, accept-closure,
fail-closure {reason}; every state × action × role → the status code of the contract.

Written by hand from DESIGN.md: staff of the applicant union report from approved, shortlisted,
awarded — and again after a failed closure; the campaign's admin accepts or fails a report in
``closing``. A county admin above the union sees the project but may do none of it; another
county's staff sees only closed projects (anything else is 404)."""

import pytest

from projects.models import ClosingReport, ProjectEvent
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db

STATES = ["submitted", "approved", "shortlisted", "awarded", "closing", "closed", "closure_failed"]
ACTIONS = ["closing-report", "accept-closure", "fail-closure"]

#                        closing-report accept-closure fail-closure
EXPECTED = {
    "admin": {
        "submitted":      (403, 409, 409),
        "approved":       (403, 409, 409),
        "shortlisted":    (403, 409, 409),
        "awarded":        (403, 409, 409),
        "closing":        (403, 200, 200),
        "closed":         (403, 409, 409),
        "closure_failed": (403, 409, 409),
    },
    "applicant_staff": {
        "submitted":      (409, 403, 403),
        "approved":       (200, 403, 403),
        "shortlisted":    (200, 403, 403),
        "awarded":        (200, 403, 403),
        "closing":        (409, 403, 403),
        "closed":         (409, 403, 403),
        "closure_failed": (200, 403, 403),
    },
    "ancestor_county_admin": {state: (403, 403, 403) for state in STATES},
    "other_county_staff": {
        **{state: (404, 404, 404) for state in STATES},
        "closed": (403, 403, 403),  # closed projects are everybody's showcase
    },
}
TARGET = {"closing-report": "closing", "accept-closure": "closed", "fail-closure": "closure_failed"}
EVENT = {"closing-report": "closing_report", "accept-closure": "accept_closure", "fail-closure": "fail_closure"}
BODY = {"closing-report": {"report": "项目按计划完成，服务职工 3000 人次。"}, "accept-closure": {},
        "fail-closure": {"reason": "经费使用说明不全。"}}

CASES = [
    pytest.param(role, state, action, EXPECTED[role][state][i], id=f"{role}-{state}-{action}")
    for role in EXPECTED for state in STATES for i, action in enumerate(ACTIONS)
]


@pytest.fixture
def actors(people):
    return {"admin": people["admin"], "applicant_staff": people["staff_a1"],
            "ancestor_county_admin": people["county_admin_a"], "other_county_staff": people["staff_b"]}


@pytest.mark.parametrize("role, state, action, expected", CASES)
def test_closure_matrix(api_as, actors, tree, campaign, role, state, action, expected):
    project = ProjectFactory(campaign=campaign, applicant_union=tree["town_a1"], status=state)
    response = api_as(actors[role]).post(f"/api/v1/projects/{project.pk}/{action}/", BODY[action], format="json")

    assert response.status_code == expected, response.content
    project.refresh_from_db()
    if expected == 200:
        assert response.json()["status"] == TARGET[action] == project.status
        event = ProjectEvent.objects.get(project=project)
        assert (event.actor, event.action, event.from_status, event.to_status) == (
            actors[role], EVENT[action], state, TARGET[action])
        if action == "closing-report":
            assert ClosingReport.objects.get(project=project).text == BODY[action]["report"]
        if action == "fail-closure":
            assert event.reason == BODY[action]["reason"]
    else:
        assert project.status == state
        assert not ProjectEvent.objects.filter(project=project).exists()
        assert not ClosingReport.objects.filter(project=project).exists()
    if expected == 409:
        assert response.json() == {"detail": response.json()["detail"], "state": state}


@pytest.mark.parametrize("body", [{}, {"report": ""}, {"report": "  \n"}])
def test_a_closing_report_without_text_is_400(api_as, people, tree, campaign, body):
    project = ProjectFactory(campaign=campaign, applicant_union=tree["town_a1"], status="awarded")
    response = api_as(people["staff_a1"]).post(f"/api/v1/projects/{project.pk}/closing-report/", body, format="json")
    assert response.status_code == 400
    assert "report" in response.json()
    project.refresh_from_db()
    assert project.status == "awarded"


@pytest.mark.parametrize("body", [{}, {"reason": "   "}])
def test_failing_a_closure_without_a_reason_is_400(api_as, people, tree, campaign, body):
    project = ProjectFactory(campaign=campaign, applicant_union=tree["town_a1"], status="closing")
    response = api_as(people["admin"]).post(f"/api/v1/projects/{project.pk}/fail-closure/", body, format="json")
    assert response.status_code == 400
    assert "reason" in response.json()
    project.refresh_from_db()
    assert project.status == "closing"


def test_a_failed_closure_is_reported_again_and_accepted(api_as, people, tree, campaign):
    project = ProjectFactory(campaign=campaign, applicant_union=tree["town_a1"], status="approved")
    staff, admin = api_as(people["staff_a1"]), None
    url = f"/api/v1/projects/{project.pk}"
    assert staff.post(f"{url}/closing-report/", {"report": "第一次"}, format="json").status_code == 200
    admin = api_as(people["admin"])
    assert admin.post(f"{url}/fail-closure/", {"reason": "缺少经费决算"}, format="json").status_code == 200
    staff = api_as(people["staff_a1"])
    assert staff.post(f"{url}/closing-report/", {"report": "第二次，附经费决算"}, format="json").status_code == 200
    admin = api_as(people["admin"])
    assert admin.post(f"{url}/accept-closure/").json()["status"] == "closed"
    history = admin.get(f"{url}/history/").json()
    assert [(h["action"], h["from_status"], h["to_status"]) for h in history] == [
        ("closing_report", "approved", "closing"), ("fail_closure", "closing", "closure_failed"),
        ("closing_report", "closure_failed", "closing"), ("accept_closure", "closing", "closed"),
    ]
    reports = admin.get(f"{url}/closing-reports/").json()
    assert [r["text"] for r in reports] == ["第一次", "第二次，附经费决算"]


def test_closing_material_is_uploaded_with_its_kind(api_as, people, tree, campaign, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    project = ProjectFactory(campaign=campaign, applicant_union=tree["town_a1"], status="awarded")
    client = api_as(people["staff_a1"])
    pdf = SimpleUploadedFile("结项报告.pdf", b"%PDF-1.4 closing", content_type="application/pdf")
    response = client.post(f"/api/v1/projects/{project.pk}/attachments/", {"file": pdf, "kind": "closing"},
                           format="multipart")
    assert response.status_code == 201, response.content
    assert response.json()["kind"] == "closing"
    # a proposal file can no longer be added to an awarded project
    pdf = SimpleUploadedFile("申报书.pdf", b"%PDF-1.4 proposal", content_type="application/pdf")
    response = client.post(f"/api/v1/projects/{project.pk}/attachments/", {"file": pdf}, format="multipart")
    assert response.status_code == 409


def test_a_closed_project_is_readable_by_another_unions_staff(api_as, people, tree, campaign):
    project = ProjectFactory(campaign=campaign, applicant_union=tree["town_a1"], status="closed")
    response = api_as(people["staff_b"]).get(f"/api/v1/projects/{project.pk}/")
    assert response.status_code == 200
    assert response.json()["status"] == "closed"
