"""Exports of a roadshow's outcome (issue 6): who may export what, when, and whether the file
is made right away (streamed) or by a background job.

- Admins of the roadshow (campaign admins) may export every kind once results are computed
  (``WorkflowError`` → 409 before). The payout table exists once the roadshow is finalised.
- Applicants — staff or county admins of a union that filed an entry, or of a union above
  one — may export the published award list (``kind=awards``) after finalisation only.
- Everybody else who can see the roadshow: ``PermissionDenied`` (403); the roadshow not
  visible at all is the caller's 404 (``queries.roadshows_visible_to``).
- Bad kind or format: ``ValidationError`` (400).

An export of more than ``settings.EXPORT_SYNC_MAX_ROWS`` rows (default 2000) becomes an
``ExportJob`` run by Celery; smaller ones are written while they are sent.
"""

import logging
import os
import re
import uuid
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.enums import JobState
from evaluations import queries as scoring_queries
from evaluations.enums import RoadshowStatus
from evaluations.models import Roadshow
from evaluations.rules import MANAGE_AWARDS
from members.rules import may
from unionproj import jobs
from unionproj.errors import NOT_ALLOWED, WorkflowError
from unionproj.text import quoted

from . import content, writers
from .models import ExportJob
from .rules import RULES

log = logging.getLogger(__name__)

EXPORT_DIR = "exports"
DEFAULT_SYNC_MAX_ROWS = 2000
DEFAULT_KEEP_DAYS = 7
UNSAFE_FILENAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def sync_max_rows():
    return int(getattr(settings, "EXPORT_SYNC_MAX_ROWS", DEFAULT_SYNC_MAX_ROWS))


def keep_days():
    return int(getattr(settings, "EXPORT_KEEP_DAYS", DEFAULT_KEEP_DAYS))


def export_root():
    return Path(settings.MEDIA_ROOT) / EXPORT_DIR


# --- who may export what --------------------------------------------------------------------


def clean_request(kind, fmt):
    """``(kind, fmt)`` validated; ``ValidationError`` naming what is wrong."""
    kind = (kind or "").strip().lower()
    fmt = (fmt or "").strip().lower()
    errors = {}
    if kind not in content.KINDS:
        errors["kind"] = _("未知的导出内容%(k)s，可选：%(all)s。") % {"k": quoted(kind), "all": ", ".join(content.KINDS)}
    if fmt not in content.FORMATS:
        errors["format"] = _("未知的文件格式%(f)s，可选：%(all)s。") % {"f": quoted(fmt), "all": ", ".join(content.FORMATS)}
    elif kind in content.KINDS and fmt not in content.FORMATS_OF[kind]:
        errors["format"] = _("%(k)s只能导出为：%(all)s。") % {
            "k": content.KINDS[kind], "all": ", ".join(content.FORMATS_OF[kind])}
    if errors:
        raise ValidationError(errors)
    return kind, fmt


def is_admin(actor, roadshow):
    """Whether ``actor`` administers ``roadshow`` (and so may export every kind)."""
    return may(actor, MANAGE_AWARDS, roadshow)


def allowed_kinds(actor, roadshow):
    """The kinds ``actor`` may export from ``roadshow`` as things stand (for the page)."""
    return [kind for kind in content.KINDS if may(actor, RULES[kind], roadshow)]


def check_export(*, actor, roadshow, kind, fmt):
    """Raise unless ``actor`` may export ``kind`` as ``fmt`` now: ``ValidationError`` (bad kind
    or format), ``PermissionDenied`` (not theirs), ``WorkflowError`` (no results yet; payouts
    before finalisation). Returns the cleaned ``(kind, fmt)``."""
    kind, fmt = clean_request(kind, fmt)
    if not may(actor, RULES[kind], roadshow):
        raise PermissionDenied(NOT_ALLOWED if kind != content.AWARDS else _("获奖名单定稿后，申报单位方可下载。"))
    if not roadshow.results.exists():
        raise WorkflowError(_("尚未计算评定结果，不能导出。"), state=roadshow.status)
    if kind == content.PAYOUTS and roadshow.status != RoadshowStatus.FINALIZED:
        raise WorkflowError(_("定稿后才生成补贴拨付记录，届时可导出补贴拨付表。"), state=roadshow.status)
    return kind, fmt


