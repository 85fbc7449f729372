"""Shapes of roadshows, their entries, jury, recusals and scorecards in the API (API.md,
"Evaluations"). Shape only: who may do what, states, and the values of scores are checked by
``evaluations.services`` (scores by ``services.clean_scores``, so that a bad value is refused
with the same message, keyed by the criterion id, in the pages and the API)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from members.api import MAX_ID
from projects.models import Campaign

from .enums import Aggregation, BudgetPolicy, CardStatus, EntryState, RoadshowStatus
from .models import Criterion, Entry, JurorGroup, JurySeat, Recusal, Roadshow, Scorecard

MAX_CRITERIA = 50
MAX_ENTRIES = 1000
SCORE_STRING = {"max_digits": 5, "decimal_places": 1}
TOTAL_STRING = {"max_digits": 7, "decimal_places": 1}
FINAL_STRING = {"max_digits": 9, "decimal_places": 2}


def IdField(**kwargs):  # a field factory, read like a field class
    """An integer id: anything else (text, 1.5, a bigger number than any row can have) is a 400."""
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


# --- roadshows ------------------------------------------------------------------------------


class CriterionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Criterion
        fields = ["id", "name", "description", "max_points", "order"]
        read_only_fields = fields


class CriterionInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=60)
    description = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    max_points = serializers.DecimalField(max_digits=4, decimal_places=1, min_value=0)


class TierSerializer(serializers.Serializer):
    """A tier rule (特优, 一等 …) — set with the awards capability; empty until then."""

    name = serializers.CharField()
    quota_count = serializers.IntegerField(required=False)
    quota_percent = serializers.DecimalField(max_digits=5, decimal_places=2, required=False)
    min_score = serializers.DecimalField(**FINAL_STRING, required=False)
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)


class RoadshowSerializer(serializers.ModelSerializer):
    aggregation = serializers.ChoiceField(choices=Aggregation.choices, read_only=True)
    budget_policy = serializers.ChoiceField(choices=BudgetPolicy.choices, read_only=True)
    status = serializers.ChoiceField(choices=RoadshowStatus.choices, read_only=True)
    criteria = serializers.SerializerMethodField()
    tiers = serializers.SerializerMethodField()

    class Meta:
        model = Roadshow
        fields = ["id", "campaign", "title", "date", "venue", "aggregation", "live", "criteria", "tiers",
                  "budget_policy", "status", "started_at", "closed_at"]
        read_only_fields = fields

    @extend_schema_field(CriterionSerializer(many=True))
    def get_criteria(self, roadshow):
        return CriterionSerializer(roadshow.rubric.criteria.all(), many=True).data

    @extend_schema_field(TierSerializer(many=True))
    def get_tiers(self, roadshow):
        return []


class RoadshowCreateSerializer(serializers.Serializer):
    """What an admin sends to create a roadshow (the answer is a :class:`RoadshowSerializer`)."""

    campaign = serializers.PrimaryKeyRelatedField(queryset=Campaign.objects.all())
    title = serializers.CharField(max_length=200)
    date = serializers.DateField()
    venue = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    aggregation = serializers.ChoiceField(choices=Aggregation.choices, default=Aggregation.TRIMMED_MEAN)
    live = serializers.BooleanField(default=False)
    budget_policy = serializers.ChoiceField(choices=BudgetPolicy.choices, default=BudgetPolicy.SCALE)
    criteria = serializers.ListField(
        child=CriterionInputSerializer(), required=False, max_length=MAX_CRITERIA,
        help_text="omitted or empty: the campaign's rubric, else the default "
                  "(组织管理 25 / 创新程度 25 / 工作成效 30 / 可复制性 20)",
    )
    tiers = serializers.ListField(child=serializers.DictField(), required=False,
                                  help_text="set with the awards capability; only [] is accepted here")

    def validate_tiers(self, value):
        if value:
            raise serializers.ValidationError(_("奖项等次须在评奖环节设置。"))
        return value


class RoadshowUpdateSerializer(serializers.ModelSerializer):
    """A PATCH changes the settings; the campaign and the criteria are fixed at creation."""

    aggregation = serializers.ChoiceField(choices=Aggregation.choices, required=False)
    budget_policy = serializers.ChoiceField(choices=BudgetPolicy.choices, required=False)

    class Meta:
        model = Roadshow
        fields = ["title", "date", "venue", "aggregation", "live", "budget_policy"]

    def validate(self, attrs):
        fixed = {name for name in ("campaign", "criteria", "tiers")
                 if isinstance(self.initial_data, dict) and name in self.initial_data}
        if fixed:
            raise serializers.ValidationError({name: [_("创建后不能修改。")] for name in sorted(fixed)})
        return attrs


# --- entries --------------------------------------------------------------------------------


class EntrySerializer(serializers.ModelSerializer):
    project_title = serializers.CharField(source="project.title", read_only=True)
    applicant_union = serializers.IntegerField(source="project.applicant_union_id", read_only=True)
    applicant_union_name = serializers.CharField(source="project.applicant_union.display_name", read_only=True)
    state = serializers.ChoiceField(choices=EntryState.choices, read_only=True)

    class Meta:
        model = Entry
        fields = ["id", "project", "project_title", "applicant_union", "applicant_union_name", "order", "state",
                  "opened_at", "closed_at"]
        read_only_fields = fields


class EntryClosedSerializer(EntrySerializer):
    """The entry just closed, with how many of its expected jurors had submitted."""

    submitted_count = serializers.IntegerField(read_only=True)
    expected_count = serializers.IntegerField(read_only=True)

    class Meta(EntrySerializer.Meta):
        fields = [*EntrySerializer.Meta.fields, "submitted_count", "expected_count"]
        read_only_fields = fields


class EntryCreateSerializer(serializers.Serializer):
    project = IdField(help_text="a shortlisted project of the roadshow's campaign")


class ReorderSerializer(serializers.Serializer):
    entries = serializers.ListField(child=IdField(), max_length=MAX_ENTRIES,
                                    help_text="every entry id of the roadshow once, first first")


# --- jury -----------------------------------------------------------------------------------


class JurorSerializer(serializers.ModelSerializer):
    """A juror's seat on the roadshow, with the entries the juror is recused from."""

    user = serializers.IntegerField(source="user_id", read_only=True)
    name = serializers.CharField(source="user.display_name", read_only=True)
    juror_kind = serializers.CharField(source="user.juror_kind", read_only=True,
                                       help_text="model_worker | worker_rep | union_leader | expert, or empty")
    union = serializers.IntegerField(source="user.union_id", read_only=True, allow_null=True)
    group = serializers.IntegerField(source="group_id", read_only=True, allow_null=True)
    recused_entries = serializers.SerializerMethodField()

    class Meta:
        model = JurySeat
        fields = ["user", "name", "juror_kind", "union", "group", "recused_entries"]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_recused_entries(self, seat):
        return sorted(r.entry_id for r in seat.recusals.all())


