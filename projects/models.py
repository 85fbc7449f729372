import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from members.models import Union

from .enums import ProjectStatus


def default_categories():
    return list(settings.DEFAULT_CATEGORIES)


class Campaign(models.Model):
    """A year's programme (年度工会创新工作项目)."""

    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("名称"), max_length=200)
    owner_union = models.ForeignKey(Union, verbose_name=_("主办工会"), on_delete=models.PROTECT, related_name="campaigns")
    filing_opens = models.DateField(_("申报开始"))
    filing_deadline = models.DateField(_("申报截止"))
    budget = models.DecimalField(
        _("补贴预算(元)"), max_digits=14, decimal_places=2, default=0, validators=[MinValueValidator(0)]
    )
    categories = models.JSONField(_("领域"), default=default_categories)
    require_recommendation = models.BooleanField(_("需区县推荐"), default=False)
    recommendation_quota = models.PositiveSmallIntegerField(_("每区县推荐名额"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("年度项目")
        verbose_name_plural = _("年度项目")
        ordering = ["-year", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(filing_deadline__gte=models.F("filing_opens")),
                                   name="campaign_window_ordered"),
            models.CheckConstraint(condition=models.Q(budget__gte=0), name="campaign_budget_nonnegative"),
        ]

    def __str__(self):
        return self.title

    def filing_is_open(self, today=None):
        today = today or timezone.localdate()
        return self.filing_opens <= today <= self.filing_deadline

    @property
    def status(self):
        today = timezone.localdate()
        if today < self.filing_opens:
            return "upcoming"
        if today > self.filing_deadline:
            return "closed"
        return "open"

    def get_status_display(self):
        return {"upcoming": _("未开始申报"), "open": _("申报中"), "closed": _("申报已截止")}[self.status]


class Project(models.Model):
    """An innovation project proposal and its life through the workflow."""

    campaign = models.ForeignKey(Campaign, verbose_name=_("年度项目"), on_delete=models.PROTECT, related_name="projects")
    applicant_union = models.ForeignKey(
        Union, verbose_name=_("申报单位"), on_delete=models.PROTECT, related_name="projects"
    )
    title = models.CharField(_("项目名称"), max_length=200)
    category = models.CharField(_("领域"), max_length=40)
    summary = models.TextField(_("项目简介"), blank=True)
    objectives = models.TextField(_("项目目标"), blank=True)
    plan = models.TextField(_("实施计划"), blank=True)
    expected_outcomes = models.TextField(_("预期成效"), blank=True)
    budget_requested = models.DecimalField(
        _("申请经费(元)"), max_digits=12, decimal_places=2, default=0, validators=[MinValueValidator(0)]
    )
    contact_name = models.CharField(_("联系人"), max_length=60, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=ProjectStatus.choices, default=ProjectStatus.DRAFT, db_index=True
    )
    recommended_by = models.ForeignKey(
        Union, verbose_name=_("推荐单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("创建人")
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    submitted_at = models.DateTimeField(_("申报时间"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("项目")
        verbose_name_plural = _("项目")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["campaign", "status"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(budget_requested__gte=0), name="project_budget_nonnegative"),
        ]

    def __str__(self):
        return self.title


class ProjectEvent(models.Model):
    """The audit trail of a project's workflow: one row per transition, never changed."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=32)
    from_status = models.CharField(max_length=20, choices=ProjectStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=ProjectStatus.choices)
    reason = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("项目流转记录")
        verbose_name_plural = _("项目流转记录")

    def __str__(self):
        return f"{self.project_id} {self.from_status}→{self.to_status}"


def attachment_path(instance, filename):
    # The stored name is made by the server; the user's name is kept only in ``name``.
    suffix = PurePath(filename).suffix.lower()[:8]
    return f"attachments/{instance.project.campaign_id}/{instance.project_id}/{uuid.uuid4().hex}{suffix}"


class Attachment(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=255)
    name = models.CharField(_("文件名"), max_length=255)
    size = models.PositiveBigIntegerField(_("大小"))
    content_type = models.CharField(_("类型"), max_length=120)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("附件")
        verbose_name_plural = _("附件")

    def __str__(self):
        return self.name
