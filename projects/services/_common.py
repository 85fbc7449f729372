"""Helpers of the project services: the locked row and the transition's audit row."""

from ..models import Project, ProjectEvent


def _locked(project):
    return Project.objects.select_for_update().select_related("campaign", "applicant_union").get(pk=project.pk)


def _record(project, *, actor, action, from_status, reason=""):
    ProjectEvent.objects.create(
        project=project, actor=actor, action=action, from_status=from_status, to_status=project.status, reason=reason
    )