class JurorCreateSerializer(serializers.Serializer):
    user = IdField(help_text="a juror of the jury pool")
    group = IdField(required=False, allow_null=True, help_text="a juror group of the roadshow; omitted: the first")


class JurorGroupChangeSerializer(serializers.Serializer):
    group = IdField(help_text="a juror group of the roadshow")


class JurorGroupSerializer(serializers.ModelSerializer):
    weight = serializers.DecimalField(max_digits=6, decimal_places=4, min_value=0,
                                      help_text="relative weight, > 0 (e.g. 0.6 and 0.4)")

    class Meta:
        model = JurorGroup
        fields = ["id", "name", "weight"]
        extra_kwargs = {"name": {"validators": []}}


class RecusalSerializer(serializers.ModelSerializer):
    user = serializers.IntegerField(source="seat.user_id", read_only=True)

    class Meta:
        model = Recusal
        fields = ["id", "user", "entry", "automatic", "reason", "created_at"]
        read_only_fields = fields


class RecusalCreateSerializer(serializers.Serializer):
    user = IdField(help_text="a juror seated on the roadshow")
    entry = IdField(help_text="an entry of the roadshow")
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


# --- scorecards -----------------------------------------------------------------------------


class ScorecardSerializer(serializers.ModelSerializer):
    roadshow = serializers.IntegerField(source="entry.roadshow_id", read_only=True)
    project_title = serializers.CharField(source="entry.project.title", read_only=True)
    order = serializers.IntegerField(source="entry.order", read_only=True)
    entry_state = serializers.ChoiceField(source="entry.state", choices=EntryState.choices, read_only=True)
    status = serializers.ChoiceField(choices=CardStatus.choices, read_only=True)
    scores = serializers.SerializerMethodField()
    total = serializers.DecimalField(**TOTAL_STRING, read_only=True)

    class Meta:
        model = Scorecard
        fields = ["id", "roadshow", "entry", "project_title", "order", "entry_state", "juror", "status", "scores",
                  "total", "comment", "submitted_at"]
        read_only_fields = fields

    @extend_schema_field({"type": "object", "additionalProperties": {"type": "string", "format": "decimal"},
                          "description": '{"<criterion id>": "23.5"}'})
    def get_scores(self, card):
        return {str(s.criterion_id): str(s.value) for s in card.scores.all()}


