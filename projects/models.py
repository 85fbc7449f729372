import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from members.models import Union

from .enums import AttachmentKind, ProjectStatus, ReplicationStatus


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
    progress_report_due = models.DateField(_("中期报告截止"), null=True, blank=True)
    closing_report_due = models.DateField(_("结项报告截止"), null=True, blank=True)
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
    # A returned project may be submitted again after the campaign's filing deadline until this
    # day, when an admin reopened its window (projects.services.reopen_filing, audited).
    resubmit_until = models.DateField(_("补报截止日期"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("项目")
        verbose_name_plural = _("项目")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["campaign", "status"]),
            # The list's order: a page of the newest projects is read off this index and stops
            # after its rows, whatever the number of projects (PERFORMANCE.md).
            models.Index(fields=["-created_at", "-id"], name="project_newest_first"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(budget_requested__gte=0), name="project_budget_nonnegative"),
        ]

    def __str__(self):
        return self.title


class ProjectEvent(models.Model):
    """The audit trail of a project's workflow: one row per transition, never changed."""

    # PROTECT: the rows are append-only in the database (unionproj/append_only.py); a project or
    # a user with a history is kept (users are deactivated), only a demo purge removes both.
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
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
    kind = models.CharField(_("用途"), max_length=16, choices=AttachmentKind.choices, default=AttachmentKind.PROPOSAL)
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


class ProgressReport(models.Model):
    """A progress report (中期报告) of a project under way, filed by its union's staff."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="progress_reports")
    text = models.TextField(_("报告内容"))
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    filed_at = models.DateTimeField(_("提交时间"), default=timezone.now)

    class Meta:
        ordering = ["filed_at", "id"]
        verbose_name = _("中期报告")
        verbose_name_plural = _("中期报告")

    def __str__(self):
        return f"{self.project_id} {self.filed_at:%Y-%m-%d}"


class ClosingReport(models.Model):
    """A closing report (结项报告). A project whose closure failed may file another one; the
    admin's decision is the project's ``ProjectEvent`` (accept_closure / fail_closure)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="closing_reports")
    text = models.TextField(_("结项报告"))
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    filed_at = models.DateTimeField(_("提交时间"), default=timezone.now)

    class Meta:
        ordering = ["filed_at", "id"]
        verbose_name = _("结项报告")
        verbose_name_plural = _("结项报告")

    def __str__(self):
        return f"{self.project_id} {self.filed_at:%Y-%m-%d}"


class ReminderLog(models.Model):
    """One reminder mail sent to one user on one day: the database keeps the daily job
    idempotent (a second run, or two at once, sends nothing more)."""

    kind = models.CharField(max_length=16, default="progress")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    projects = models.JSONField(default=list)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "user", "day"], name="reminderlog_once_a_day")]

    def __str__(self):
        return f"{self.kind} {self.user_id} {self.day}"


class ReplicationPlan(models.Model):
    """A replication plan (复制推广计划): another union adopts a closed project."""

    source_project = models.ForeignKey(Project, verbose_name=_("源项目"), on_delete=models.PROTECT,
                                       related_name="replication_plans")
    adopting_union = models.ForeignKey(Union, verbose_name=_("推广单位"), on_delete=models.PROTECT,
                                       related_name="replication_plans")
    plan = models.TextField(_("推广计划"))
    status = models.CharField(_("状态"), max_length=16, choices=ReplicationStatus.choices,
                              default=ReplicationStatus.PLANNED, db_index=True)
    adoption_report = models.TextField(_("推广成效报告"), blank=True)
    year = models.PositiveSmallIntegerField(_("年度"), db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-year", "-id"]
        verbose_name = _("复制推广计划")
        verbose_name_plural = _("复制推广计划")
        constraints = [
            models.UniqueConstraint(fields=["source_project", "adopting_union"], name="replication_once_per_union"),
        ]

    def __str__(self):
        return f"{self.source_project_id} → {self.adopting_union_id}"


class HistoricAward(models.Model):
    """The tier and subsidy of a past year's project, imported from a spreadsheet: those years
    had no roadshow in this system, so ``evaluations``' results cannot hold them."""

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="historic_award")
    year = models.PositiveSmallIntegerField(_("年度"))
    tier = models.CharField(_("等次"), max_length=30, blank=True)
    amount = models.DecimalField(_("补贴金额(元)"), max_digits=12, decimal_places=2, default=0)

    class Meta:
        verbose_name = _("历史获奖")
        verbose_name_plural = _("历史获奖")
        constraints = [models.CheckConstraint(condition=models.Q(amount__gte=0), name="historicaward_amount_nonnegative")]

    def __str__(self):
        return f"{self.year} {self.project_id} {self.tier}"
