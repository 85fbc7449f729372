"""Issue 21, item 1: while a project is an entry of a roadshow that is not finalised, its status
belongs to that roadshow (a transition guard, ``evaluations.services.entries``), and a project
joins at most one unfinished roadshow."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from evaluations import services
from evaluations.models import Entry, EvaluationEvent
from projects import services as project_services
from projects.enums import Action, AwardAction, ProjectStatus
from unionproj.errors import WorkflowError
from projects.guards import check_transition
from projects.models import ClosingReport, ProjectEvent
from tests.factories import shortlisted


def _set_status(project, status):
    """Data from before the guard: the project left its state while on the roadshow."""
    type(project).objects.filter(pk=project.pk).update(status=status)
    project.refresh_from_db()
    return project


def test_closing_report_on_an_entry_of_a_scoring_roadshow_is_refused_naming_the_roadshow(people, scoring,
                                                                                          entries_projects):
    project = entries_projects[0]
    with pytest.raises(WorkflowError) as refused:
        project_services.file_closing_report(actor=people["staff_a"], project=project, report="已完成全部工作。")
    assert scoring.title in str(refused.value)
    assert refused.value.state == ProjectStatus.SHORTLISTED
    project.refresh_from_db()
    assert project.status == ProjectStatus.SHORTLISTED
    assert not ClosingReport.objects.filter(project=project).exists()


def test_closing_report_is_refused_while_the_roadshow_is_still_in_setup(people, roadshow, entries_projects):
    with pytest.raises(WorkflowError, match=roadshow.title):
        project_services.file_closing_report(actor=people["staff_a"], project=entries_projects[0], report="结项")


# (starting status, service, actor key, extra arguments)
REFUSED = [
    (ProjectStatus.SUBMITTED, project_services.return_project, "admin", {"reason": "请补充材料"}),
    (ProjectStatus.SUBMITTED, project_services.reject_project, "admin", {"reason": "不符合条件"}),
    (ProjectStatus.SUBMITTED, project_services.approve_project, "admin", {}),
    (ProjectStatus.APPROVED, project_services.shortlist_project, "admin", {}),
    (ProjectStatus.CLOSING, project_services.accept_closure, "admin", {}),
    (ProjectStatus.CLOSING, project_services.fail_closure, "admin", {"reason": "材料不全"}),
    (ProjectStatus.CLOSURE_FAILED, project_services.file_closing_report, "staff_a", {"report": "补充材料"}),
    (ProjectStatus.RETURNED, project_services.submit_project, "staff_a", {}),
]


@pytest.mark.parametrize(("status", "service", "who", "extra"), REFUSED,
                         ids=[f"{s}-{f.__name__}" for s, f, _w, _e in REFUSED])
def test_every_status_change_but_the_roadshows_own_is_refused(people, roadshow, entries_projects, status, service,
                                                               who, extra):
    project = _set_status(entries_projects[0], status)
    with pytest.raises(WorkflowError) as refused:
        service(actor=people[who], project=project, **extra)
    assert roadshow.title in str(refused.value)
    project.refresh_from_db()
    assert project.status == status


def test_bulk_actions_are_refused_per_project_naming_the_roadshow(people, roadshow, entries_projects, campaign,
                                                                  tree):
    on_roadshow = _set_status(entries_projects[0], ProjectStatus.SUBMITTED)
    free = shortlisted(campaign, tree["county_a"], title="自由项目")
    free = _set_status(free, ProjectStatus.SUBMITTED)
    done, refused = project_services.bulk_action(actor=people["admin"], projects=[on_roadshow, free],
                                                 action="approve")
    assert [p.pk for p in done] == [free.pk]
    assert [(p.pk, roadshow.title in message) for p, message in refused] == [(on_roadshow.pk, True)]


def test_a_project_on_no_roadshow_moves_as_before(people, campaign, tree):
    project = shortlisted(campaign, tree["county_a"])
    project = project_services.file_closing_report(actor=people["staff_a"], project=project, report="结项")
    assert project.status == ProjectStatus.CLOSING


def test_the_roadshows_own_context_exempts_only_that_roadshow(people, roadshow, entries_projects, campaign, jurors):
    project = entries_projects[0]
    check_transition(project=project, action=AwardAction.AWARD, context={"roadshow": roadshow.pk})
    with pytest.raises(WorkflowError, match=roadshow.title):
        check_transition(project=project, action=AwardAction.AWARD, context=None)
    with pytest.raises(WorkflowError, match=roadshow.title):
        check_transition(project=project, action=AwardAction.AWARD, context={"roadshow": roadshow.pk + 1000})


# --- one unfinished roadshow per project ------------------------------------------------------


def test_adding_a_project_already_on_another_unfinished_roadshow_is_refused(people, roadshow, entries_projects,
                                                                            campaign):
    second = services.create_roadshow(actor=people["admin"], campaign=campaign, title="第二场路演",
                                      date=datetime.date(2026, 7, 1))
    with pytest.raises(WorkflowError) as refused:
        services.add_entry(actor=people["admin"], roadshow=second, project=entries_projects[0])
    assert roadshow.title in str(refused.value)
    assert not second.entries.exists()


def test_adding_is_refused_whatever_state_the_first_roadshow_is_in(people, scoring, entries_projects, campaign):
    services.close_roadshow(actor=people["admin"], roadshow=scoring, override_reason="测试：提前结束")
    second = services.create_roadshow(actor=people["admin"], campaign=campaign, title="第二场路演",
                                      date=datetime.date(2026, 7, 1))
    with pytest.raises(WorkflowError, match=scoring.title):
        services.add_entry(actor=people["admin"], roadshow=second, project=entries_projects[1])


def test_add_entry_reads_the_project_status_afresh_under_its_lock(people, campaign, tree):
    project = shortlisted(campaign, tree["county_a"])
    stale = type(project).objects.get(pk=project.pk)
    project_services.file_closing_report(actor=people["staff_a"], project=project, report="结项")
    roadshow = services.create_roadshow(actor=people["admin"], campaign=campaign, title="路演",
                                        date=datetime.date(2026, 7, 1))
    with pytest.raises(ValidationError):
        services.add_entry(actor=people["admin"], roadshow=roadshow, project=stale)  # stale says shortlisted


# --- the admin's recovery ---------------------------------------------------------------------


def test_restore_puts_a_closing_project_back_and_audits_both_histories(people, scoring, entries_projects):
    project = _set_status(entries_projects[0], ProjectStatus.CLOSING)
    entry = scoring.entries.get(project=project)
    services.restore_entry(actor=people["admin"], roadshow=scoring, entry=entry, reason="结项报告误报，恢复路演")
    project.refresh_from_db()
    assert project.status == ProjectStatus.SHORTLISTED
    event = ProjectEvent.objects.filter(project=project).latest("id")
    assert (event.action, event.from_status, event.to_status, event.reason, event.actor) == (
        "restore_for_roadshow", ProjectStatus.CLOSING, ProjectStatus.SHORTLISTED, "结项报告误报，恢复路演",
        people["admin"])
    audit = EvaluationEvent.objects.filter(roadshow=scoring, action="restore_entry").get()
    assert (audit.object_id, audit.from_state, audit.to_state, audit.reason, audit.actor) == (
        entry.pk, ProjectStatus.CLOSING, ProjectStatus.SHORTLISTED, "结项报告误报，恢复路演", people["admin"])


@pytest.mark.parametrize(("status", "message"), [
    (ProjectStatus.SHORTLISTED, "无需恢复"),
    (ProjectStatus.CLOSED, "撤出"),
])
def test_restore_refuses_a_project_that_needs_none_or_cannot_go_back(people, scoring, entries_projects, status,
                                                                      message):
    project = _set_status(entries_projects[0], status)
    with pytest.raises(WorkflowError, match=message):
        services.restore_entry(actor=people["admin"], roadshow=scoring, entry=scoring.entries.get(project=project),
                               reason="恢复")
    assert not EvaluationEvent.objects.filter(action="restore_entry").exists()


def test_restore_needs_the_admin_and_a_reason(people, scoring, entries_projects):
    project = _set_status(entries_projects[0], ProjectStatus.CLOSING)
    entry = scoring.entries.get(project=project)
    with pytest.raises(PermissionDenied):
        services.restore_entry(actor=people["staff_a"], roadshow=scoring, entry=entry, reason="恢复")
    with pytest.raises(ValidationError):
        services.restore_entry(actor=people["admin"], roadshow=scoring, entry=entry, reason="  ")
    project.refresh_from_db()
    assert project.status == ProjectStatus.CLOSING


def test_withdraw_takes_the_entry_off_with_its_cards_and_audits_both_histories(people, scoring, entries_projects):
    project = _set_status(entries_projects[0], ProjectStatus.CLOSED)
    entry = scoring.entries.get(project=project)
    assert entry.cards.count() == 3
    withdrawn = services.withdraw_entry(actor=people["admin"], roadshow=scoring, entry=entry, reason="已结项，撤出")
    assert withdrawn["cards"] == 3
    assert not Entry.objects.filter(pk=entry.pk).exists()
    project.refresh_from_db()
    assert project.status == ProjectStatus.CLOSED
    event = ProjectEvent.objects.filter(project=project).latest("id")
    assert event.action == "withdraw_from_roadshow" and scoring.title in event.reason and "已结项，撤出" in event.reason
    audit = EvaluationEvent.objects.get(roadshow=scoring, action="withdraw_entry")
    assert (audit.object_id, audit.reason, audit.data["project"], audit.data["cards"]) == (
        entry.pk, "已结项，撤出", project.pk, 3)
    # The project is free again: no roadshow holds it.
    check_transition(project=project, action=Action.ACCEPT_CLOSURE)


def test_withdraw_resolves_a_project_held_by_two_unfinished_roadshows(people, roadshow, entries_projects, campaign):
    project = entries_projects[0]
    second = services.create_roadshow(actor=people["admin"], campaign=campaign, title="第二场路演",
                                      date=datetime.date(2026, 7, 1))
    legacy = Entry.objects.create(roadshow=second, project=project, order=1)  # written before the rule
    with pytest.raises(WorkflowError, match="第二场路演"):
        project_services.mark_awarded(actor=people["admin"], project=project, context={"roadshow": roadshow.pk})
    services.withdraw_entry(actor=people["admin"], roadshow=second, entry=legacy, reason="重复参加路演")
    project_services.mark_awarded(actor=people["admin"], project=project, context={"roadshow": roadshow.pk})
    project.refresh_from_db()
    assert project.status == ProjectStatus.AWARDED


def test_restore_of_a_project_held_by_another_roadshow_too_is_refused(people, roadshow, entries_projects,
                                                                      campaign):
    project = _set_status(entries_projects[0], ProjectStatus.CLOSING)
    second = services.create_roadshow(actor=people["admin"], campaign=campaign, title="第二场路演",
                                      date=datetime.date(2026, 7, 1))
    Entry.objects.create(roadshow=second, project=project, order=1)
    with pytest.raises(WorkflowError, match="第二场路演"):
        services.restore_entry(actor=people["admin"], roadshow=roadshow,
                               entry=roadshow.entries.get(project=project), reason="恢复")