class ScoresInputSerializer(serializers.Serializer):
    """``scores`` only has to be an object here; its values are checked by the scoring service,
    which answers every bad value at once, keyed by the criterion id."""

    scores = serializers.DictField(
        child=serializers.JSONField(allow_null=True), required=False, allow_empty=True,
        help_text='{"<criterion id>": "23.5"}: 0..max with at most one decimal place',
    )
    comment = serializers.CharField(max_length=5000, required=False, allow_blank=True)

    def validate_scores(self, value):
        if len(value) > MAX_CRITERIA:
            raise serializers.ValidationError(_("评分项过多。"))
        return value


class ReopenSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


# --- live display, progress and results ----------------------------------------------------


class LiveEntrySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    order = serializers.IntegerField()
    project_title = serializers.CharField()
    applicant_union_name = serializers.CharField()


class LiveSerializer(serializers.Serializer):
    """What a juror's phone (or the console) needs to follow the roadshow."""

    roadshow = serializers.IntegerField()
    status = serializers.ChoiceField(choices=RoadshowStatus.choices)
    live = serializers.BooleanField()
    open_entry = LiveEntrySerializer(allow_null=True)
    open_entry_recused = serializers.BooleanField(help_text="the caller is recused from the open entry")
    my_card = serializers.IntegerField(allow_null=True, help_text="the caller's card for the open entry")
    my_card_status = serializers.ChoiceField(choices=CardStatus.choices, allow_null=True)
    entries_total = serializers.IntegerField()
    entries_closed = serializers.IntegerField()


class ProgressCellSerializer(serializers.Serializer):
    user = serializers.IntegerField()
    status = serializers.CharField(help_text="submitted | draft | recused | none (no card yet)")


class ProgressJurorSerializer(serializers.Serializer):
    user = serializers.IntegerField()
    name = serializers.CharField()


class ProgressRowSerializer(serializers.Serializer):
    entry = serializers.IntegerField()
    project_title = serializers.CharField()
    order = serializers.IntegerField()
    state = serializers.ChoiceField(choices=EntryState.choices)
    submitted = serializers.IntegerField()
    expected = serializers.IntegerField()
    complete = serializers.BooleanField()
    cells = ProgressCellSerializer(many=True)


class ProgressSerializer(serializers.Serializer):
    roadshow = serializers.IntegerField()
    status = serializers.ChoiceField(choices=RoadshowStatus.choices)
    open_entry = serializers.IntegerField(allow_null=True)
    submitted = serializers.IntegerField()
    expected = serializers.IntegerField()
    jurors = ProgressJurorSerializer(many=True)
    entries = ProgressRowSerializer(many=True)


class ScoreboardEntrySerializer(serializers.Serializer):
    entry = serializers.IntegerField()
    order = serializers.IntegerField()
    project_title = serializers.CharField()
    applicant_union_name = serializers.CharField()
    state = serializers.ChoiceField(choices=EntryState.choices)
    submitted = serializers.IntegerField()
    expected = serializers.IntegerField()
    final_score = serializers.DecimalField(**FINAL_STRING, allow_null=True,
                                           help_text="shown once the entry (or the roadshow) is closed")
    rank = serializers.IntegerField(allow_null=True)


class ScoreboardSerializer(serializers.Serializer):
    """What the big screen in the hall shows."""

    roadshow = serializers.IntegerField()
    title = serializers.CharField()
    status = serializers.ChoiceField(choices=RoadshowStatus.choices)
    aggregation = serializers.ChoiceField(choices=Aggregation.choices)
    current = ScoreboardEntrySerializer(allow_null=True)
    entries = ScoreboardEntrySerializer(many=True)
    ranking = ScoreboardEntrySerializer(many=True, help_text="the closed entries with a score, by rank")


class ScoringResultSerializer(serializers.Serializer):
    entry = serializers.IntegerField()
    project = serializers.IntegerField()
    project_title = serializers.CharField()
    applicant_union = serializers.IntegerField()
    applicant_union_name = serializers.CharField()
    order = serializers.IntegerField()
    final_score = serializers.DecimalField(**FINAL_STRING)
    rank = serializers.IntegerField()
    card_count = serializers.IntegerField()
    per_criterion = serializers.DictField(child=serializers.DecimalField(**FINAL_STRING),
                                          help_text='{"<criterion id>": "21.50"}: mean of the submitted cards')
    min_total = serializers.DecimalField(**TOTAL_STRING)
    max_total = serializers.DecimalField(**TOTAL_STRING)
    spread = serializers.DecimalField(**TOTAL_STRING, help_text="highest minus lowest card total")
    untrimmed = serializers.BooleanField(help_text="trimmed_mean asked for, fewer than 3 cards: plain mean")
    note = serializers.CharField()

