import pytest
from django.core.exceptions import PermissionDenied

from projects import services
from projects.enums import ProjectStatus
from projects.errors import WorkflowError


def test_file_submit_approve_shortlist_records_every_step(people, campaign):
    staff, admin = people["staff_a"], people["admin"]
    project = services.create_project(actor=staff, campaign=campaign, title="网上入会", category="工会自身建设",
                                      summary="江阴职工之家")
    services.submit_project(actor=staff, project=project)
    services.approve_project(actor=admin, project=project)
    project = services.shortlist_project(actor=admin, project=project)
    assert project.status == ProjectStatus.SHORTLISTED
    assert [(e.from_status, e.to_status) for e in project.events.all()] == [
        ("", "draft"), ("draft", "submitted"), ("submitted", "approved"), ("approved", "shortlisted")]


def test_staff_of_a_sibling_union_cannot_submit(people, campaign):
    project = services.create_project(actor=people["staff_a"], campaign=campaign, title="t", category="工会自身建设",
                                      summary="s")
    with pytest.raises(PermissionDenied):
        services.submit_project(actor=people["staff_b"], project=project)


def test_approving_a_draft_is_a_workflow_error(people, campaign):
    project = services.create_project(actor=people["staff_a"], campaign=campaign, title="t", category="工会自身建设",
                                      summary="s")
    with pytest.raises(WorkflowError) as err:
        services.approve_project(actor=people["admin"], project=project)
    assert err.value.state == "draft"
