"""The compute job on a real ``celery worker`` process: published to Redis, run by the worker
against the test database, progress then success visible on the job row.

Needs ``CELERY_BROKER_URL`` and a PostgreSQL test database (CI has both); skipped otherwise.
The worker consumes a queue of its own, to which the awards tasks are routed for the test.
"""

import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from awards import services as award_services
from awards.models import Result
from tests.unionproj.test_celery_worker import database_url
from unionproj.celery import app

from tests.factories import ScoredRoadshowFactory

BASE_DIR = Path(__file__).resolve().parent.parent.parent
BROKER = bool(os.environ.get("CELERY_BROKER_URL"))
WAIT_SECONDS = 60

pytestmark = pytest.mark.skipif(not BROKER, reason="needs CELERY_BROKER_URL (CI sets it)")


def _route_awards_to(queue):
    app.conf.task_routes = {"evaluations.*": {"queue": queue}} if queue else None
    app.amqp.flush_routes()
    app.amqp.__dict__.pop("router", None)


# The worker's visibility timeout is short here so that a message whose worker was killed comes
# back within the test (in production it is hours, well above a job's run time).
VISIBILITY_TIMEOUT = 3


def start_worker(queue, log, visibility_timeout=VISIBILITY_TIMEOUT):
    env = {**os.environ, "DATABASE_URL": database_url(), "CONN_MAX_AGE": "0"}
    env.pop("CELERY_VISIBILITY_TIMEOUT", None)
    if visibility_timeout is not None:  # None: the production default (hours)
        env["CELERY_VISIBILITY_TIMEOUT"] = str(visibility_timeout)
    with log.open("a") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "unionproj", "worker", "--pool=solo", "-Q", queue,
             "-n", f"{queue}@{socket.gethostname()}", "--without-gossip", "--without-mingle", "--without-heartbeat",
             "-l", "info"],
            cwd=BASE_DIR, env=env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        )


def stop(process):
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def real_worker(transactional_db, tmp_path):
    if database_url() is None:
        message = "a worker process can share only a PostgreSQL test database (set DATABASE_URL too)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    saved_eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    queue = f"pytest-awards-{uuid.uuid4().hex[:10]}"
    _route_awards_to(queue)
    log = tmp_path / "worker.log"
    processes = [start_worker(queue, log)]

    def restart(visibility_timeout=VISIBILITY_TIMEOUT):
        processes.append(start_worker(queue, log, visibility_timeout))
        return processes[-1]

    try:
        yield processes[0], restart, log
    finally:
        for process in processes:
            stop(process)
        _route_awards_to(None)
        app.conf.task_always_eager = saved_eager


def wait_for(job, states, process, log):
    deadline = time.monotonic() + WAIT_SECONDS
    seen = []
    while True:
        job.refresh_from_db()
        seen.append((job.state, job.progress))
        if job.state in states:
            return seen
        if process.poll() is not None:
            pytest.fail(f"the worker exited with {process.returncode}:\n{log.read_text()}")
        if time.monotonic() > deadline:
            pytest.fail(f"job still {job.state} after {WAIT_SECONDS}s:\n{log.read_text()}")
        time.sleep(0.05)


def test_a_real_worker_computes_the_results_and_the_job_shows_success(real_worker, people, campaign, tree):
    process, _restart, log = real_worker
    admin = people["admin"]
    roadshow = ScoredRoadshowFactory(actor=admin, campaign=campaign, union=tree["county_a"],
                                     totals=[["95", "90", "85"], ["80", "80", "80"], ["50", "60", "70"]]).roadshow
    job = award_services.request_compute(actor=admin, roadshow=roadshow)
    assert job.enqueued_at is not None  # published, not run in process
    seen = wait_for(job, {"succeeded", "failed"}, process, log)
    assert job.state == "succeeded", job.error
    assert job.progress == 100 and job.result["entries"] == 3
    assert seen[0][0] in {"pending", "running", "succeeded"}
    assert Result.objects.filter(roadshow=roadshow).count() == 3


# A worker killed mid-job (SIGKILL) and the requeue of its job: tests/faults/test_worker_killed.py.
