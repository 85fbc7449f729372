"""Issue 21, item 1 through the API: a project on an unfinished roadshow answers 409 naming the
roadshow for every transition; a second unfinished roadshow refuses it; the recovery
endpoints are the admin's and audited."""

import datetime

import pytest

from evaluations import services
from evaluations.models import Entry, EvaluationEvent
from projects.enums import ProjectStatus
from projects.models import Project, ProjectEvent

API = "/api/v1"


def _legacy_status(project, status):
    Project.objects.filter(pk=project.pk).update(status=status)


def test_closing_report_api_is_409_naming_the_roadshow(api_as, people, scoring, entries_projects):
    project = entries_projects[0]
    response = api_as(people["staff_a"]).post(f"{API}/projects/{project.pk}/closing-report/",
                                              {"report": "全部完成"}, format="json")
    assert response.status_code == 409, response.content
    assert scoring.title in response.json()["detail"]
    assert response.json()["state"] == "shortlisted"
    project.refresh_from_db()
    assert project.status == ProjectStatus.SHORTLISTED


@pytest.mark.parametrize(("status", "action", "body"), [
    ("submitted", "return", {"reason": "补充材料"}),
    ("submitted", "reject", {"reason": "不符合"}),
    ("submitted", "approve", {}),
    ("approved", "shortlist", {}),
    ("closing", "accept-closure", {}),
    ("closing", "fail-closure", {"reason": "材料不全"}),
])
def test_admin_transitions_of_a_project_on_an_unfinished_roadshow_are_409(admin_api, roadshow, entries_projects,
                                                                           status, action, body):
    project = entries_projects[1]
    _legacy_status(project, status)
    response = admin_api.post(f"{API}/projects/{project.pk}/{action}/", body, format="json")
    assert response.status_code == 409, response.content
    assert roadshow.title in response.json()["detail"]
    project.refresh_from_db()
    assert project.status == status


def test_adding_a_project_on_another_unfinished_roadshow_is_409_naming_it(admin_api, people, roadshow,
                                                                          entries_projects, campaign):
    second = services.create_roadshow(actor=people["admin"], campaign=campaign, title="第二场路演",
                                      date=datetime.date(2026, 7, 1))
    response = admin_api.post(f"{API}/roadshows/{second.pk}/entries/", {"project": entries_projects[0].pk},
                              format="json")
    assert response.status_code == 409, response.content
    assert roadshow.title in response.json()["detail"]
    assert not second.entries.exists()


def test_restore_endpoint_restores_and_audits(admin_api, people, scoring, entries_projects):
    project = entries_projects[0]
    _legacy_status(project, ProjectStatus.CLOSING)
    entry = scoring.entries.get(project=project)
    url = f"{API}/roadshows/{scoring.pk}/entries/{entry.pk}/restore/"
    assert admin_api.post(url, {}, format="json").status_code == 400  # a reason is required
    response = admin_api.post(url, {"reason": "误报结项"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["id"] == entry.pk
    project.refresh_from_db()
    assert project.status == ProjectStatus.SHORTLISTED
    assert ProjectEvent.objects.filter(project=project, action="restore_for_roadshow", reason="误报结项").exists()
    assert EvaluationEvent.objects.filter(roadshow=scoring, action="restore_entry", reason="误报结项").exists()
    again = admin_api.post(url, {"reason": "再来"}, format="json")
    assert again.status_code == 409


def test_withdraw_endpoint_removes_the_entry_and_audits(admin_api, scoring, entries_projects):
    project = entries_projects[1]
    _legacy_status(project, ProjectStatus.CLOSED)
    entry = scoring.entries.get(project=project)
    response = admin_api.post(f"{API}/roadshows/{scoring.pk}/entries/{entry.pk}/withdraw/", {"reason": "已结项"},
                              format="json")
    assert response.status_code == 200, response.content
    assert response.json()["withdrawn"]["project"] == project.pk
    assert not Entry.objects.filter(pk=entry.pk).exists()
    assert ProjectEvent.objects.filter(project=project, action="withdraw_from_roadshow").exists()
    assert EvaluationEvent.objects.filter(roadshow=scoring, action="withdraw_entry", object_id=entry.pk).exists()


@pytest.mark.parametrize("action", ["restore", "withdraw"])
def test_recovery_endpoints_are_the_admins_and_404_for_another_roadshows_entry(api_as, admin_api, people, scoring,
                                                                              entries_projects, campaign, action):
    entry = scoring.entries.first()
    url = f"{API}/roadshows/{scoring.pk}/entries/{entry.pk}/{action}/"
    assert api_as(people["staff_a"]).post(url, {"reason": "x"}, format="json").status_code in (403, 404)
    assert api_as(people["county_admin_a"]).post(url, {"reason": "x"}, format="json").status_code in (403, 404)
    other = services.create_roadshow(actor=people["admin"], campaign=campaign, title="另一场",
                                      date=datetime.date(2026, 8, 1))
    assert admin_api.post(f"{API}/roadshows/{other.pk}/entries/{entry.pk}/{action}/", {"reason": "x"},
                          format="json").status_code == 404
    assert Entry.objects.filter(pk=entry.pk).exists()
