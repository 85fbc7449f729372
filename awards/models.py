"""Awards (评定等次 → 以奖代拨): tier rules, results, compute jobs, objections, payouts and the
yearly unit ranking. The tables keep their names from when they lived in ``evaluations``
(``db_table``): the models moved, the data did not."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from evaluations.models import Entry, Roadshow
from members.models import Union
from projects.models import Project

from .enums import JobKind, JobState, PayoutStatus

# --- awards (评定等次 → 以奖代拨) ---------------------------------------------------------------

MONEY_FIELD = {"max_digits": 12, "decimal_places": 2}
FINAL_SCORE_FIELD = {"max_digits": 6, "decimal_places": 2}


class TierRule(models.Model):
    """One award tier of a roadshow (特优/一等/二等/三等), applied in ``order`` (1 = highest):
    a quota (a count or a percentage of the scored entries) and/or a minimum score, and the
    subsidy amount in yuan. See ``awards.allocation``."""

    roadshow = models.ForeignKey(Roadshow, on_delete=models.CASCADE, related_name="tiers")
    order = models.PositiveSmallIntegerField(_("顺序"))
    name = models.CharField(_("等次"), max_length=30)
    quota_count = models.PositiveIntegerField(_("名额"), null=True, blank=True)
    quota_percent = models.DecimalField(_("名额比例（%）"), max_digits=5, decimal_places=2, null=True, blank=True)
    min_score = models.DecimalField(_("最低分"), **FINAL_SCORE_FIELD, null=True, blank=True)
    amount = models.DecimalField(_("奖补金额（元）"), **MONEY_FIELD)

    class Meta:
        db_table = "evaluations_tierrule"
        verbose_name = _("奖项等次")
        verbose_name_plural = _("奖项等次")
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["roadshow", "order"], name="tierrule_unique_order"),
            models.UniqueConstraint(fields=["roadshow", "name"], name="tierrule_unique_name"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="tierrule_amount_nonnegative"),
            models.CheckConstraint(condition=Q(quota_count__isnull=True) | Q(quota_count__gt=0),
                                   name="tierrule_quota_count_positive"),
            models.CheckConstraint(
                condition=Q(quota_percent__isnull=True) | (Q(quota_percent__gt=0) & Q(quota_percent__lte=100)),
                name="tierrule_quota_percent_range"),
            models.CheckConstraint(condition=Q(quota_count__isnull=True) | Q(quota_percent__isnull=True),
                                   name="tierrule_one_kind_of_quota"),
        ]

    def __str__(self):
        return f"{self.name}({self.amount})"


class Result(models.Model):
    """One entry's computed result: stored by the compute task, one per entry."""

    roadshow = models.ForeignKey(Roadshow, on_delete=models.CASCADE, related_name="results")
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="results")
    # Both empty for an entry without a submitted card: it is listed as 无有效评分, unranked.
    final_score = models.DecimalField(_("最终得分"), **FINAL_SCORE_FIELD, null=True, blank=True)
    rank = models.PositiveIntegerField(_("名次"), null=True, blank=True)
    tier = models.CharField(_("等次"), max_length=30, blank=True)
    tier_order = models.PositiveSmallIntegerField(null=True, blank=True)
    amount = models.DecimalField(_("奖补金额（元）"), **MONEY_FIELD, default=Decimal("0.00"))
    per_criterion = models.JSONField(_("各项平均分"), default=dict, blank=True)  # {criterion id: "23.50"}
    card_count = models.PositiveIntegerField(_("有效评分表数"), default=0)
    spread = models.DecimalField(_("评分极差"), max_digits=7, decimal_places=1, null=True, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    computed_at = models.DateTimeField(_("计算时间"), default=timezone.now)

    class Meta:
        db_table = "evaluations_result"
        verbose_name = _("评定结果")
        verbose_name_plural = _("评定结果")
        ordering = [F("rank").asc(nulls_last=True), "entry__order", "entry_id"]
        constraints = [
            models.UniqueConstraint(fields=["roadshow", "entry"], name="result_unique_entry"),
            models.CheckConstraint(condition=Q(rank__isnull=True) | Q(final_score__isnull=False),
                                   name="result_ranked_has_score"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="result_amount_nonnegative"),
        ]

    def __str__(self):
        return f"{self.rank}. {self.entry_id} {self.final_score}"


class ComputeJob(models.Model):
    """A request to compute something in the background (a roadshow's results, the unit
    ranking). The row is written *before* the Celery message, so a request is never lost when
    the broker is down: a pending job is enqueued again later (``requeue_pending_jobs``).
    ``task_id`` is the Celery task id the API hands out."""

    kind = models.CharField(max_length=16, choices=JobKind.choices, default=JobKind.COMPUTE)
    roadshow = models.ForeignKey(Roadshow, null=True, blank=True, on_delete=models.CASCADE, related_name="jobs")
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    task_id = models.CharField(max_length=64, unique=True)
    state = models.CharField(_("状态"), max_length=16, choices=JobState.choices, default=JobState.PENDING,
                             db_index=True)
    progress = models.PositiveSmallIntegerField(_("进度"), default=0)
    error = models.TextField(_("错误"), blank=True)
    note = models.TextField(_("说明"), blank=True)
    result = models.JSONField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "evaluations_computejob"
        verbose_name = _("计算任务")
        verbose_name_plural = _("计算任务")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="computejob_progress_range"),
        ]

    def __str__(self):
        return f"{self.kind}#{self.pk} {self.state}"