# --- the export -----------------------------------------------------------------------------


def filename(document, fmt):
    """The Chinese file name offered to the browser: ``<路演>-<内容>.<ext>``."""
    stem = UNSAFE_FILENAME.sub("_", document.filename_stem).strip(" .") or "export"
    return f"{stem[:120]}.{writers.EXTENSIONS[fmt]}"


@dataclass
class Export:
    """A file to send now: ``write(fileobj)``, or ``chunks()`` (CSV: a generator)."""

    document: content.Document
    fmt: str

    @property
    def filename(self):
        return filename(self.document, self.fmt)

    @property
    def content_type(self):
        return writers.CONTENT_TYPES[self.fmt]

    @property
    def streams(self):
        return self.fmt == content.CSV

    def chunks(self):
        return writers.csv_chunks(self.document)

    def write(self, fileobj):
        writers.write(self.document, self.fmt, fileobj)


def _load(roadshow):
    return Roadshow.objects.select_related("campaign__owner_union", "rubric").get(pk=roadshow.pk)


def export_roadshow(*, actor, roadshow, kind, fmt, background=None):
    """Export ``kind`` of ``roadshow`` as ``fmt`` for ``actor`` (see :func:`check_export`).

    Returns an :class:`Export` to send right away, or — above ``EXPORT_SYNC_MAX_ROWS`` rows, or
    when ``background`` is true — an ``ExportJob`` (``background=False`` forces the former).
    Side effects of a job: the row, and on commit the Celery message; expired export files are
    removed first (:func:`clean_exports`). The same pending or running export of the same
    user is handed back instead of a second one."""
    roadshow = _load(roadshow)
    kind, fmt = check_export(actor=actor, roadshow=roadshow, kind=kind, fmt=fmt)
    rows = None
    if background is None:
        rows = content.estimate_rows(roadshow, kind)
        background = rows > sync_max_rows()
    if not background:
        return Export(document=content.build(roadshow, kind, rows), fmt=fmt)  # counted once, not twice
    return _start_job(actor=actor, roadshow=roadshow, kind=kind, fmt=fmt)


def _start_job(*, actor, roadshow, kind, fmt):
    clean_exports()
    with transaction.atomic():
        running = (ExportJob.objects.select_for_update()
                   .filter(roadshow=roadshow, kind=kind, fmt=fmt, requested_by=actor,
                           state__in=(JobState.PENDING, JobState.RUNNING))
                   .order_by("-created_at").first())
        if running is not None:
            return running
        job = ExportJob.objects.create(roadshow=roadshow, kind=kind, fmt=fmt, task_id=str(uuid.uuid4()),
                                       requested_by=actor, rows=content.estimate_rows(roadshow, kind))
        transaction.on_commit(lambda: publish(job.pk), robust=True)
    return job


EXPORT_TASK = "evaluations.export_roadshow"  # exports.tasks.export_task


def publish(job_id):
    """Send the job's Celery message (in the embedded default it runs right here). When the
    broker cannot be reached the job fails with a message asking to try again."""
    job = ExportJob.objects.filter(pk=job_id, state=JobState.PENDING).first()
    if job is None:
        return False
    try:
        jobs.send(EXPORT_TASK, job_id=job.pk, task_id=job.task_id)
    except jobs.BROKER_ERRORS as exc:
        log.warning("export job %s not published, the broker is unreachable: %r", job.pk, exc)
        ExportJob.objects.filter(pk=job.pk, state=JobState.PENDING).update(
            state=JobState.FAILED, error=_("任务队列暂时无法连接，请稍后重试。"), finished_at=timezone.now())
        return False
    return True


def _progress_reporter(job):
    total = max(job.rows, 1)
    last = {"percent": 0}

    def report(done):
        percent = min(99, max(1, int(done * 100 / total)))
        if percent >= last["percent"] + 5:  # a write every 5 % at most
            last["percent"] = percent
            jobs.report_progress(ExportJob, job.pk, percent)

    return report


