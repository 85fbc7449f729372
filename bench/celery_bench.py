"""Celery: tasks per second through a real worker, in the money-safe configuration the project
runs with (``unionproj/settings.py``: ``task_acks_late``, ``task_reject_on_worker_lost``,
``worker_prefetch_multiplier = 1``; results in the database, ``task_track_started``), against
the same worker with Celery's defaults (acknowledge on receipt, prefetch 4) in the same run.

A worker process (``bench.celery_worker``: the project's app, prefork, ``nproc`` processes as
``celery -A unionproj worker`` starts by default) consumes a queue of its own on the bench's
Redis db, against the bench database. The bench publishes N tasks back to back and counts the
time from the first publication until every result is stored (``django_celery_results``: the
results are read the way the app reads them). Two tasks:

- ``unionproj.ping``: no work at all, so the figure is the broker + result-store round trip;
- ``evaluations.compute_results`` on a roadshow-sized data set (16 entries × 15 jurors): a real
  job (its ``ComputeJob`` row, the computation, the results, the audit), money-safe either way
  (the task sets ``acks_late`` itself), so it runs once, in the project's configuration.

What bounds the ping figure is the result store, not the acknowledgement: the django-db backend
writes each task twice (``STARTED``, then ``SUCCESS``: six queries, two commits), which is why
acknowledging late costs little in comparison (``celery.ping.money_safe_vs_broker_defaults``).
"""

import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import uuid

from celery import Celery
from django.conf import settings
from django.utils import timezone
from django_celery_results.models import TaskResult

from awards.enums import JobKind, JobState
from awards.models import ComputeJob

from . import env, seed
from .figures import Figure

BASE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
READY_SECONDS = 60
CONFIG_LINE = re.compile(r"bench-config: (.*)")


class Worker:
    """``python -m bench.celery_worker`` as a subprocess on a queue of its own; stopped (warm
    shutdown, then killed if it hangs) on exit."""

    def __init__(self, *, broker_defaults=False, concurrency=None):
        self.queue = f"bench-{uuid.uuid4().hex[:10]}"
        self.concurrency = concurrency or os.cpu_count() or 1
        self.log = tempfile.NamedTemporaryFile(prefix="bench-celery-", suffix=".log", delete=False)
        args = [sys.executable, "-m", "bench.celery_worker"]
        if broker_defaults:
            args.append("--broker-defaults")
        args += ["--pool=prefork", f"--concurrency={self.concurrency}", "-Q", self.queue,
                 "-n", f"{self.queue}@%h", "--without-gossip", "--without-mingle", "--without-heartbeat",
                 "-l", "warning"]
        worker_env = {**os.environ, **env.settings_env(), "CELERY_BROKER_URL": env.REDIS_URL,
                      "DATABASE_URL": env.DATABASE_URL}
        self.proc = subprocess.Popen(args, cwd=BASE_DIR, env=worker_env, stdout=self.log, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, start_new_session=True)

    def config(self):
        """The configuration its tasks got, from the worker's own log line (None until ready)."""
        with open(self.log.name, encoding="utf-8", errors="replace") as f:
            match = CONFIG_LINE.search(f.read())
        return match.group(1) if match else None

    def check(self):
        if self.proc.poll() is not None:
            raise RuntimeError(f"the celery worker exited with {self.proc.returncode}, see {self.log.name}")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()  # warm shutdown: finishes what it holds
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)  # its own session: the pool's children too
                self.proc.wait()
        self.log.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def _producer():
    """A publisher on the bench's Redis db with the project's serialisation (json), separate
    from the project's app (eager in this process: the bench itself runs in the embedded mode's
    Celery settings)."""
    return Celery("bench-producer", broker=env.REDIS_URL, set_as_current=False)


def _wait(worker, task_ids, timeout):
    """Seconds until every task of ``task_ids`` has a stored outcome, and how many failed."""
    pending = set(task_ids)
    failed = 0
    deadline = time.monotonic() + timeout
    while pending:
        worker.check()
        if time.monotonic() > deadline:
            raise RuntimeError(f"{len(pending)} of {len(task_ids)} tasks without a result after {timeout}s, "
                               f"see {worker.log.name}")
        done = TaskResult.objects.filter(task_id__in=pending, status__in=("SUCCESS", "FAILURE")).values_list(
            "task_id", "status")
        for task_id, status in done:
            pending.discard(task_id)
            failed += status == "FAILURE"
        if pending:
            time.sleep(0.02)
    return failed


