"""A project returned after the filing deadline is not a dead end: the page says why it cannot be
submitted and who can help; the campaign's admin may reopen its window (audited)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from projects import services
from projects.enums import REOPEN_FILING, ProjectStatus
from unionproj.errors import WorkflowError
from projects.models import ProjectEvent
from tests.factories import ProjectFactory

TODAY = timezone.localdate()


@pytest.fixture
def late_returned(campaign, tree, people):
    """Returned (with a reason) while filing was open; now the deadline has passed."""
    project = ProjectFactory(campaign=campaign, applicant_union=tree["county_a"], status=ProjectStatus.SUBMITTED)
    services.return_project(actor=people["admin"], project=project, reason="请补充预算明细")
    campaign.filing_opens = TODAY - datetime.timedelta(days=60)
    campaign.filing_deadline = TODAY - datetime.timedelta(days=1)
    campaign.save()
    project.refresh_from_db()
    return project


def test_submit_after_deadline_is_refused_without_a_reopened_window(late_returned, people):
    with pytest.raises(WorkflowError, match="不在申报时间内"):
        services.submit_project(actor=people["staff_a"], project=late_returned)


def test_admin_reopens_the_window_and_the_applicant_can_submit(late_returned, people):
    until = TODAY + datetime.timedelta(days=5)
    services.reopen_filing(actor=people["admin"], project=late_returned, until=until, reason="材料已补齐可补报")
    event = ProjectEvent.objects.filter(project=late_returned, action=REOPEN_FILING).get()
    assert event.actor == people["admin"]
    assert (event.from_status, event.to_status) == ("returned", "returned")
    assert until.isoformat() in event.reason and "材料已补齐可补报" in event.reason
    submitted = services.submit_project(actor=people["staff_a"], project=late_returned)
    assert submitted.status == ProjectStatus.SUBMITTED


def test_a_reopened_window_ends_on_its_day(late_returned, people):
    until = TODAY + datetime.timedelta(days=2)
    services.reopen_filing(actor=people["admin"], project=late_returned, until=until, reason="补报")
    with pytest.raises(WorkflowError):
        services.submit_project(actor=people["staff_a"], project=late_returned, today=until + datetime.timedelta(days=1))


@pytest.mark.parametrize("who", ["staff_a", "county_admin_a", "juror"])
def test_only_the_campaign_admin_may_reopen(late_returned, people, who):
    with pytest.raises(PermissionDenied):
        services.reopen_filing(actor=people[who], project=late_returned, until=TODAY, reason="x")
    assert not ProjectEvent.objects.filter(action=REOPEN_FILING).exists()


def test_reopen_needs_a_reason_and_a_day_not_in_the_past(late_returned, people):
    with pytest.raises(ValidationError):
        services.reopen_filing(actor=people["admin"], project=late_returned, until=TODAY, reason="  ")
    with pytest.raises(ValidationError):
        services.reopen_filing(actor=people["admin"], project=late_returned,
                               until=TODAY - datetime.timedelta(days=1), reason="补报")


def test_reopen_is_only_for_a_returned_project_after_the_deadline(campaign, tree, people):
    project = ProjectFactory(campaign=campaign, applicant_union=tree["county_a"], status=ProjectStatus.RETURNED)
    with pytest.raises(WorkflowError, match="仍在申报时间内"):
        services.reopen_filing(actor=people["admin"], project=project, until=TODAY, reason="补报")
    project.status = ProjectStatus.APPROVED
    project.save()
    with pytest.raises(WorkflowError):
        services.reopen_filing(actor=people["admin"], project=project, until=TODAY, reason="补报")


# --- pages ------------------------------------------------------------------------------------


def test_the_page_shows_the_reason_and_who_can_help_instead_of_a_submit_that_fails(client, late_returned, people):
    client.force_login(people["staff_a"])
    body = client.get(f"/projects/{late_returned.pk}/").content.decode()
    assert 'data-testid="return-reason"' in body and "请补充预算明细" in body
    assert 'data-testid="window-closed"' in body and "无锡市总工会的管理员" in body
    assert 'data-action="submit"' not in body
    assert 'data-testid="reopen-form"' not in body  # only the admin gets the form
    edit = client.get(f"/projects/{late_returned.pk}/edit/").content.decode()
    assert 'value="submit"' not in edit and 'data-testid="window-closed"' in edit


def test_admin_reopens_from_the_page(client, late_returned, people):
    client.force_login(people["admin"])
    page = client.get(f"/projects/{late_returned.pk}/").content.decode()
    assert 'data-testid="reopen-form"' in page
    until = TODAY + datetime.timedelta(days=3)
    response = client.post(f"/projects/{late_returned.pk}/reopen-filing/",
                           {"until": until.isoformat(), "reason": "补报"}, follow=True)
    assert "已为本项目重新开放提交" in response.content.decode()
    late_returned.refresh_from_db()
    assert late_returned.resubmit_until == until
    client.force_login(people["staff_a"])
    page = client.get(f"/projects/{late_returned.pk}/").content.decode()
    assert 'data-testid="window-reopened"' in page and 'data-action="submit"' in page


@pytest.mark.parametrize("data", [{}, {"until": "不是日期", "reason": "x"}, {"until": "2026-13-45", "reason": "x"}])
def test_reopen_page_answers_bad_input_with_a_message(client, late_returned, people, data):
    client.force_login(people["admin"])
    response = client.post(f"/projects/{late_returned.pk}/reopen-filing/", data, follow=True)
    assert response.status_code == 200
    late_returned.refresh_from_db()
    assert late_returned.resubmit_until is None


def test_reopen_page_of_another_unions_draft_is_404(client, campaign, tree, people):
    draft = ProjectFactory(campaign=campaign, applicant_union=tree["county_b"], status=ProjectStatus.DRAFT)
    client.force_login(people["staff_a"])
    assert client.post(f"/projects/{draft.pk}/reopen-filing/", {"until": TODAY.isoformat(), "reason": "x"}).status_code == 404


# --- API --------------------------------------------------------------------------------------


def _token_client(user):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(user)
    return client


def test_api_reopen_filing(late_returned, people):
    url = f"/api/v1/projects/{late_returned.pk}/reopen-filing/"
    until = (TODAY + datetime.timedelta(days=4)).isoformat()
    assert _token_client(people["staff_a"]).post(url, {"until": until, "reason": "x"}, format="json").status_code == 403
    assert _token_client(people["admin"]).post(url, {"until": "x", "reason": "x"}, format="json").status_code == 400
    response = _token_client(people["admin"]).post(url, {"until": until, "reason": "补报"}, format="json")
    assert response.status_code == 200 and response.json()["resubmit_until"] == until
    submit = _token_client(people["staff_a"]).post(f"/api/v1/projects/{late_returned.pk}/submit/")
    assert submit.status_code == 200 and submit.json()["status"] == "submitted"
    again = _token_client(people["admin"]).post(url, {"until": until, "reason": "补报"}, format="json")
    assert again.status_code == 409 and again.json()["state"] == "submitted"