def run_export_job(*, job_id):
    """The Celery task's body: build the file under ``MEDIA_ROOT/exports/`` with a name the
    server makes, reporting progress; ``succeeded`` with the file, or ``failed`` with the error.
    The permission and state are checked again (they may have changed since the request). A
    finished job is left alone. Returns the job (``None`` if unknown)."""
    job, claimed = jobs.claim(ExportJob, job_id)
    if not claimed:
        return job
    partial = None
    try:
        roadshow = _load(job.roadshow)
        if job.requested_by is None:
            raise PermissionDenied(NOT_ALLOWED)
        check_export(actor=job.requested_by, roadshow=roadshow, kind=job.kind, fmt=job.fmt)
        document = content.build(roadshow, job.kind)
        root = export_root()
        root.mkdir(parents=True, exist_ok=True)
        name = f"{uuid.uuid4().hex}.{writers.EXTENSIONS[job.fmt]}"
        target = root / name
        partial = root / f".{name}.part"
        with open(partial, "wb") as fileobj:
            writers.write(document, job.fmt, fileobj, _progress_reporter(job))
        os.replace(partial, target)
        jobs.finish(job, JobState.SUCCEEDED, file=f"{EXPORT_DIR}/{name}", filename=filename(document, job.fmt),
                    size=target.stat().st_size, rows=document.rows or job.rows, error="")
    except (WorkflowError, ValidationError, PermissionDenied, Roadshow.DoesNotExist) as exc:
        error = "; ".join(exc.messages) if isinstance(exc, ValidationError) else (str(exc) or NOT_ALLOWED)
        _fail(job, error)
    except Exception as exc:
        _fail(job, _("导出出错：%(e)s") % {"e": exc.__class__.__name__})
        raise
    finally:
        if partial is not None:  # a file half written by a failed run
            partial.unlink(missing_ok=True)
    job.refresh_from_db()
    return job


def _fail(job, error):
    jobs.fail(ExportJob, job.pk, error)


# --- reading and downloading jobs -----------------------------------------------------------


def jobs_visible_to(user):
    """Export jobs ``user`` may follow: their own, and every job of a roadshow they
    administer."""
    if not user.is_authenticated:
        return ExportJob.objects.none()
    administered = Roadshow.objects.filter(scoring_queries.administered_roadshows_q(user))
    return (ExportJob.objects.filter(Q(requested_by=user) | Q(roadshow__in=administered))
            .select_related("roadshow__campaign__owner_union", "requested_by"))


def job_file(*, actor, job):
    """``(absolute path, download name)`` of a finished job's file, for ``actor``, who must still
    be allowed to export it (``PermissionDenied``/``WorkflowError`` otherwise);
    ``FileNotFoundError`` when it is not ready or was cleaned away."""
    check_export(actor=actor, roadshow=_load(job.roadshow), kind=job.kind, fmt=job.fmt)
    if job.state != JobState.SUCCEEDED or not job.file:
        raise FileNotFoundError(job.file)
    path = (Path(settings.MEDIA_ROOT) / job.file).resolve()
    if export_root().resolve() not in path.parents or not path.is_file():
        raise FileNotFoundError(job.file)
    return path, job.filename


def clean_exports(*, days=None):
    """Delete the export jobs (and their files) finished more than ``days`` days ago (default
    ``EXPORT_KEEP_DAYS``), and jobs stuck unfinished that long. Returns how many."""
    days = keep_days() if days is None else days
    cutoff = timezone.now() - timedelta(days=days)
    old = list(ExportJob.objects.filter(created_at__lt=cutoff).values_list("pk", "file"))
    root = export_root().resolve()
    for _pk, name in old:
        if name:
            path = (Path(settings.MEDIA_ROOT) / name).resolve()
            if root in path.parents:
                path.unlink(missing_ok=True)
    ExportJob.objects.filter(pk__in=[pk for pk, _name in old]).delete()
    return len(old)