def _send_and_wait(worker, producer, name, args_list, *, timeout):
    """Publish one ``name`` task per ``args`` (back to back) and wait for all the results:
    (seconds from the first publication to the last result, failures)."""
    task_ids = [str(uuid.uuid4()) for _ in args_list]
    started = time.perf_counter()
    with producer.producer_or_acquire() as publisher:  # one connection for the whole batch
        for task_id, args in zip(task_ids, args_list, strict=True):
            producer.send_task(name, args=args, task_id=task_id, queue=worker.queue, producer=publisher)
    failed = _wait(worker, task_ids, timeout)
    return time.perf_counter() - started, failed


def _ready(worker, producer):
    """Wait until the worker answers (a first round of pings: also warms every pool process)."""
    deadline = time.monotonic() + READY_SECONDS
    while worker.config() is None:
        worker.check()
        if time.monotonic() > deadline:
            raise RuntimeError(f"the celery worker did not start within {READY_SECONDS}s, see {worker.log.name}")
        time.sleep(0.1)
    _send_and_wait(worker, producer, "unionproj.ping", [()] * (4 * worker.concurrency), timeout=READY_SECONDS)


def _compute_jobs(world, shows, count):
    """``count`` pending compute jobs spread over ``shows`` (one per worker process, so the
    processes do not all queue on the same roadshow's row lock). ``enqueued_at`` is set: the
    worker's start-up requeue must not publish them a second time."""
    now = timezone.now()
    jobs = [ComputeJob(kind=JobKind.COMPUTE, roadshow=shows[i % len(shows)], task_id=str(uuid.uuid4()),
                       state=JobState.PENDING, enqueued_at=now, created_by=world.admin) for i in range(count)]
    return ComputeJob.objects.bulk_create(jobs)


def _compute_round(worker, producer, jobs, timeout):
    started = time.perf_counter()
    with producer.producer_or_acquire() as publisher:
        for job in jobs:
            producer.send_task("evaluations.compute_results", args=(job.pk,), task_id=job.task_id,
                               queue=worker.queue, producer=publisher)
    failed = _wait(worker, [job.task_id for job in jobs], timeout)
    failed += ComputeJob.objects.filter(pk__in=[j.pk for j in jobs]).exclude(state=JobState.SUCCEEDED).count()
    return time.perf_counter() - started, failed


def _figures(label, n, seconds, failed, config=None):
    figures = [Figure(f"celery.{label}.tasks", n, "tasks"),
               Figure(f"celery.{label}.tasks_per_s", round(n / seconds, 1), "tasks/s"),
               Figure(f"celery.{label}.errors", failed, "tasks", "0", failed == 0)]
    if config:
        print(f"# celery.{label}: worker {config}", file=sys.stderr, flush=True)
    return figures


def run(world, quick):
    assert settings.CELERY_RESULT_BACKEND == "django-db"  # what _wait reads
    pings, computes = (100, 6) if quick else (3000, 200)
    producer = _producer()
    figures = []
    rates = {}
    try:
        # --quick: the configuration the project runs only (the comparison with Celery's
        # defaults is informative, and a second worker start is a tenth of the minute).
        variants = (("money_safe", False),) if quick else (("money_safe", False), ("broker_defaults", True))
        for label, broker_defaults in variants:
            with Worker(broker_defaults=broker_defaults) as worker:
                _ready(worker, producer)
                config = worker.config()
                seconds, failed = _send_and_wait(worker, producer, "unionproj.ping", [()] * pings,
                                                 timeout=max(120, pings / 10))
                rates[label] = pings / seconds
                figures += _figures(f"ping.{label}", pings, seconds, failed, config)
                if not broker_defaults:
                    shows = [seed.scored_roadshow(world, entries=16, jurors_count=15)[0]
                             for _ in range(worker.concurrency)]
                    warm = _compute_jobs(world, shows, worker.concurrency)
                    _compute_round(worker, producer, warm, timeout=120)
                    jobs = _compute_jobs(world, shows, computes)
                    seconds, failed = _compute_round(worker, producer, jobs, timeout=max(300, computes))
                    figures += _figures(f"compute_roadshow.{label}", computes, seconds, failed)
        if "broker_defaults" in rates:
            figures.append(Figure("celery.ping.money_safe_vs_broker_defaults",
                                  round(rates["money_safe"] / rates["broker_defaults"], 2), "x"))
    finally:
        producer.close()
    return figures
