"""Celery is wired in: in the embedded default a task runs eagerly and its result is stored;
with a broker (``CELERY_BROKER_URL``, as in CI) a real ``celery worker`` process picks the task up
from Redis and stores its result in the test database.

The worker is started by the test itself, on a queue of its own, with ``DATABASE_URL`` naming
pytest-django's test database (``settings.DATABASES`` already points there), so the result it
writes is the one the test reads. ``transactional_db``: nothing is hidden in an open transaction.
"""

import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django_celery_results.models import TaskResult

from unionproj.tasks import ping

BASE_DIR = Path(__file__).resolve().parents[2]
BROKER = not settings.CELERY_TASK_ALWAYS_EAGER
WAIT_SECONDS = 60


@pytest.mark.skipif(BROKER, reason="the embedded default runs tasks eagerly; with a broker see the worker test")
def test_in_the_embedded_default_a_task_runs_eagerly_and_its_result_is_stored(db):
    result = ping.delay()
    assert result.get(timeout=1) == {"reply": "pong", "hostname": socket.gethostname()}
    stored = TaskResult.objects.get(task_id=result.id)
    assert stored.status == "SUCCESS" and stored.task_name == "unionproj.ping"


def test_the_ping_task_is_registered_with_the_app():
    from unionproj.celery import app

    app.loader.import_default_modules()
    assert "unionproj.ping" in app.tasks


def database_url():
    """A ``DATABASE_URL`` for the database this test process uses (the test database)."""
    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        return None
    auth = quote(db.get("USER") or "", safe="")
    if db.get("PASSWORD"):
        auth += ":" + quote(db["PASSWORD"], safe="")
    host = db.get("HOST") or "localhost"
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{auth + '@' if auth else ''}{host}{port}/{quote(db['NAME'], safe='')}"


@pytest.fixture
def worker(transactional_db, tmp_path):
    """A real worker process consuming a queue of its own; yields ``(queue, nodename, log)``."""
    url = database_url()
    if url is None:
        message = "a worker process can share only a PostgreSQL test database (set DATABASE_URL too)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    queue = f"pytest-{uuid.uuid4().hex[:10]}"
    nodename = f"{queue}@{socket.gethostname()}"
    log = tmp_path / "worker.log"
    env = {**os.environ, "DATABASE_URL": url, "CONN_MAX_AGE": "0"}
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "unionproj", "worker", "--pool=solo", "-Q", queue, "-n", nodename,
             "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "info"],
            cwd=BASE_DIR, env=env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        )
    try:
        yield queue, nodename, process, log
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.mark.skipif(not BROKER, reason="needs CELERY_BROKER_URL (CI sets it); the eager test covers the default")
def test_a_real_worker_runs_the_task_from_the_broker_and_stores_the_result(worker):
    queue, nodename, process, log = worker
    result = ping.apply_async(queue=queue)
    deadline = time.monotonic() + WAIT_SECONDS
    while not result.ready():
        if process.poll() is not None:
            pytest.fail(f"the worker exited with {process.returncode}:\n{log.read_text()}")
        if time.monotonic() > deadline:
            pytest.fail(f"no answer from the worker within {WAIT_SECONDS}s:\n{log.read_text()}")
        time.sleep(0.2)
    assert result.get(timeout=1) == {"reply": "pong", "hostname": nodename}
    stored = TaskResult.objects.get(task_id=result.id)
    assert (stored.status, stored.task_name, stored.worker) == ("SUCCESS", "unionproj.ping", nodename)
