"""Progress reports (中期报告): who files them, who is overdue, and the daily reminder mail
(sent once a day per user, only to the applicant union's staff with an e-mail)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from projects import queries, services, tasks
from unionproj.errors import WorkflowError
from projects.models import ProgressReport, ReminderLog
from tests.factories import CampaignFactory, ProjectFactory, StaffFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 10)


@pytest.fixture
def due_campaign(tree):
    return CampaignFactory(owner_union=tree["city"], progress_report_due=datetime.date(2026, 6, 15))


def test_staff_files_a_progress_report_while_the_project_is_under_way(people, tree, due_campaign):
    project = ProjectFactory(campaign=due_campaign, applicant_union=tree["town_a1"], status="shortlisted")
    report = services.file_progress_report(actor=people["staff_a1"], project=project, text="已完成第一阶段。")
    assert report.filed_by == people["staff_a1"]
    project.refresh_from_db()
    assert project.status == "shortlisted"


@pytest.mark.parametrize("state", ["draft", "submitted", "closing", "closed"])
def test_no_progress_report_outside_the_implementation(people, tree, due_campaign, state):
    project = ProjectFactory(campaign=due_campaign, applicant_union=tree["town_a1"], status=state)
    with pytest.raises(WorkflowError):
        services.file_progress_report(actor=people["staff_a1"], project=project, text="进展")


@pytest.mark.parametrize("who", ["staff_a", "staff_b", "admin", "county_admin_a"])
def test_only_the_applicant_staff_files_progress_reports(people, tree, due_campaign, who):
    project = ProjectFactory(campaign=due_campaign, applicant_union=tree["town_a1"], status="approved")
    with pytest.raises(PermissionDenied):
        services.file_progress_report(actor=people[who], project=project, text="进展")


def test_progress_report_api(client, people, tree, due_campaign):
    project = ProjectFactory(campaign=due_campaign, applicant_union=tree["town_a1"], status="approved")
    client.force_login(people["staff_a1"])
    url = f"/api/v1/projects/{project.pk}/progress-reports/"
    assert client.post(url, {"text": ""}, content_type="application/json").status_code == 400
    response = client.post(url, {"text": "进展顺利"}, content_type="application/json")
    assert response.status_code == 201 and response.json()["text"] == "进展顺利"
    assert [r["text"] for r in client.get(url).json()] == ["进展顺利"]
    client.force_login(people["staff_b"])
    assert client.post(url, {"text": "x"}, content_type="application/json").status_code == 404


def test_who_is_overdue(people, tree, due_campaign):
    late_campaign = CampaignFactory(owner_union=tree["city"], progress_report_due=datetime.date(2026, 6, 1))
    no_due = CampaignFactory(owner_union=tree["city"])
    overdue = ProjectFactory(campaign=late_campaign, applicant_union=tree["town_a1"], status="awarded")
    filed = ProjectFactory(campaign=late_campaign, applicant_union=tree["town_a1"], status="approved")
    ProgressReport.objects.create(project=filed, text="已交", filed_by=people["staff_a1"])
    ProjectFactory(campaign=late_campaign, applicant_union=tree["county_b"], status="closing")  # past that stage
    ProjectFactory(campaign=late_campaign, applicant_union=tree["county_b"], status="rejected")
    ProjectFactory(campaign=due_campaign, applicant_union=tree["town_a1"], status="approved")  # not yet due
    ProjectFactory(campaign=no_due, applicant_union=tree["town_a1"], status="approved")  # no due date
    other = ProjectFactory(campaign=late_campaign, applicant_union=tree["county_b"], status="shortlisted")

    assert set(queries.overdue_progress_reports(people["admin"], today=TODAY)) == {overdue, other}
    assert list(queries.overdue_progress_reports(people["county_admin_a"], today=TODAY)) == [overdue]
    assert list(queries.overdue_progress_reports(people["staff_a1"], today=TODAY)) == []


def test_the_overdue_page_is_for_admins_and_does_not_grow_in_queries(client, people, tree):
    campaign = CampaignFactory(owner_union=tree["city"], progress_report_due=timezone.localdate() - datetime.timedelta(days=3))
    client.force_login(people["staff_a1"])
    assert client.get("/progress-reports/overdue/").status_code == 403
    client.force_login(people["admin"])

    def count():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get("/progress-reports/overdue/")
        assert response.status_code == 200
        return len(ctx), response

    ProjectFactory(campaign=campaign, applicant_union=tree["town_a1"], status="approved", title="逾期项目")
    one, response = count()
    assert "逾期项目" in response.content.decode()
    ProjectFactory.create_batch(29, campaign=campaign, applicant_union=tree["town_a1"], status="approved")
    assert count()[0] == one
    assert client.get("/api/v1/progress-reports/overdue/").json()["count"] == 30


@pytest.fixture
def mailed_people(tree):
    return {
        "a1": StaffFactory(username="mail_a1", union=tree["town_a1"], email="a1@example.com"),
        "a1_second": StaffFactory(username="mail_a1b", union=tree["town_a1"], email="a1b@example.com"),
        "a1_no_email": StaffFactory(username="mail_a1c", union=tree["town_a1"], email=""),
        "a1_inactive": StaffFactory(username="mail_a1d", union=tree["town_a1"], email="d@example.com",
                                    is_active=False),
        "b": StaffFactory(username="mail_b", union=tree["county_b"], email="b@example.com"),
        "a": StaffFactory(username="mail_a", union=tree["county_a"], email="a@example.com"),
    }


def test_reminders_go_to_the_applicant_staff_whose_report_is_due(mailoutbox, mailed_people, tree, due_campaign):
    far = CampaignFactory(owner_union=tree["city"], progress_report_due=datetime.date(2026, 9, 1))
    due = ProjectFactory(campaign=due_campaign, applicant_union=tree["town_a1"], status="approved", title="到期项目")
    ProjectFactory(campaign=far, applicant_union=tree["county_b"], status="approved")  # due in months
    done = ProjectFactory(campaign=due_campaign, applicant_union=tree["county_a"], status="approved")
    ProgressReport.objects.create(project=done, text="已交")

    sent = services.send_progress_reminders(today=TODAY, within_days=7)

    assert sent == 2
    assert sorted(m.to[0] for m in mailoutbox) == ["a1@example.com", "a1b@example.com"]
    assert "到期项目" in mailoutbox[0].body and "2026-06-15" in mailoutbox[0].body
    assert set(ReminderLog.objects.values_list("day", flat=True)) == {TODAY}
    assert ReminderLog.objects.get(user=mailed_people["a1"]).projects == [due.pk]


def test_overdue_reports_are_reminded_too_and_only_once_a_day(mailoutbox, mailed_people, tree):
    late = CampaignFactory(owner_union=tree["city"], progress_report_due=datetime.date(2026, 5, 1))
    ProjectFactory(campaign=late, applicant_union=tree["county_b"], status="awarded")

    assert services.send_progress_reminders(today=TODAY, within_days=7) == 1
    assert services.send_progress_reminders(today=TODAY, within_days=7) == 0
    assert [m.to for m in mailoutbox] == [["b@example.com"]]
    # the next day it is sent again (still not filed)
    assert services.send_progress_reminders(today=TODAY + datetime.timedelta(days=1), within_days=7) == 1
    assert len(mailoutbox) == 2


def test_the_celery_task_sends_the_reminders(mailoutbox, mailed_people, tree, settings):
    settings.PROGRESS_REMINDER_DAYS = 7
    campaign = CampaignFactory(owner_union=tree["city"], progress_report_due=timezone.localdate())
    ProjectFactory(campaign=campaign, applicant_union=tree["county_a"], status="approved")
    # apply(): the task body in this process (a worker elsewhere would not see this test's data).
    assert tasks.send_progress_reminders.apply().get() == 1
    assert [m.to for m in mailoutbox] == [["a@example.com"]]
    assert "progress-report-reminders" in settings.CELERY_BEAT_SCHEDULE


def test_reminder_selection_runs_in_a_constant_number_of_queries(tree, due_campaign):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            list(queries.progress_reminder_projects(today=TODAY, within_days=7))
        return len(ctx)

    ProjectFactory(campaign=due_campaign, applicant_union=tree["town_a1"], status="approved")
    StaffFactory(union=tree["town_a1"], email="x@example.com")
    one = count()
    ProjectFactory.create_batch(29, campaign=due_campaign, applicant_union=tree["county_b"], status="approved")
    StaffFactory(union=tree["county_b"], email="y@example.com")
    assert count() == one
