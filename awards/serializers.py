"""Serializers of the awards API: tier rules, the roadshow with its tiers, compute tasks,
results, the what-if preview, 公示, objections, payouts and the unit ranking."""


from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from evaluations import serializers as scoring_serializers
from evaluations.enums import Aggregation, BudgetPolicy
from evaluations.serializers import FINAL_STRING, MAX_TIERS, NO_SCORE_HELP, TOTAL_STRING, IdField
from unionproj.inputs import MAX_ID, CleanInputSerializerMixin

from .enums import JobState, PayoutStatus


class TierSerializer(CleanInputSerializerMixin, serializers.Serializer):
    """A tier rule (特优, 一等 …), highest first: a quota (``quota_count`` or ``quota_percent`` of
    the scored entries, rounded half-up, at least 1) and/or a ``min_score``, and the subsidy
    ``amount`` in yuan. Validated by ``services.clean_tiers`` (the same messages as the pages)."""

    name = serializers.CharField()
    quota_count = serializers.IntegerField(required=False, allow_null=True)
    quota_percent = serializers.DecimalField(max_digits=5, decimal_places=2, required=False, allow_null=True)
    min_score = serializers.DecimalField(**FINAL_STRING, required=False, allow_null=True)
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)


def tier_rows(tiers):
    """``[TierRule or awards.Tier]`` as the API shows them (decimals as strings)."""
    return [{"name": t.name, "quota_count": t.quota_count,
             "quota_percent": None if t.quota_percent is None else f"{t.quota_percent:.2f}",
             "min_score": None if t.min_score is None else f"{t.min_score:.2f}",
             "amount": f"{t.amount:.2f}"} for t in tiers]


def _tiers_input(value):
    """``tiers`` of a body: only the shape is checked here (a list of objects); the values are
    the service's (``services.clean_tiers``), so that the pages and the API say the same."""
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise serializers.ValidationError(_("奖项等次须为对象列表。"))
    if len(value) > MAX_TIERS:
        raise serializers.ValidationError(_("奖项等次过多。"))
    return value


@extend_schema_field(TierSerializer(many=True))
class TiersField(serializers.JSONField):
    """A list of tier rules ``[{name, quota_count?, quota_percent?, min_score?, amount}]``."""

    def to_internal_value(self, data):
        return _tiers_input(super().to_internal_value(data))


class TiersInputSerializer(CleanInputSerializerMixin, serializers.Serializer):
    tiers = TiersField(help_text="[{name, quota_count?, quota_percent?, min_score?, amount}], highest first")




# --- awards (评定等次 → 以奖代拨) ---------------------------------------------------------------

MONEY_STRING = {"max_digits": 14, "decimal_places": 2}


class TaskSerializer(CleanInputSerializerMixin, serializers.Serializer):
    """A background job (``ComputeJob``) as ``GET /tasks/{task_id}/`` shows it."""

    task_id = serializers.CharField()
    kind = serializers.CharField(help_text="compute | unit_ranking")
    roadshow = serializers.IntegerField(source="roadshow_id", allow_null=True)
    year = serializers.IntegerField(allow_null=True)
    state = serializers.ChoiceField(choices=JobState.choices)
    state_display = serializers.CharField(source="get_state_display")
    progress = serializers.IntegerField(min_value=0, max_value=100)
    result = serializers.SerializerMethodField()
    error = serializers.SerializerMethodField()
    note = serializers.CharField(help_text="e.g. the broker was unreachable: the job waits to be published")
    queued = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)

    @extend_schema_field({"type": "object", "nullable": True, "description": "the summary, once succeeded"})
    def get_result(self, job):
        return job.result if job.state == "succeeded" else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_error(self, job):
        return job.error if job.state == "failed" else None

    @extend_schema_field(serializers.BooleanField(help_text="the message reached the broker (or ran eagerly)"))
    def get_queued(self, job):
        return job.enqueued_at is not None or job.state != "pending"


