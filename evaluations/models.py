"""Roadshow scoring (路演展评): rubrics, roadshows, their entries and jury, scorecards, and the
audit trail. Models hold data and constraints; every write goes through
``evaluations.services``."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.models import Union
from projects.models import Campaign, Project

from .enums import (
    Aggregation,
    BudgetPolicy,
    CardStatus,
    EntryState,
    EventAction,
    JobKind,
    JobState,
    PayoutStatus,
    RoadshowStatus,
)

SCORE_FIELD = {"max_digits": 5, "decimal_places": 1}


class Rubric(models.Model):
    """A set of ordered criteria (评分标准).

    Scopes: the one global default (``is_default``); a campaign's own rubric (``campaign`` set,
    ``category`` empty); a campaign's rubric for one category (both set); and a rubric made for
    one roadshow from its own criteria (neither set, not default — never picked by
    :func:`evaluations.services.rubric_for`).
    """

    name = models.CharField(_("名称"), max_length=100)
    campaign = models.ForeignKey(
        Campaign, verbose_name=_("年度项目"), null=True, blank=True, on_delete=models.CASCADE, related_name="rubrics"
    )
    category = models.CharField(_("领域"), max_length=40, null=True, blank=True)
    is_default = models.BooleanField(_("默认评分标准"), default=False)

    class Meta:
        verbose_name = _("评分标准")
        verbose_name_plural = _("评分标准")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["is_default"], condition=Q(is_default=True), name="rubric_one_default"),
            models.UniqueConstraint(
                fields=["campaign", "category"],
                condition=Q(campaign__isnull=False, category__isnull=False),
                name="rubric_unique_campaign_category",
            ),
            models.UniqueConstraint(
                fields=["campaign"], condition=Q(campaign__isnull=False, category__isnull=True),
                name="rubric_unique_campaign_default",
            ),
        ]

    def __str__(self):
        return self.name


class Criterion(models.Model):
    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("评分项"), max_length=60)
    description = models.TextField(_("说明"), blank=True)
    max_points = models.DecimalField(_("满分"), **SCORE_FIELD)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("评分项")
        verbose_name_plural = _("评分项")
        ordering = ["order", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(max_points__gt=0), name="criterion_max_points_positive"),
            models.UniqueConstraint(fields=["rubric", "name"], name="criterion_unique_name"),
        ]

    def __str__(self):
        return f"{self.name}({self.max_points})"


class Roadshow(models.Model):
    """A roadshow (展评会): entries presented in a running order and scored by a jury."""

    campaign = models.ForeignKey(Campaign, verbose_name=_("年度项目"), on_delete=models.PROTECT,
                                 related_name="roadshows")
    title = models.CharField(_("名称"), max_length=200)
    date = models.DateField(_("日期"))
    venue = models.CharField(_("地点"), max_length=200, blank=True)
    rubric = models.ForeignKey(Rubric, verbose_name=_("评分标准"), on_delete=models.PROTECT, related_name="roadshows")
    aggregation = models.CharField(_("计分方法"), max_length=16, choices=Aggregation.choices,
                                   default=Aggregation.TRIMMED_MEAN)
    live = models.BooleanField(_("现场亮分"), default=False)
    status = models.CharField(_("状态"), max_length=16, choices=RoadshowStatus.choices,
                              default=RoadshowStatus.SETUP, db_index=True)
    budget_policy = models.CharField(_("超预算处理"), max_length=16, choices=BudgetPolicy.choices,
                                     default=BudgetPolicy.SCALE)
    # The quorum (法定有效评分表数): empty means the default rule, 2/3 of each entry's non-recused
    # jurors rounded up (see evaluations.quorum).
    min_cards = models.PositiveSmallIntegerField(_("最少有效评分表数"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(_("开始评分时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结束评分时间"), null=True, blank=True)
    publicity_until = models.DateTimeField(_("公示截止"), null=True, blank=True)
    finalized_at = models.DateTimeField(_("定稿时间"), null=True, blank=True)
    # What the stored results were computed from (aggregation, budget policy, tier rules): the
    # results are stale when it differs from the roadshow's settings now.
    results_signature = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("路演展评")
        verbose_name_plural = _("路演展评")
        ordering = ["-date", "-id"]

    def __str__(self):
        return self.title


class Entry(models.Model):
    """A shortlisted project on a roadshow's running order."""

    roadshow = models.ForeignKey(Roadshow, on_delete=models.CASCADE, related_name="entries")
    project = models.ForeignKey(Project, verbose_name=_("项目"), on_delete=models.PROTECT,
                                related_name="roadshow_entries")
    order = models.PositiveIntegerField(_("路演顺序"), default=0)
    state = models.CharField(_("状态"), max_length=16, choices=EntryState.choices, default=EntryState.WAITING)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("路演项目")
        verbose_name_plural = _("路演项目")
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["roadshow", "project"], name="entry_unique_project"),
            # Live mode shows one entry at a time; the database keeps it so.
            models.UniqueConstraint(fields=["roadshow"], condition=Q(state=EntryState.OPEN),
                                    name="entry_one_open_per_roadshow"),
        ]

    def __str__(self):
        return f"{self.order}. {self.project}"