class Objection(models.Model):
    """An objection (异议) filed on an entry during 公示, and the admin's answer."""

    roadshow = models.ForeignKey(Roadshow, on_delete=models.CASCADE, related_name="objections")
    entry = models.ForeignKey(Entry, verbose_name=_("路演项目"), on_delete=models.CASCADE, related_name="objections")
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    union = models.ForeignKey(Union, verbose_name=_("提出单位"), null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    text = models.TextField(_("异议内容"))
    created_at = models.DateTimeField(auto_now_add=True)
    answer = models.TextField(_("答复"), blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    # Dismissed (不予受理) by an admin: ``answer`` holds the reason; it counts as answered.
    dismissed = models.BooleanField(_("已驳回"), default=False)
    # A digest of the normalised text (``awards.services.objections.text_key``): the same
    # objection twice on one entry is refused by the database too.
    text_key = models.CharField(max_length=64, blank=True, default="", editable=False)

    class Meta:
        db_table = "evaluations_objection"
        verbose_name = _("异议")
        verbose_name_plural = _("异议")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["roadshow", "answered_at"])]
        constraints = [
            models.UniqueConstraint(fields=["entry", "text_key"], condition=~Q(text_key=""),
                                    name="objection_unique_text_per_entry"),
        ]

    def __str__(self):
        return f"{self.entry_id}: {self.text[:30]}"

    @property
    def answered(self):
        return self.answered_at is not None


class Payout(models.Model):
    """The subsidy (以奖代拨) of one awarded project: pending → approved → paid. The database
    allows one per project."""

    project = models.ForeignKey(Project, verbose_name=_("项目"), on_delete=models.PROTECT, related_name="payouts")
    roadshow = models.ForeignKey(Roadshow, on_delete=models.PROTECT, related_name="payouts")
    result = models.ForeignKey(Result, on_delete=models.PROTECT, related_name="payouts")
    tier = models.CharField(_("等次"), max_length=30)
    amount = models.DecimalField(_("拨付金额（元）"), **MONEY_FIELD)
    status = models.CharField(_("状态"), max_length=16, choices=PayoutStatus.choices, default=PayoutStatus.PENDING,
                              db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    approved_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    paid_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    paid_at = models.DateTimeField(_("拨付时间"), null=True, blank=True)

    class Meta:
        db_table = "evaluations_payout"
        verbose_name = _("补贴拨付")
        verbose_name_plural = _("补贴拨付")
        ordering = ["roadshow_id", "result__rank", "id"]
        constraints = [
            models.UniqueConstraint(fields=["project"], name="payout_one_per_project"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="payout_amount_nonnegative"),
        ]

    def __str__(self):
        return f"{self.project} {self.amount}"


class UnitRanking(models.Model):
    """工会工作先进单位: a top-level union's points from its projects' tiers over a year."""

    year = models.PositiveSmallIntegerField(_("年度"))
    union = models.ForeignKey(Union, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="+")
    points = models.PositiveIntegerField(_("积分"))
    rank = models.PositiveIntegerField(_("名次"))
    breakdown = models.JSONField(_("明细"), default=dict, blank=True)  # {"tiers": {name: n}, "projects": [...]}
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "evaluations_unitranking"
        verbose_name = _("先进单位排名")
        verbose_name_plural = _("先进单位排名")
        ordering = ["year", "rank", "union__path"]
        constraints = [models.UniqueConstraint(fields=["year", "union"], name="unitranking_unique_union")]

    def __str__(self):
        return f"{self.year} {self.rank}. {self.union}"