class TaskAcceptedSerializer(CleanInputSerializerMixin, serializers.Serializer):
    task_id = serializers.CharField()
    state = serializers.CharField()
    progress = serializers.IntegerField()
    queued = serializers.BooleanField(help_text="false: the broker was unreachable; the job is kept and published "
                                                "as soon as it is back (detail says so)")
    detail = serializers.CharField(allow_blank=True)


class AwardResultSerializer(CleanInputSerializerMixin, serializers.Serializer):
    """One row of the stored (or previewed) results."""

    entry = serializers.IntegerField()
    project = serializers.IntegerField()
    project_title = serializers.CharField()
    applicant_union = serializers.IntegerField()
    applicant_union_name = serializers.CharField()
    final_score = serializers.DecimalField(**FINAL_STRING, allow_null=True, help_text=NO_SCORE_HELP)
    rank = serializers.IntegerField(allow_null=True)
    tier = serializers.CharField(allow_blank=True, help_text="empty: no tier")
    tier_order = serializers.IntegerField(allow_null=True)
    amount = serializers.DecimalField(**MONEY_STRING)
    card_count = serializers.IntegerField()
    per_criterion = serializers.DictField(child=serializers.DecimalField(**FINAL_STRING),
                                          help_text='{"<criterion id>": "21.50"}')
    spread = serializers.DecimalField(**TOTAL_STRING, allow_null=True, help_text="highest minus lowest card total")
    note = serializers.CharField(allow_blank=True)


class PreviewInputSerializer(CleanInputSerializerMixin, serializers.Serializer):
    aggregation = serializers.ChoiceField(choices=Aggregation.choices, required=False)
    tiers = TiersField(required=False, help_text="omitted: the roadshow's rules")


class PreviewSerializer(CleanInputSerializerMixin, serializers.Serializer):
    """What the results would be (nothing written)."""

    aggregation = serializers.ChoiceField(choices=Aggregation.choices)
    budget_policy = serializers.ChoiceField(choices=BudgetPolicy.choices)
    tiers = TierSerializer(many=True)
    budget = serializers.DecimalField(**MONEY_STRING, help_text="the campaign's remaining budget")
    requested = serializers.DecimalField(**MONEY_STRING, help_text="the tiers' amounts added up")
    total = serializers.DecimalField(**MONEY_STRING, help_text="what would be paid (≤ budget)")
    scaled = serializers.BooleanField()
    results = AwardResultSerializer(many=True)


class PublicizeSerializer(CleanInputSerializerMixin, serializers.Serializer):
    days = serializers.IntegerField(min_value=1, max_value=365, help_text="1–30 days of public notice")


class ResultsReopenSerializer(CleanInputSerializerMixin, serializers.Serializer):
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="",
                                   help_text="required by the service (400 when empty)")


class ObjectionSerializer(CleanInputSerializerMixin, serializers.Serializer):
    id = serializers.IntegerField()
    roadshow = serializers.IntegerField(source="roadshow_id")
    entry = serializers.IntegerField(source="entry_id")
    project = serializers.IntegerField(source="entry.project_id")
    project_title = serializers.CharField(source="entry.project.title")
    union = serializers.IntegerField(source="union_id", allow_null=True)
    union_name = serializers.SerializerMethodField()
    filed_by = serializers.IntegerField(source="filed_by_id", allow_null=True)
    text = serializers.CharField()
    created_at = serializers.DateTimeField()
    answered = serializers.BooleanField()
    dismissed = serializers.BooleanField()
    answer = serializers.CharField(allow_blank=True)
    answered_at = serializers.DateTimeField(allow_null=True)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_union_name(self, objection):
        return objection.union.display_name if objection.union_id else None


class ObjectionCreateSerializer(CleanInputSerializerMixin, serializers.Serializer):
    entry = IdField(help_text="an entry of the roadshow")
    text = serializers.CharField(max_length=2000)


