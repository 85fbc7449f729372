"""Large exports: above EXPORT_SYNC_MAX_ROWS the API answers 202 with a task id, the Celery job
(eager here, as in the embedded default) writes the file under MEDIA_ROOT/exports/, and the
file is downloaded through a permission-checked view; old files are cleaned away."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from exports import services as export_services
from exports.models import ExportJob
from tests.factories import AdminFactory

from .helpers import attachment_header, body, csv_rows, export, workbook


@pytest.fixture(autouse=True)
def low_threshold(settings, tmp_path):
    settings.EXPORT_SYNC_MAX_ROWS = 2
    settings.MEDIA_ROOT = tmp_path


def test_large_export_is_a_job_whose_file_downloads(client, admin, scored, tmp_path,
                                                    django_capture_on_commit_callbacks):
    client.force_login(admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = export(client, scored, "awards", "xlsx")
    assert response.status_code == 202
    task_id = response.json()["task_id"]
    job = ExportJob.objects.get(task_id=task_id)
    assert job.state == "succeeded" and job.progress == 100, job.error
    assert job.file.startswith("exports/") and (tmp_path / job.file).is_file()
    assert "获奖" not in job.file  # the server names the stored file

    status = client.get(f"/api/v1/exports/{task_id}/").json()
    assert status["state"] == "succeeded" and status["progress"] == 100
    download = client.get(status["download_url"])
    assert download.status_code == 200
    assert download["Content-Disposition"] == attachment_header(f"{scored.title}-获奖名单.xlsx")
    rows = list(workbook(body(download)).active.iter_rows(min_row=3, values_only=True))
    assert Decimal(str(rows[-1][5])) == Decimal(310000)


def test_large_csv_job_keeps_the_bom(client, admin, scored, django_capture_on_commit_callbacks):
    client.force_login(admin)
    with django_capture_on_commit_callbacks(execute=True):
        task_id = export(client, scored, "scoresheets", "csv").json()["task_id"]
    rows = csv_rows(body(client.get(f"/api/v1/exports/{task_id}/download/")))
    assert len(rows) == 1 + 15


def test_another_admins_job_is_not_found_and_unfinished_is_409(client, admin, scored, tree):
    job = ExportJob.objects.create(roadshow=scored, kind="awards", fmt="csv", task_id="t-1", requested_by=admin)
    client.force_login(admin)
    assert client.get("/api/v1/exports/t-1/download/").status_code == 409
    stranger = AdminFactory(username="admin_b", union=tree["county_b"])  # administers nothing of the city's
    client.force_login(stranger)
    assert client.get("/api/v1/exports/t-1/").status_code == 404
    assert client.get(f"/exports/jobs/{job.pk}/download/").status_code == 404


def test_same_pending_export_is_not_queued_twice(admin, scored):
    first = export_services.export_roadshow(actor=admin, roadshow=scored, kind="ranking", fmt="csv")
    second = export_services.export_roadshow(actor=admin, roadshow=scored, kind="ranking", fmt="csv")
    assert isinstance(first, ExportJob) and first.pk == second.pk  # on_commit never ran: still pending


def test_cleaned_file_is_gone(client, admin, scored, tmp_path, django_capture_on_commit_callbacks):
    client.force_login(admin)
    with django_capture_on_commit_callbacks(execute=True):
        task_id = export(client, scored, "awards", "pdf").json()["task_id"]
    job = ExportJob.objects.get(task_id=task_id)
    path = tmp_path / job.file
    assert path.is_file()
    ExportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - datetime.timedelta(days=30))
    assert export_services.clean_exports() == 1
    assert not path.exists() and not ExportJob.objects.filter(pk=job.pk).exists()
    assert client.get(f"/api/v1/exports/{task_id}/download/").status_code == 404


def test_job_fails_cleanly_when_the_requester_lost_the_right(admin, scored, django_capture_on_commit_callbacks):
    job = ExportJob.objects.create(roadshow=scored, kind="awards", fmt="csv", task_id="t-2", requested_by=admin)
    admin.is_admin_role = False
    admin.save()
    export_services.run_export_job(job_id=job.pk)
    job.refresh_from_db()
    assert job.state == "failed" and job.error and not job.file


def test_page_starts_a_job_and_polls_it_to_a_download_link(client, admin, scored, django_capture_on_commit_callbacks):
    client.force_login(admin)
    page = client.get(f"/roadshows/{scored.pk}/exports/")
    assert page.status_code == 200
    assert b'hx-post="/roadshows/%d/exports/jobs/"' % scored.pk in page.content  # large: a background button
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(f"/roadshows/{scored.pk}/exports/jobs/", {"kind": "scoresheets", "format": "pdf"},
                              HTTP_HX_REQUEST="true")
    assert started.status_code == 200
    job = ExportJob.objects.get()
    job.refresh_from_db()
    assert job.state == "succeeded", job.error
    partial = client.get(f"/exports/jobs/{job.pk}/")
    assert b"export-job-download" in partial.content and b"hx-trigger" not in partial.content
    download = client.get(f"/exports/jobs/{job.pk}/download/")
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_running_job_partial_keeps_polling(client, admin, scored):
    job = ExportJob.objects.create(roadshow=scored, kind="awards", fmt="xlsx", task_id="t-3", requested_by=admin,
                                   state="running", progress=40)
    client.force_login(admin)
    partial = client.get(f"/exports/jobs/{job.pk}/")
    assert b'hx-trigger="every 1s"' in partial.content and b"40%" in partial.content


def test_download_link_on_the_page_redirects_a_large_export_to_a_job(client, admin, scored,
                                                                     django_capture_on_commit_callbacks):
    client.force_login(admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(f"/roadshows/{scored.pk}/exports/download/", {"kind": "ranking", "format": "xlsx"})
    assert response.status_code == 302 and response["Location"].endswith("/exports/#jobs")
    assert ExportJob.objects.get().state == "succeeded"
