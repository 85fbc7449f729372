"""Celery tasks of the awards: thin wrappers that run a ``ComputeJob`` through
``awards.services.run_job`` (which keeps the job's state, progress and error).

Money is computed here, so the tasks acknowledge late and are rejected (requeued) when their
worker dies (settings: ``CELERY_TASK_ACKS_LATE``, ``CELERY_TASK_REJECT_ON_WORKER_LOST``; also
set per task below so a different default cannot weaken them). Running a job twice is harmless:
the services are idempotent and a finished job is not run again.
"""

import logging

from celery import shared_task
from celery.signals import worker_ready

from .enums import JobKind

log = logging.getLogger(__name__)

MONEY_TASK = {"bind": True, "acks_late": True, "reject_on_worker_lost": True}


def _run(job_id):
    from . import services

    job = services.run_job(job_id=job_id)
    if job is None:
        return {"state": "missing", "job": job_id}
    return {"state": job.state, "job": job.pk, "progress": job.progress, "error": job.error, "result": job.result}


@shared_task(name="evaluations.compute_results", **MONEY_TASK)
def compute_results_task(self, job_id):
    """Compute a roadshow's results (``ComputeJob`` ``job_id``)."""
    return _run(job_id)


@shared_task(name="evaluations.rank_units", **MONEY_TASK)
def rank_units_task(self, job_id):
    """Rank the year's top-level units (``ComputeJob`` ``job_id``)."""
    return _run(job_id)


@shared_task(bind=True, name="evaluations.requeue_pending_jobs")
def requeue_pending_jobs_task(self, older_than=60):
    """Publish the jobs left pending while the broker was down (a periodic task)."""
    from . import services

    return services.requeue_pending_jobs(older_than=older_than)


TASKS = {JobKind.COMPUTE: compute_results_task, JobKind.UNIT_RANKING: rank_units_task}


@worker_ready.connect
def requeue_on_worker_start(sender=None, **kwargs):
    """A worker that starts picks up what was requested while no broker could be reached."""
    from . import services

    try:
        published = services.requeue_pending_jobs(older_than=0)
    except Exception:  # a start-up helper must never stop the worker
        log.exception("requeue of pending compute jobs failed")
        return
    if published:
        log.info("published %s pending compute job(s)", published)