class AnswerSerializer(CleanInputSerializerMixin, serializers.Serializer):
    answer = serializers.CharField(max_length=2000)


class PayoutSerializer(CleanInputSerializerMixin, serializers.Serializer):
    id = serializers.IntegerField()
    project = serializers.IntegerField(source="project_id")
    project_title = serializers.CharField(source="project.title")
    applicant_union = serializers.IntegerField(source="project.applicant_union_id")
    applicant_union_name = serializers.CharField(source="project.applicant_union.display_name")
    roadshow = serializers.IntegerField(source="roadshow_id")
    campaign = serializers.IntegerField(source="roadshow.campaign_id")
    rank = serializers.IntegerField(source="result.rank")
    tier = serializers.CharField()
    amount = serializers.DecimalField(**MONEY_STRING)
    status = serializers.ChoiceField(choices=PayoutStatus.choices)
    created_at = serializers.DateTimeField()
    approved_at = serializers.DateTimeField(allow_null=True)
    paid_at = serializers.DateTimeField(allow_null=True)


class UnitRankingSerializer(CleanInputSerializerMixin, serializers.Serializer):
    year = serializers.IntegerField()
    union = serializers.IntegerField(source="union_id")
    union_name = serializers.CharField(source="union.display_name")
    points = serializers.IntegerField()
    rank = serializers.IntegerField()
    breakdown = serializers.JSONField(help_text='{"tiers": {"一等": 2}, "projects": [ids]}')
    computed_at = serializers.DateTimeField()


class YearSerializer(CleanInputSerializerMixin, serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)


class PayoutIdsSerializer(CleanInputSerializerMixin, serializers.Serializer):
    """``POST /api/v1/payouts/approve/`` ``{ids: [..]}``: the payouts to approve at once."""

    ids = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
                                allow_empty=False, max_length=500)


# --- the roadshow with its tier rules ---------------------------------------------------------
# ``/roadshows/`` is routed to ``awards.api.RoadshowViewSet``: the scoring app's roadshow with the
# awards' ``tiers`` added (shown, settable at creation, replaced by a PATCH). The classes keep the
# names of the scoring app's, so the schema's components are the same.


def _with_tiers(fields, after=None):
    """The scoring serializer's ``fields`` with ``tiers`` after ``after`` (else last)."""
    at = fields.index(after) + 1 if after else len(fields)
    return [*fields[:at], "tiers", *fields[at:]]


class RoadshowSerializer(scoring_serializers.RoadshowSerializer):
    tiers = serializers.SerializerMethodField()

    class Meta(scoring_serializers.RoadshowSerializer.Meta):
        fields = _with_tiers(scoring_serializers.RoadshowSerializer.Meta.fields, after="criteria")
        read_only_fields = fields

    @extend_schema_field(TierSerializer(many=True))
    def get_tiers(self, roadshow):
        # The saved rules (prefetched by the API's queryset); empty until saved or computed
        # (the compute then saves the defaults: GET /roadshows/{id}/tiers/ shows them).
        return tier_rows(sorted(roadshow.tiers.all(), key=lambda t: (t.order, t.pk)))


class RoadshowCreateSerializer(scoring_serializers.RoadshowCreateSerializer):
    __doc__ = scoring_serializers.RoadshowCreateSerializer.__doc__

    tiers = TiersField(required=False,
                       help_text="[{name, quota_count?, quota_percent?, min_score?, amount}], highest first; "
                                 "omitted: the defaults, sized for the entries, are saved at the first compute")


class RoadshowUpdateSerializer(scoring_serializers.RoadshowUpdateSerializer):
    __doc__ = scoring_serializers.RoadshowUpdateSerializer.__doc__

    tiers = TiersField(required=False, help_text="replaces the tier rules (until the results are published)")

    class Meta(scoring_serializers.RoadshowUpdateSerializer.Meta):
        fields = _with_tiers(scoring_serializers.RoadshowUpdateSerializer.Meta.fields)
