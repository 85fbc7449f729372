"""The background-job runner shared by the apps (award computation, exports): publishing a job's
Celery message by task name, its progress, its end, and the broker errors a publish can meet.

An app keeps its own job table (``awards.ComputeJob``, ``exports.ExportJob``: each row is
written before its message, so a request is never lost) and its own tasks; this module imports
no app. Publishing goes by the task's *name*, so a service never imports its app's ``tasks``
module (which imports the services: the loop the import-graph test forbids).
"""

from datetime import timedelta

from celery import current_app
from django.db import models, transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

try:  # the errors a publish raises when the broker is unreachable
    from kombu.exceptions import OperationalError as _KombuOperationalError
except ImportError:  # pragma: no cover
    _KombuOperationalError = OSError
try:
    from redis.exceptions import RedisError as _RedisError
except ImportError:  # pragma: no cover
    _RedisError = OSError
BROKER_ERRORS = (_KombuOperationalError, _RedisError, ConnectionError, TimeoutError, OSError)


class JobState(models.TextChoices):
    PENDING = "pending", _("排队中")
    RUNNING = "running", _("计算中")
    SUCCEEDED = "succeeded", _("已完成")
    FAILED = "failed", _("失败")


FINISHED = (JobState.SUCCEEDED, JobState.FAILED)


def task(name):
    """The registered Celery task ``name``. The apps' ``tasks`` modules are imported on first
    use (the worker imports them at start; a web process only when it first publishes)."""
    app = current_app
    if name not in app.tasks:
        app.loader.import_default_modules()
    return app.tasks[name]


def send(name, *, job_id, task_id):
    """Publish task ``name`` for job ``job_id`` under ``task_id``, with no retry (the producer's
    timeouts are short, see settings): a broker error is raised at once, one of
    :data:`BROKER_ERRORS`. In the embedded default (eager Celery) the task runs right here."""
    task(name).apply_async(kwargs={"job_id": job_id}, task_id=task_id, retry=False)


def _fields(model):
    return {f.name for f in model._meta.concrete_fields}


def claim(model, job_id):
    """Start job ``job_id`` of ``model``: under its row lock, ``pending``/``running`` becomes
    ``running`` (a ``running`` one was redelivered: its worker died), with ``started_at``, the
    progress at least 1, the error cleared and one more attempt where the model counts them.
    Returns ``(job, True)``; ``(job, False)`` when it is already finished (a message delivered
    twice) and ``(None, False)`` when there is no such job."""
    with transaction.atomic():
        job = model.objects.select_for_update(no_key=True, of=("self",)).filter(pk=job_id).first()
        if job is None or job.state in FINISHED:
            return job, False
        fields = _fields(model)
        job.state, job.started_at, job.error = JobState.RUNNING, timezone.now(), ""
        job.progress = max(job.progress, 1)
        update = ["state", "started_at", "error", "progress"]
        if "attempts" in fields:
            job.attempts += 1
            update.append("attempts")
        if "updated_at" in fields:
            update.append("updated_at")
        job.save(update_fields=update)
    return job, True


def report_progress(model, job_id, percent):
    """Raise job ``job_id``'s progress to ``percent`` (never lower it) and touch ``updated_at``
    when the model has one: a running job that stops reporting is taken for dead."""
    changes = {"progress": Greatest(F("progress"), Value(percent))}
    if "updated_at" in _fields(model):
        changes["updated_at"] = timezone.now()
    model.objects.filter(pk=job_id).update(**changes)


def finish(job, state, *, fields=(), **values):
    """End ``job`` in ``state`` (``succeeded``: progress 100) with ``values`` set, saving only
    what changed."""
    job.state, job.finished_at = state, timezone.now()
    for name, value in values.items():
        setattr(job, name, value)
    update = {"state", "finished_at", *values, *fields}
    if state == JobState.SUCCEEDED:
        job.progress = 100
        update.add("progress")
    if "updated_at" in _fields(type(job)):
        update.add("updated_at")
    job.save(update_fields=sorted(update))


def fail(model, job_id, error):
    """End job ``job_id`` as ``failed`` with ``error`` (one UPDATE: the job object may be stale)."""
    model.objects.filter(pk=job_id).update(state=JobState.FAILED, error=error, finished_at=timezone.now())


def due_for_requeue(model, *, older_than, lost_after, stale):
    """The ids of the jobs to publish again, oldest first, as ``(pending ids, running ids)``:
    ``pending`` ones never published (the broker was down) and older than ``older_than``
    seconds, or published (``enqueued_at``) more than ``lost_after`` ago (the message was lost);
    ``running`` ones whose last progress report (``updated_at``) is older than ``stale``: their
    worker died. ``lost_after`` and ``stale`` are seconds or timedeltas."""
    now = timezone.now()
    lost_after = lost_after if isinstance(lost_after, timedelta) else timedelta(seconds=lost_after)
    stale = stale if isinstance(stale, timedelta) else timedelta(seconds=stale)
    due = (Q(enqueued_at__isnull=True, created_at__lte=now - timedelta(seconds=older_than))
           | Q(enqueued_at__lte=now - lost_after))
    pending = model.objects.filter(due, state=JobState.PENDING).order_by("created_at").values_list("pk", flat=True)
    running = (model.objects.filter(state=JobState.RUNNING, updated_at__lte=now - stale)
               .order_by("created_at").values_list("pk", flat=True))
    return list(pending), list(running)
