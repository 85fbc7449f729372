"""Issue 21, item 1 on the pages: the closing report form and the workflow buttons are refused
with a message naming the roadshow; the setup page does not offer, and refuses, a project on
another unfinished roadshow; it flags an entry needing recovery and restores or withdraws it."""

import datetime

from django.contrib.messages import get_messages

from evaluations import services
from evaluations.models import Entry, EvaluationEvent
from projects.enums import ProjectStatus
from projects.models import Project, ProjectEvent


def _messages(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_closing_report_page_is_refused_naming_the_roadshow(client_for, people, roadshow, projects):
    project = projects[0]
    response = client_for(people["staff_a"]).post(f"/projects/{project.pk}/closing-report/", {"report": "全部完成"})
    assert response.status_code in (200, 302)
    assert any(roadshow.title in m for m in _messages(response)), _messages(response)
    project.refresh_from_db()
    assert project.status == ProjectStatus.SHORTLISTED


def test_workflow_button_is_refused_naming_the_roadshow(client_for, people, roadshow, projects):
    project = projects[1]
    Project.objects.filter(pk=project.pk).update(status=ProjectStatus.CLOSING)
    response = client_for(people["admin"]).post(f"/projects/{project.pk}/action/accept_closure/")
    assert any(roadshow.title in m for m in _messages(response)), _messages(response)
    project.refresh_from_db()
    assert project.status == ProjectStatus.CLOSING


def test_setup_page_neither_offers_nor_adds_a_project_on_another_unfinished_roadshow(client_for, people, roadshow,
                                                                                     projects, campaign):
    second = services.create_roadshow(actor=people["admin"], campaign=campaign, title="第二场路演",
                                      date=datetime.date(2026, 7, 1))
    client = client_for(people["admin"])
    page = client.get(f"/roadshows/{second.pk}/")
    assert f'id="project-{projects[0].pk}"' not in page.content.decode()
    response = client.post(f"/roadshows/{second.pk}/entries/add/", {"projects": [projects[0].pk]})
    assert response.status_code == 302
    assert _messages(response)  # refused with a message
    assert not second.entries.exists()


def test_setup_page_flags_an_entry_to_recover_and_restores_it(client_for, people, roadshow, projects):
    project = projects[0]
    Project.objects.filter(pk=project.pk).update(status=ProjectStatus.CLOSING)
    client = client_for(people["admin"])
    page = client.get(f"/roadshows/{roadshow.pk}/").content.decode()
    assert 'data-testid="entry-recovery"' in page and "结项审核中" in page
    entry = roadshow.entries.get(project=project)
    response = client.post(f"/roadshows/{roadshow.pk}/entries/{entry.pk}/restore/", {"reason": "误报结项"})
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.status == ProjectStatus.SHORTLISTED
    assert ProjectEvent.objects.filter(project=project, action="restore_for_roadshow", actor=people["admin"]).exists()
    assert 'data-testid="entry-recovery"' not in client.get(f"/roadshows/{roadshow.pk}/").content.decode()


def test_setup_page_withdraws_an_entry_held_by_two_roadshows(client_for, people, roadshow, projects, campaign):
    second = services.create_roadshow(actor=people["admin"], campaign=campaign, title="第二场路演",
                                      date=datetime.date(2026, 7, 1))
    legacy = Entry.objects.create(roadshow=second, project=projects[1], order=1)
    client = client_for(people["admin"])
    assert roadshow.title in client.get(f"/roadshows/{second.pk}/").content.decode()
    response = client.post(f"/roadshows/{second.pk}/entries/{legacy.pk}/withdraw/", {"reason": "重复参加"})
    assert response.status_code == 302
    assert not Entry.objects.filter(pk=legacy.pk).exists()
    assert EvaluationEvent.objects.filter(roadshow=second, action="withdraw_entry", reason="重复参加").exists()


def test_recovery_without_a_reason_changes_nothing(client_for, people, roadshow, projects):
    Project.objects.filter(pk=projects[0].pk).update(status=ProjectStatus.CLOSING)
    entry = roadshow.entries.get(project=projects[0])
    response = client_for(people["admin"]).post(f"/roadshows/{roadshow.pk}/entries/{entry.pk}/restore/", {})
    assert any("理由" in m for m in _messages(response))
    assert Project.objects.get(pk=projects[0].pk).status == ProjectStatus.CLOSING


def test_recovery_pages_are_the_admins(client_for, people, roadshow, projects):
    entry = roadshow.entries.first()
    for action in ("restore", "withdraw"):
        response = client_for(people["staff_a"]).post(f"/roadshows/{roadshow.pk}/entries/{entry.pk}/{action}/",
                                                      {"reason": "x"})
        assert response.status_code in (403, 404)
    assert Entry.objects.filter(pk=entry.pk).exists()