class JurorGroup(models.Model):
    """A weighted group of jurors (e.g. 专家评审组 0.6, 大众评审组 0.4)."""

    roadshow = models.ForeignKey(Roadshow, on_delete=models.CASCADE, related_name="groups")
    name = models.CharField(_("名称"), max_length=60)
    weight = models.DecimalField(_("权重"), max_digits=6, decimal_places=4, default=Decimal("1"))

    class Meta:
        verbose_name = _("评审组")
        verbose_name_plural = _("评审组")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["roadshow", "name"], name="jurorgroup_unique_name"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="jurorgroup_weight_positive"),
        ]

    def __str__(self):
        return f"{self.name}({self.weight})"


class JurySeat(models.Model):
    """A juror sitting on a roadshow's jury."""

    roadshow = models.ForeignKey(Roadshow, on_delete=models.CASCADE, related_name="seats")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("评委"), on_delete=models.PROTECT,
                             related_name="jury_seats")
    group = models.ForeignKey(JurorGroup, verbose_name=_("评审组"), null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="seats")

    class Meta:
        verbose_name = _("评委席位")
        verbose_name_plural = _("评委席位")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["roadshow", "user"], name="juryseat_unique_user")]

    def __str__(self):
        return str(self.user)


class Recusal(models.Model):
    """A juror who must not score an entry: automatic (union conflict) or manual (with reason)."""

    seat = models.ForeignKey(JurySeat, on_delete=models.CASCADE, related_name="recusals")
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="recusals")
    automatic = models.BooleanField(_("自动回避"), default=False)
    reason = models.CharField(_("回避理由"), max_length=300)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("回避")
        verbose_name_plural = _("回避")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["seat", "entry"], name="recusal_unique_seat_entry")]

    def __str__(self):
        return f"{self.seat} ⟂ {self.entry}"


class Scorecard(models.Model):
    """One juror's scores for one entry; a draft until submitted, then locked."""

    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="cards")
    juror = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("评委"), on_delete=models.PROTECT,
                              related_name="scorecards")
    status = models.CharField(_("状态"), max_length=16, choices=CardStatus.choices, default=CardStatus.DRAFT)
    comment = models.TextField(_("评语"), blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("评分表")
        verbose_name_plural = _("评分表")
        ordering = ["entry__order", "entry_id", "id"]
        constraints = [models.UniqueConstraint(fields=["entry", "juror"], name="scorecard_unique_entry_juror")]
        indexes = [models.Index(fields=["juror", "status"])]

    def __str__(self):
        return f"{self.juror} · {self.entry}"

    @property
    def total(self):
        """The sum of the card's scores (uses prefetched ``scores`` when there are)."""
        return sum((s.value for s in self.scores.all()), Decimal("0.0"))

    def values(self):
        """``{criterion_id: value}`` (uses prefetched ``scores``)."""
        return {s.criterion_id: s.value for s in self.scores.all()}


class Score(models.Model):
    card = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField(_("分数"), **SCORE_FIELD)

    class Meta:
        verbose_name = _("分数")
        verbose_name_plural = _("分数")
        ordering = ["criterion__order", "criterion_id"]
        constraints = [
            models.UniqueConstraint(fields=["card", "criterion"], name="score_unique_card_criterion"),
            models.CheckConstraint(condition=Q(value__gte=0), name="score_nonnegative"),
        ]

    def __str__(self):
        return f"{self.criterion_id}: {self.value}"


class EvaluationEvent(models.Model):
    """The audit trail of scoring: one row per state change and per change of scores, never
    changed afterwards."""

    # PROTECT: the rows are append-only in the database (unionproj/append_only.py); a roadshow or
    # a user with a history is kept, only a demo purge removes both.
    roadshow = models.ForeignKey(Roadshow, null=True, on_delete=models.PROTECT, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now, db_index=True)
    object_type = models.CharField(max_length=20)
    object_id = models.PositiveBigIntegerField()
    action = models.CharField(max_length=20, choices=EventAction.choices)
    from_state = models.CharField(max_length=16, blank=True)
    to_state = models.CharField(max_length=16, blank=True)
    reason = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("展评记录")
        verbose_name_plural = _("展评记录")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self):
        return f"{self.object_type}#{self.object_id} {self.action}"


