"""The compute endpoint against an unreachable broker (answers within seconds, 202 with the
job kept, no result written) and against a real ``celery worker`` (CI: Redis and PostgreSQL),
polled through ``GET /tasks/{task_id}/`` until it succeeds; and stale running jobs, whose worker
was killed, published again by ``requeue_pending_jobs``."""

import datetime
import time

import pytest
from django.core.management import call_command
from django.utils import timezone

from unionproj import jobs as award_jobs
from awards import services as award_services
from awards.models import ComputeJob, Result
from evaluations.models import EvaluationEvent
from tests.awards.test_broker_down import broker_down  # noqa: F401 - fixture
from tests.awards.test_worker import BROKER, WAIT_SECONDS, real_worker  # noqa: F401 - fixture
from unionproj.celery import app

from tests.factories import ScoredRoadshowFactory

API = "/api/v1"


@pytest.mark.django_db(transaction=True)
def test_compute_with_the_broker_down_answers_within_5_seconds_and_writes_no_result(
        admin_api, closed_roadshow, broker_down):  # noqa: F811
    start = time.monotonic()
    response = admin_api.post(f"{API}/roadshows/{closed_roadshow.pk}/compute/")
    elapsed = time.monotonic() - start
    assert elapsed < 5
    assert response.status_code == 202
    body = response.json()
    assert body["queued"] is False and body["state"] == "pending" and "任务队列暂时无法连接" in body["detail"]
    job = ComputeJob.objects.get(task_id=body["task_id"])
    assert job.state == "pending" and job.enqueued_at is None
    assert not Result.objects.exists()
    assert not EvaluationEvent.objects.filter(roadshow=closed_roadshow, action="compute").exists()
    task = admin_api.get(f"{API}/tasks/{body['task_id']}/").json()
    assert (task["state"], task["queued"]) == ("pending", False) and "任务队列暂时无法连接" in task["note"]


# --- stale running jobs ---------------------------------------------------------------------


def _kill_mid_run(job, minutes):
    """Leave ``job`` as a SIGKILLed worker does: running, part-way, silent for ``minutes``."""
    ComputeJob.objects.filter(pk=job.pk).update(
        state="running", progress=40, updated_at=timezone.now() - datetime.timedelta(minutes=minutes))


@pytest.mark.django_db
def test_a_running_job_silent_longer_than_the_threshold_is_published_again(admin, closed_roadshow, settings,
                                                                           django_capture_on_commit_callbacks):
    settings.COMPUTE_JOB_STALE_SECONDS = 600
    job = award_services.request_compute(actor=admin, roadshow=closed_roadshow)  # on_commit not run: not published
    _kill_mid_run(job, minutes=5)
    assert award_services.requeue_pending_jobs(older_than=3600) == 0  # reported 5 min ago: still alive
    _kill_mid_run(job, minutes=11)
    assert award_services.requeue_pending_jobs(older_than=3600) == 1
    job.refresh_from_db()
    assert (job.state, job.progress, job.attempts) == ("succeeded", 100, 1)
    assert Result.objects.filter(roadshow=closed_roadshow).count() == 4
    assert award_services.requeue_pending_jobs(older_than=0) == 0


@pytest.mark.django_db
def test_progress_reports_touch_the_job_so_a_live_job_is_not_taken_for_dead(admin, closed_roadshow):
    job = award_services.request_compute(actor=admin, roadshow=closed_roadshow)
    _kill_mid_run(job, minutes=30)
    old = ComputeJob.objects.get(pk=job.pk).updated_at
    award_jobs.report_progress(ComputeJob, job.pk, 10)  # below the 40 reached: the progress stays, the time moves
    fresh = ComputeJob.objects.get(pk=job.pk)
    assert fresh.progress == 40 and fresh.updated_at > old
    assert award_services.requeue_pending_jobs(older_than=3600, stale=600) == 0


@pytest.mark.django_db
def test_the_command_takes_a_stale_threshold(admin, closed_roadshow, capsys):
    job = award_services.request_compute(actor=admin, roadshow=closed_roadshow)
    _kill_mid_run(job, minutes=2)
    call_command("requeue_pending_jobs", "--older-than", "3600")
    assert "published 0" in capsys.readouterr().out
    call_command("requeue_pending_jobs", "--older-than", "3600", "--stale-after", "60")
    assert "published 1" in capsys.readouterr().out
    assert ComputeJob.objects.get(pk=job.pk).state == "succeeded"


@pytest.mark.django_db(transaction=True)
def test_a_stale_running_job_stays_due_while_the_broker_is_down(admin, closed_roadshow, broker_down):  # noqa: F811
    job = award_services.request_compute(actor=admin, roadshow=closed_roadshow)
    _kill_mid_run(job, minutes=20)
    assert award_services.requeue_pending_jobs(older_than=0) == 0
    assert ComputeJob.objects.get(pk=job.pk).state == "running"
    app.conf.task_always_eager = True  # the broker is back
    assert award_services.requeue_pending_jobs(older_than=0) == 1
    assert ComputeJob.objects.get(pk=job.pk).state == "succeeded"


# --- a real worker ----------------------------------------------------------------------------


@pytest.mark.skipif(not BROKER, reason="needs CELERY_BROKER_URL (CI sets it)")
def test_compute_runs_on_a_real_worker_and_the_api_shows_progress_then_success(
        real_worker, admin, people, campaign, tree, api_as):  # noqa: F811
    process, _restart, log = real_worker
    roadshow = ScoredRoadshowFactory(actor=admin, campaign=campaign, union=tree["county_a"],
                                     totals=[["95", "90", "85"], ["80", "80", "80"], ["50", "60", "70"]]).roadshow
    client = api_as(admin)
    response = client.post(f"{API}/roadshows/{roadshow.pk}/compute/")
    assert response.status_code == 202 and response.json()["queued"] is True
    task_url = f"{API}/tasks/{response.json()['task_id']}/"
    deadline, seen = time.monotonic() + WAIT_SECONDS, []
    while True:
        body = client.get(task_url).json()
        seen.append((body["state"], body["progress"]))
        if body["state"] in ("succeeded", "failed"):
            break
        if process.poll() is not None or time.monotonic() > deadline:
            pytest.fail(f"job {body['state']} after {WAIT_SECONDS}s:\n{log.read_text()}")
        time.sleep(0.05)
    assert body["state"] == "succeeded", body["error"]
    assert body["progress"] == 100 and body["result"]["entries"] == 3
    assert all(0 <= p <= 100 for _s, p in seen)
    assert [p for _s, p in seen] == sorted(p for _s, p in seen)  # progress never goes back
    rows = client.get(f"{API}/roadshows/{roadshow.pk}/results/").json()
    assert [r["rank"] for r in rows] == [1, 2, 3]
