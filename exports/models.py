"""Exports: a large export built in the background (``exports``)."""


from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from awards.enums import JobState
from evaluations.models import Roadshow

# --- exports (issue 6: award lists, rankings, score sheets, payout tables) -----------------------


EXPORT_KINDS = [
    ("awards", _("获奖名单")),
    ("ranking", _("评审排名表")),
    ("scoresheets", _("评分表")),
    ("payouts", _("补贴拨付表")),
    ("certificates", _("荣誉证书")),
]
EXPORT_FORMATS = [("xlsx", "Excel"), ("csv", "CSV"), ("pdf", "PDF")]


class ExportJob(models.Model):
    """A large export built in the background (``exports``). The file lies under
    ``MEDIA_ROOT/exports/`` with a name the server made (``file``); it is handed out only through
    a permission-checked view, under the Chinese ``filename``, and removed after
    ``EXPORT_KEEP_DAYS`` days. ``task_id`` is what the API hands out."""

    roadshow = models.ForeignKey(Roadshow, on_delete=models.CASCADE, related_name="export_jobs")
    kind = models.CharField(_("内容"), max_length=16, choices=EXPORT_KINDS)
    fmt = models.CharField(_("格式"), max_length=8, choices=EXPORT_FORMATS)
    task_id = models.CharField(max_length=64, unique=True)
    state = models.CharField(_("状态"), max_length=16, choices=JobState.choices, default=JobState.PENDING,
                             db_index=True)
    progress = models.PositiveSmallIntegerField(_("进度"), default=0)
    rows = models.PositiveIntegerField(_("行数"), default=0)
    error = models.TextField(_("错误"), blank=True)
    file = models.CharField(max_length=200, blank=True)  # relative to MEDIA_ROOT
    filename = models.CharField(_("文件名"), max_length=200, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                     related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "evaluations_exportjob"
        verbose_name = _("导出任务")
        verbose_name_plural = _("导出任务")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="exportjob_progress_range"),
        ]

    def __str__(self):
        return f"{self.kind}.{self.fmt}#{self.pk} {self.state}"