# --- awards (评定等次 → 以奖代拨) ---------------------------------------------------------------

MONEY_FIELD = {"max_digits": 12, "decimal_places": 2}
FINAL_SCORE_FIELD = {"max_digits": 6, "decimal_places": 2}


class TierRule(models.Model):
    """One award tier of a roadshow (特优/一等/二等/三等), applied in ``order`` (1 = highest):
    a quota (a count or a percentage of the scored entries) and/or a minimum score, and the
    subsidy amount in yuan. See ``evaluations.awards``."""

    roadshow = models.ForeignKey(Roadshow, on_delete=models.CASCADE, related_name="tiers")
    order = models.PositiveSmallIntegerField(_("顺序"))
    name = models.CharField(_("等次"), max_length=30)
    quota_count = models.PositiveIntegerField(_("名额"), null=True, blank=True)
    quota_percent = models.DecimalField(_("名额比例（%）"), max_digits=5, decimal_places=2, null=True, blank=True)
    min_score = models.DecimalField(_("最低分"), **FINAL_SCORE_FIELD, null=True, blank=True)
    amount = models.DecimalField(_("奖补金额（元）"), **MONEY_FIELD)

    class Meta:
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
    # A digest of the normalised text (``evaluations.services.objections.text_key``): the same
    # objection twice on one entry is refused by the database too.
    text_key = models.CharField(max_length=64, blank=True, default="", editable=False)

    class Meta:
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
        verbose_name = _("先进单位排名")
        verbose_name_plural = _("先进单位排名")
        ordering = ["year", "rank", "union__path"]
        constraints = [models.UniqueConstraint(fields=["year", "union"], name="unitranking_unique_union")]

    def __str__(self):
        return f"{self.year} {self.rank}. {self.union}"


class QuorumOverride(models.Model):
    """An admin's reason for going on below quorum (issue 13): closing an entry or the roadshow,
    or computing, while entries had fewer submitted cards than their quorum. ``shortfall``
    lists them as they were: ``[{"entry", "project", "cards", "quorum"}]``. Printed on the
    results page and on every export of the roadshow; the action's audit row carries the
    reason too. Never changed afterwards."""

    roadshow = models.ForeignKey(Roadshow, on_delete=models.PROTECT, related_name="quorum_overrides")
    action = models.CharField(_("操作"), max_length=20, choices=EventAction.choices)
    reason = models.TextField(_("理由"))
    shortfall = models.JSONField(_("不足法定数的项目"), default=list)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("法定数例外")
        verbose_name_plural = _("法定数例外")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.roadshow_id} {self.action}: {self.reason[:30]}"


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
    """A large export built in the background (``evaluations.exports``). The file lies under
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
        verbose_name = _("导出任务")
        verbose_name_plural = _("导出任务")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="exportjob_progress_range"),
        ]

    def __str__(self):
        return f"{self.kind}.{self.fmt}#{self.pk} {self.state}"
