"""Issue 21, item 1: a filer cannot block a roadshow's finalize (and every payout with it); an
audited admin recovery lets finalize proceed for data written before the guard."""

import datetime

import pytest

from evaluations import services
from awards import services as award_services
from evaluations.models import Entry, EvaluationEvent
from awards.models import Payout
from projects import services as project_services
from projects.enums import ProjectStatus
from unionproj.errors import WorkflowError
from projects.models import Project, ProjectEvent


def _legacy_status(project, status):
    Project.objects.filter(pk=project.pk).update(status=status)


def test_the_issue_scenario_closing_report_then_finalize(admin, people, computed, closed_show):
    """The issue: a filed closing report used to make finalize answer 409 for good."""
    project = closed_show.entries[0].project
    with pytest.raises(WorkflowError, match=computed.title):
        project_services.file_closing_report(actor=people["staff_a"], project=project, report="已完成")
    roadshow = award_services.finalize(actor=admin, roadshow=computed)
    assert roadshow.status == "finalized"
    assert Payout.objects.filter(roadshow=roadshow).count() == 3


def test_closing_report_is_refused_during_publicity_too(admin, people, computed, closed_show):
    award_services.publicize(actor=admin, roadshow=computed, days=7)
    with pytest.raises(WorkflowError, match=computed.title):
        project_services.file_closing_report(actor=people["staff_a"], project=closed_show.entries[1].project,
                                             report="已完成")


def test_after_finalize_the_project_is_free_to_close(admin, people, computed, closed_show):
    award_services.finalize(actor=admin, roadshow=computed)
    project = closed_show.entries[0].project
    project = project_services.file_closing_report(actor=people["staff_a"], project=project, report="已完成")
    assert project.status == ProjectStatus.CLOSING


def test_a_legacy_closing_entry_blocks_finalize_until_restored(admin, computed, closed_show):
    project = closed_show.entries[0].project
    _legacy_status(project, ProjectStatus.CLOSING)
    with pytest.raises(WorkflowError):
        award_services.finalize(actor=admin, roadshow=computed)
    assert not Payout.objects.exists()
    services.restore_entry(actor=admin, roadshow=computed, entry=closed_show.entries[0], reason="误报结项，恢复")
    roadshow = award_services.finalize(actor=admin, roadshow=computed)
    assert roadshow.status == "finalized"
    project.refresh_from_db()
    assert project.status == ProjectStatus.AWARDED
    actions = list(ProjectEvent.objects.filter(project=project).order_by("id").values_list("action", flat=True))
    assert actions[-2:] == ["restore_for_roadshow", "award"]
    assert EvaluationEvent.objects.filter(roadshow=computed, action="restore_entry",
                                          object_id=closed_show.entries[0].pk).count() == 1


def test_restore_during_publicity_keeps_the_results_and_finalize_proceeds(admin, computed, closed_show):
    roadshow = award_services.publicize(actor=admin, roadshow=computed, days=7)
    _legacy_status(closed_show.entries[1].project, ProjectStatus.CLOSURE_FAILED)
    with pytest.raises(WorkflowError, match="结果已公布"):
        services.withdraw_entry(actor=admin, roadshow=roadshow, entry=closed_show.entries[1], reason="撤出")
    services.restore_entry(actor=admin, roadshow=roadshow, entry=closed_show.entries[1], reason="恢复")
    assert award_services.finalize(actor=admin, roadshow=roadshow).status == "finalized"


def test_withdraw_after_compute_asks_for_a_new_compute_then_finalize_works(admin, computed, closed_show,
                                                                          django_capture_on_commit_callbacks):
    _legacy_status(closed_show.entries[3].project, ProjectStatus.CLOSED)
    services.withdraw_entry(actor=admin, roadshow=computed, entry=closed_show.entries[3], reason="已结项")
    with pytest.raises(WorkflowError, match="重新计算"):
        award_services.finalize(actor=admin, roadshow=computed)
    with django_capture_on_commit_callbacks(execute=True):
        award_services.request_compute(actor=admin, roadshow=computed)
    roadshow = award_services.finalize(actor=admin, roadshow=computed)
    assert roadshow.status == "finalized"
    assert roadshow.results.count() == 3


def test_a_project_on_two_unfinished_roadshows_blocks_finalize_naming_the_other_until_withdrawn(admin, computed,
                                                                                              campaign, closed_show):
    other = services.create_roadshow(actor=admin, campaign=campaign, title="另一场路演", date=datetime.date(2026, 9, 1))
    legacy = Entry.objects.create(roadshow=other, project=closed_show.entries[0].project, order=1)
    with pytest.raises(WorkflowError, match="另一场路演"):
        award_services.finalize(actor=admin, roadshow=computed)
    assert not Payout.objects.exists()
    services.withdraw_entry(actor=admin, roadshow=other, entry=legacy, reason="一个项目只参加一场路演")
    assert award_services.finalize(actor=admin, roadshow=computed).status == "finalized"


def test_a_project_left_unawarded_by_a_finalized_roadshow_may_join_another(admin, computed, campaign, closed_show):
    award_services.finalize(actor=admin, roadshow=computed)
    unawarded = closed_show.entries[3].project
    unawarded.refresh_from_db()
    assert unawarded.status == ProjectStatus.SHORTLISTED
    other = services.create_roadshow(actor=admin, campaign=campaign, title="另一场路演", date=datetime.date(2026, 9, 1))
    assert services.add_entry(actor=admin, roadshow=other, project=unawarded).roadshow_id == other.pk


def test_reopen_results_revokes_through_the_roadshows_own_context(admin, people, computed, closed_show):
    roadshow = award_services.finalize(actor=admin, roadshow=computed)
    roadshow = award_services.reopen_results(actor=admin, roadshow=roadshow, reason="复核")
    project = closed_show.entries[0].project
    project.refresh_from_db()
    assert project.status == ProjectStatus.SHORTLISTED
    with pytest.raises(WorkflowError, match=computed.title):  # held by the reopened roadshow again
        project_services.file_closing_report(actor=people["staff_a"], project=project, report="x")


def test_recovery_after_finalize_is_refused(admin, computed, closed_show):
    award_services.finalize(actor=admin, roadshow=computed)
    with pytest.raises(WorkflowError):
        services.restore_entry(actor=admin, roadshow=computed, entry=closed_show.entries[0], reason="恢复")
