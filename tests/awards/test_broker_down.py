"""When the broker is unreachable, asking for a compute answers within seconds, keeps the
request as a pending job and writes no result; the job runs once it is published again.

The Celery app is pointed at a closed port for the test (and back afterwards): its connection
pools are dropped so that the producer really tries that broker.
"""

import time
from decimal import Decimal

import pytest
from django.core.management import call_command

from awards import services as award_services
from awards.models import ComputeJob, Result
from evaluations.models import EvaluationEvent
from unionproj.celery import app

DEAD_BROKER = "redis://127.0.0.1:6390/0"


def _drop_pools():
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def broker_down(settings, monkeypatch):
    keys = ("task_always_eager", "broker_url", "broker_write_url")
    saved = {key: app.conf.get(key) for key in keys}  # the raw settings, not the env-derived ones
    # Celery reads the environment variable before its own setting (CI sets it).
    monkeypatch.setenv("CELERY_BROKER_URL", DEAD_BROKER)
    monkeypatch.delenv("CELERY_BROKER_WRITE_URL", raising=False)
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = DEAD_BROKER
    app.conf.update(task_always_eager=False, broker_url=DEAD_BROKER, broker_write_url=None)
    _drop_pools()
    yield
    monkeypatch.undo()
    app.conf.update(saved)
    _drop_pools()


def request_with_broker_down(admin, roadshow, capture):
    start = time.monotonic()
    with capture(execute=True):
        job = award_services.request_compute(actor=admin, roadshow=roadshow)
    elapsed = time.monotonic() - start
    job.refresh_from_db()
    return job, elapsed


def test_compute_request_returns_within_five_seconds_keeps_a_pending_job_and_writes_no_result(
        admin, closed_roadshow, broker_down, django_capture_on_commit_callbacks):
    job, elapsed = request_with_broker_down(admin, closed_roadshow, django_capture_on_commit_callbacks)
    assert elapsed < 5
    assert job.state == "pending" and job.enqueued_at is None
    assert "任务队列暂时无法连接" in job.note
    assert not Result.objects.exists()
    assert EvaluationEvent.objects.filter(roadshow=closed_roadshow, action="compute").count() == 0


def test_a_pending_job_runs_when_it_is_published_again(admin, closed_roadshow, broker_down,
                                                       django_capture_on_commit_callbacks):
    job, _elapsed = request_with_broker_down(admin, closed_roadshow, django_capture_on_commit_callbacks)
    assert award_services.requeue_pending_jobs(older_than=0) == 0  # still down: still pending
    assert ComputeJob.objects.get(pk=job.pk).state == "pending"
    # The broker is back (eager in the embedded default).
    app.conf.task_always_eager = True
    assert award_services.requeue_pending_jobs(older_than=3600) == 0  # too recent for this call
    assert award_services.requeue_pending_jobs(older_than=0) == 1
    job.refresh_from_db()
    assert (job.state, job.progress) == ("succeeded", 100)
    assert Result.objects.filter(roadshow=closed_roadshow).count() == 4
    assert award_services.requeue_pending_jobs(older_than=0) == 0  # nothing left


def test_the_management_command_publishes_pending_jobs(admin, closed_roadshow, broker_down,
                                                      django_capture_on_commit_callbacks, capsys):
    request_with_broker_down(admin, closed_roadshow, django_capture_on_commit_callbacks)
    app.conf.task_always_eager = True
    call_command("requeue_pending_jobs", "--older-than", "0")
    assert "published 1" in capsys.readouterr().out
    assert Result.objects.filter(roadshow=closed_roadshow, rank=1).get().final_score == Decimal("90.00")


def test_a_finished_job_delivered_again_is_not_run_twice(admin, computed):
    job = ComputeJob.objects.get(roadshow=computed)
    events = EvaluationEvent.objects.count()
    assert award_services.run_job(job_id=job.pk).state == "succeeded"
    assert EvaluationEvent.objects.count() == events


def test_a_job_whose_worker_died_mid_run_is_run_again(admin, computed):
    job = ComputeJob.objects.get(roadshow=computed)
    ComputeJob.objects.filter(pk=job.pk).update(state="running", progress=40)  # as a killed worker leaves it
    before = list(Result.objects.filter(roadshow=computed).values_list("entry_id", "final_score", "amount"))
    rerun = award_services.run_job(job_id=job.pk)
    assert (rerun.state, rerun.progress, rerun.attempts) == ("succeeded", 100, 2)
    assert list(Result.objects.filter(roadshow=computed).values_list("entry_id", "final_score", "amount")) == before
