"""Roadshow scoring (路演展评): rubrics, roadshows, their entries and jury, scorecards, and the
audit trail. Models hold data and constraints; every write goes through
``evaluations.services``."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from projects.models import Campaign, Project

from .enums import Aggregation, BudgetPolicy, CardStatus, EntryState, EventAction, RoadshowStatus

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


