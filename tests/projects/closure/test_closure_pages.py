"""Closure in the browser: the staff's closing-report form (text and files), the admin's
decision on the project page and in the 结项审核 tab of the screening page."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projects.models import Attachment, ClosingReport
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def test_staff_files_a_closing_report_with_material(client, people, tree, campaign, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    project = ProjectFactory(campaign=campaign, applicant_union=tree["town_a1"], status="awarded")
    client.force_login(people["staff_a1"])
    assert "提交结项报告" in client.get(f"/projects/{project.pk}/").content.decode()
    pdf = SimpleUploadedFile("结项材料.pdf", b"%PDF-1.4 material", content_type="application/pdf")
    response = client.post(f"/projects/{project.pk}/closing-report/", {"report": "圆满完成", "files": [pdf]},
                           follow=True)
    assert response.status_code == 200
    project.refresh_from_db()
    assert project.status == "closing"
    assert ClosingReport.objects.get(project=project).text == "圆满完成"
    assert Attachment.objects.get(project=project).kind == "closing"
    page = response.content.decode()
    assert "结项材料.pdf" in page and "圆满完成" in page


def test_a_refused_file_refuses_the_whole_report(client, people, tree, campaign, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    project = ProjectFactory(campaign=campaign, applicant_union=tree["town_a1"], status="approved")
    client.force_login(people["staff_a1"])
    exe = SimpleUploadedFile("virus.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    client.post(f"/projects/{project.pk}/closing-report/", {"report": "完成", "files": [exe]})
    project.refresh_from_db()
    assert project.status == "approved"
    assert not ClosingReport.objects.exists() and not Attachment.objects.exists()


def test_the_admin_accepts_or_fails_on_the_project_page(client, people, tree, campaign):
    accepted = ProjectFactory(campaign=campaign, applicant_union=tree["town_a1"], status="closing")
    failed = ProjectFactory(campaign=campaign, applicant_union=tree["town_a1"], status="closing")
    client.force_login(people["admin"])
    page = client.get(f"/projects/{accepted.pk}/").content.decode()
    assert 'data-action="accept_closure"' in page and 'data-action="fail_closure"' in page
    client.post(f"/projects/{accepted.pk}/action/accept_closure/")
    client.post(f"/projects/{failed.pk}/action/fail_closure/", {"reason": ""})
    accepted.refresh_from_db(), failed.refresh_from_db()
    assert (accepted.status, failed.status) == ("closed", "closing")  # a reason is required
    client.post(f"/projects/{failed.pk}/action/fail_closure/", {"reason": "材料不全"})
    failed.refresh_from_db()
    assert failed.status == "closure_failed"


def test_the_closing_tab_lists_reports_to_decide_in_constant_queries(client, people, tree, campaign):
    client.force_login(people["admin"])

    def count():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get("/screening/?tab=closing")
        assert response.status_code == 200
        return len(ctx), response.content.decode()

    ProjectFactory(campaign=campaign, applicant_union=tree["town_a1"], status="closing", title="待结项")
    one, page = count()
    assert "待结项" in page and 'value="accept_closure"' in page
    ProjectFactory.create_batch(29, campaign=campaign, applicant_union=tree["town_a1"], status="closing")
    assert count()[0] == one
    ids = list(campaign.projects.values_list("pk", flat=True))
    client.post("/screening/bulk/", {"action": "accept_closure", "projects": ids})
    assert set(campaign.projects.values_list("status", flat=True)) == {"closed"}
