"""The award jobs (``ComputeJob``: a roadshow's results, the unit ranking) on the shared runner
(``unionproj.jobs``): created with the request, published by task name on commit, run by the
Celery tasks through :func:`run_job`, requeued when pending or stale.

What a kind of job does is registered by the module that does it (:func:`register`:
``results`` and ``ranking``), so this module imports neither and they import it."""

import logging
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from evaluations.enums import EventAction
from evaluations.services._common import record
from unionproj import jobs
from unionproj.errors import WorkflowError
from unionproj.jobs import BROKER_ERRORS

from ..enums import JobKind, JobState
from ..models import ComputeJob
from ._common import LOST_AFTER

log = logging.getLogger(__name__)

# The Celery task of each kind, by name (``awards.tasks``; the names are older than the app).
TASK_NAMES = {JobKind.COMPUTE: "evaluations.compute_results", JobKind.UNIT_RANKING: "evaluations.rank_units"}
# What runs a job of each kind: ``(job, progress) -> result summary``, see :func:`register`.
RUNNERS = {}


def register(kind, runner):
    """``runner(job, progress)`` does the work of a ``kind`` job and returns its summary."""
    RUNNERS[kind] = runner


def new_job(*, actor, kind, roadshow=None, year=None):
    job = ComputeJob.objects.create(kind=kind, roadshow=roadshow, year=year, task_id=str(uuid.uuid4()),
                                    created_by=actor)
    transaction.on_commit(lambda: publish_job(job.pk), robust=True)
    return job


def publish_job(job_id, states=(JobState.PENDING,)):
    """Publish the Celery message of a pending job (or of a job in one of ``states``: a stale
    ``running`` one, see :func:`requeue_pending_jobs`), with no retry (the producer's timeouts
    are short, see settings). Returns ``True`` when published; on a broker error the job keeps
    its state with a note and ``False`` is returned. In the embedded default (eager Celery) the
    job runs right here."""
    job = ComputeJob.objects.filter(pk=job_id, state__in=list(states)).first()
    if job is None:
        return False
    try:
        jobs.send(TASK_NAMES[job.kind], job_id=job.pk, task_id=job.task_id)
    except BROKER_ERRORS as exc:
        log.warning("compute job %s not published, the broker is unreachable: %r", job.pk, exc)
        ComputeJob.objects.filter(pk=job.pk, state=JobState.PENDING).update(
            note=_("任务队列暂时无法连接：任务已保存，队列恢复后将自动执行。"), updated_at=timezone.now())
        # A stale running job keeps its old ``updated_at``: it stays due for the next requeue.
        ComputeJob.objects.filter(pk=job.pk, state=JobState.RUNNING).update(
            note=_("任务队列暂时无法连接：任务已保存，队列恢复后将自动执行。"))
        return False
    ComputeJob.objects.filter(pk=job.pk).update(enqueued_at=timezone.now())
    return True


def _finish(job, state, *, result=None, error=""):
    jobs.finish(job, state, fields=("progress",), error=error,
                **({"result": result} if state == JobState.SUCCEEDED else {}))


def run_job(*, job_id):
    """Run a compute job (what the Celery tasks call): ``pending``/``running`` → ``running`` →
    ``succeeded`` with the summary, or ``failed`` with a clear error. A job already finished is
    left alone (a message delivered twice); a ``running`` one is run again (its worker died: the
    broker redelivered the message). Domain errors fail the job quietly; anything else fails
    it and is raised again for Celery to log. Returns the job (``None`` if unknown)."""
    job, claimed = jobs.claim(ComputeJob, job_id)
    if not claimed:
        return job

    def progress(percent):
        # Every report touches ``updated_at`` (even one below the progress a killed earlier run
        # reached): a running job that stops reporting is taken for dead (requeue_pending_jobs).
        jobs.report_progress(ComputeJob, job.pk, percent)

    try:
        result = RUNNERS[job.kind](job, progress)
    except (WorkflowError, ValidationError, PermissionDenied, ObjectDoesNotExist) as exc:
        error = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        _finish(job, JobState.FAILED, error=error)
        _record_failure(job, error)
        return job
    except Exception as exc:
        error = _("计算出错：%(e)s") % {"e": exc.__class__.__name__}
        _finish(job, JobState.FAILED, error=error)
        _record_failure(job, f"{error} {exc}")
        raise
    _finish(job, JobState.SUCCEEDED, result=result)
    return job


def _record_failure(job, error):
    if job.roadshow_id is not None:
        record(actor=job.created_by, obj=job, action=EventAction.COMPUTE, roadshow=job.roadshow,
               from_state=JobState.RUNNING, to_state=JobState.FAILED, reason=error)


def stale_after():
    """How long a ``running`` job may go without reporting progress before it is taken for
    dead (its worker was killed): ``settings.COMPUTE_JOB_STALE_SECONDS``, default 600 s."""
    return timedelta(seconds=getattr(settings, "COMPUTE_JOB_STALE_SECONDS", 600))


def requeue_pending_jobs(*, older_than=60, lost_after=LOST_AFTER, stale=None):
    """Publish again the jobs still ``pending`` — never published (the broker was down) and
    older than ``older_than`` seconds, or published more than ``lost_after`` ago (the message
    was lost) — and the jobs ``running`` whose last progress report (``updated_at``, touched by
    every report) is older than ``stale`` (default :func:`stale_after`): their worker died, and
    Redis would redeliver the unacknowledged message only after the visibility timeout (hours).
    A second run of a job that was merely slow is harmless: the task is idempotent. Returns how
    many were published. Run by ``manage.py requeue_pending_jobs``, by the worker when it
    starts and by a periodic task."""
    pending, running = jobs.due_for_requeue(ComputeJob, older_than=older_than, lost_after=lost_after,
                                            stale=stale_after() if stale is None else stale)
    published = sum(publish_job(job_id) for job_id in pending)
    published += sum(publish_job(job_id, states=(JobState.RUNNING,)) for job_id in running)
    return published


