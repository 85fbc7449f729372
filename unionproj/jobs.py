"""The background-job runner shared by the apps (award computation, exports): publishing a job's
Celery message by task name, its progress, its end, and the broker errors a publish can meet.

An app keeps its own job table (``awards.ComputeJob``, ``exports.ExportJob``: each row is
written before its message, so a request is never lost) and its own tasks; this module imports
no app. Publishing goes by the task's *name*, so a service never imports its app's ``tasks``
module (which imports the services: the loop the import-graph test forbids).
"""

from celery import current_app
from django.db import models
from django.db.models import F, Value
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


def report_progress(model, job_id, percent):
    """Raise job ``job_id``'s progress to ``percent`` (never lower it) and touch ``updated_at``
    when the model has one: a running job that stops reporting is taken for dead."""
    changes = {"progress": Greatest(F("progress"), Value(percent))}
    if any(f.name == "updated_at" for f in model._meta.concrete_fields):
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
    if any(f.name == "updated_at" for f in job._meta.concrete_fields):
        update.add("updated_at")
    job.save(update_fields=sorted(update))
