"""Shapes of roadshows, their entries, jury, recusals and scorecards in the API (API.md,
"Evaluations"). Shape only: who may do what, states, and the values of scores are checked by
``evaluations.services`` (scores by ``services.clean_scores``, so that a bad value is refused
with the same message, keyed by the criterion id, in the pages and the API)."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from evaluations.quorum_serializers import QuorumOverrideSerializer
from projects.models import Campaign
from unionproj.inputs import MAX_ID, CleanInputSerializerMixin

from .enums import Aggregation, BudgetPolicy, CardStatus, EntryState, RoadshowStatus
from .models import Criterion, Entry, JurorGroup, JurySeat, Recusal, Roadshow, Rubric, Scorecard

MAX_CRITERIA = 50
MAX_ENTRIES = 1000
MAX_TIERS = 20
SCORE_STRING = {"max_digits": 5, "decimal_places": 1}
TOTAL_STRING = {"max_digits": 7, "decimal_places": 1}
FINAL_STRING = {"max_digits": 9, "decimal_places": 2}


def IdField(**kwargs):  # a field factory, read like a field class
    """An integer id: anything else (text, 1.5, a bigger number than any row can have) is a 400."""
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


# --- roadshows ------------------------------------------------------------------------------


class CriterionSerializer(CleanInputSerializerMixin, serializers.ModelSerializer):
    class Meta:
        model = Criterion
        fields = ["id", "name", "description", "max_points", "order"]
        read_only_fields = fields


class CriterionInputSerializer(CleanInputSerializerMixin, serializers.Serializer):
    name = serializers.CharField(max_length=60)
    description = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    max_points = serializers.DecimalField(max_digits=4, decimal_places=1, min_value=0)


class RubricSerializer(CleanInputSerializerMixin, serializers.ModelSerializer):
    """A campaign's rubric (评分标准): ``category`` null is the campaign's own, otherwise the
    rubric of that category."""

    criteria = CriterionSerializer(many=True, read_only=True)

    class Meta:
        model = Rubric
        fields = ["id", "name", "category", "criteria"]
        read_only_fields = fields


class RubricCreateSerializer(CleanInputSerializerMixin, serializers.Serializer):
    """What a campaign admin sends to give the campaign (or one of its categories) a rubric.
    The values (max points, duplicates, the category) are checked by ``services.create_rubric``."""

    name = serializers.CharField(max_length=100)
    category = serializers.CharField(max_length=40, required=False, allow_blank=True, allow_null=True,
                                     default=None,
                                     help_text="one of the campaign's categories; omitted or null: the campaign's own")
    criteria = serializers.ListField(child=CriterionInputSerializer(), min_length=1, max_length=MAX_CRITERIA)


MIN_CARDS_HELP = ("the quorum of submitted cards per entry; null: 2/3 of the entry's non-recused jurors, "
                  "rounded up; a number is capped at those jurors")


class RoadshowSerializer(CleanInputSerializerMixin, serializers.ModelSerializer):
    aggregation = serializers.ChoiceField(choices=Aggregation.choices, read_only=True)
    budget_policy = serializers.ChoiceField(choices=BudgetPolicy.choices, read_only=True)
    status = serializers.ChoiceField(choices=RoadshowStatus.choices, read_only=True)
    criteria = serializers.SerializerMethodField()
    min_cards = serializers.IntegerField(allow_null=True, read_only=True, help_text=MIN_CARDS_HELP)
    quorum_overrides = QuorumOverrideSerializer(many=True, read_only=True)

    class Meta:
        model = Roadshow
        fields = ["id", "campaign", "title", "date", "venue", "aggregation", "live", "criteria",
                  "budget_policy", "min_cards", "quorum_overrides", "status", "started_at", "closed_at",
                  "publicity_until", "finalized_at"]
        read_only_fields = fields

    @extend_schema_field(CriterionSerializer(many=True))
    def get_criteria(self, roadshow):
        return CriterionSerializer(roadshow.rubric.criteria.all(), many=True).data


class RoadshowCreateSerializer(CleanInputSerializerMixin, serializers.Serializer):
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
        help_text="omitted or empty: the campaign's rubric for `category`, else the campaign's own rubric, "
                  "else the default (组织管理 25 / 创新程度 25 / 工作成效 30 / 可复制性 20)",
    )
    category = serializers.CharField(max_length=40, required=False, allow_blank=True, allow_null=True,
                                     default=None,
                                     help_text="one of the campaign's categories: without `criteria`, the "
                                               "roadshow scores on that category's rubric")


class RoadshowUpdateSerializer(CleanInputSerializerMixin, serializers.ModelSerializer):
    """A PATCH changes the settings; the campaign and the criteria (and the category that chose
    them) are fixed at creation."""

    aggregation = serializers.ChoiceField(choices=Aggregation.choices, required=False)
    budget_policy = serializers.ChoiceField(choices=BudgetPolicy.choices, required=False)
    min_cards = serializers.JSONField(required=False, allow_null=True, help_text=MIN_CARDS_HELP + "; setup only")

    class Meta:
        model = Roadshow
        fields = ["title", "date", "venue", "aggregation", "live", "budget_policy", "min_cards"]

    def validate(self, attrs):
        fixed = {name for name in ("campaign", "criteria", "category")
                 if isinstance(self.initial_data, dict) and name in self.initial_data}
        if fixed:
            raise serializers.ValidationError({name: [_("创建后不能修改。")] for name in sorted(fixed)})
        return attrs


# --- entries --------------------------------------------------------------------------------


class EntrySerializer(CleanInputSerializerMixin, serializers.ModelSerializer):
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


class EntryCreateSerializer(CleanInputSerializerMixin, serializers.Serializer):
    project = IdField(help_text="a shortlisted project of the roadshow's campaign")


class ReorderSerializer(CleanInputSerializerMixin, serializers.Serializer):
    entries = serializers.ListField(child=IdField(), max_length=MAX_ENTRIES,
                                    help_text="every entry id of the roadshow once, first first")


# --- jury -----------------------------------------------------------------------------------


class JurorSerializer(CleanInputSerializerMixin, serializers.ModelSerializer):
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


class JurorCreateSerializer(CleanInputSerializerMixin, serializers.Serializer):
    user = IdField(help_text="a juror of the jury pool")
    group = IdField(required=False, allow_null=True, help_text="a juror group of the roadshow; omitted: the first")


class JurorGroupChangeSerializer(CleanInputSerializerMixin, serializers.Serializer):
    group = IdField(help_text="a juror group of the roadshow")


class JurorGroupSerializer(CleanInputSerializerMixin, serializers.ModelSerializer):
    weight = serializers.DecimalField(max_digits=6, decimal_places=4, min_value=0,
                                      help_text="relative weight, > 0 (e.g. 0.6 and 0.4)")

    class Meta:
        model = JurorGroup
        fields = ["id", "name", "weight"]
        extra_kwargs = {"name": {"validators": []}}


class RecusalSerializer(CleanInputSerializerMixin, serializers.ModelSerializer):
    user = serializers.IntegerField(source="seat.user_id", read_only=True)

    class Meta:
        model = Recusal
        fields = ["id", "user", "entry", "automatic", "reason", "created_at"]
        read_only_fields = fields


class RecusalCreateSerializer(CleanInputSerializerMixin, serializers.Serializer):
    user = IdField(help_text="a juror seated on the roadshow")
    entry = IdField(help_text="an entry of the roadshow")
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


# --- scorecards -----------------------------------------------------------------------------


class ScorecardSerializer(CleanInputSerializerMixin, serializers.ModelSerializer):
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


_SUBMITTED_AT = serializers.DateTimeField()


def scorecard_data(card):
    """What :class:`ScorecardSerializer` answers for ``card``, built directly: the answer to
    every autosave, where the serializer's per-call field set-up cost more than the rest of
    the answer (tests/evaluations_api/test_scorecards_api.py compares the two)."""
    entry, scores = card.entry, card.scores.all()
    total = sum((s.value for s in scores), Decimal("0.0")).quantize(Decimal("0.1"))
    return {
        "id": card.pk, "roadshow": entry.roadshow_id, "entry": card.entry_id, "project_title": entry.project.title,
        "order": entry.order, "entry_state": entry.state, "juror": card.juror_id, "status": card.status,
        "scores": {str(s.criterion_id): str(s.value) for s in scores}, "total": f"{total:f}",
        "comment": card.comment,
        "submitted_at": None if card.submitted_at is None else _SUBMITTED_AT.to_representation(card.submitted_at),
    }


class ScoresInputSerializer(CleanInputSerializerMixin, serializers.Serializer):
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


class ReopenSerializer(CleanInputSerializerMixin, serializers.Serializer):
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


# --- live display, progress and results ----------------------------------------------------


class LiveEntrySerializer(CleanInputSerializerMixin, serializers.Serializer):
    id = serializers.IntegerField()
    order = serializers.IntegerField()
    project_title = serializers.CharField()
    applicant_union_name = serializers.CharField()


class LiveSerializer(CleanInputSerializerMixin, serializers.Serializer):
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


class ProgressCellSerializer(CleanInputSerializerMixin, serializers.Serializer):
    user = serializers.IntegerField()
    status = serializers.CharField(help_text="submitted | draft | recused | none (no card yet)")


class ProgressJurorSerializer(CleanInputSerializerMixin, serializers.Serializer):
    user = serializers.IntegerField()
    name = serializers.CharField()


class ProgressRowSerializer(CleanInputSerializerMixin, serializers.Serializer):
    entry = serializers.IntegerField()
    project_title = serializers.CharField()
    order = serializers.IntegerField()
    state = serializers.ChoiceField(choices=EntryState.choices)
    submitted = serializers.IntegerField()
    expected = serializers.IntegerField()
    complete = serializers.BooleanField()
    cells = ProgressCellSerializer(many=True)


class ProgressSerializer(CleanInputSerializerMixin, serializers.Serializer):
    roadshow = serializers.IntegerField()
    status = serializers.ChoiceField(choices=RoadshowStatus.choices)
    open_entry = serializers.IntegerField(allow_null=True)
    submitted = serializers.IntegerField()
    expected = serializers.IntegerField()
    jurors = ProgressJurorSerializer(many=True)
    entries = ProgressRowSerializer(many=True)


class ScoreboardEntrySerializer(CleanInputSerializerMixin, serializers.Serializer):
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


class ScoreboardSerializer(CleanInputSerializerMixin, serializers.Serializer):
    """What the big screen in the hall shows."""

    roadshow = serializers.IntegerField()
    title = serializers.CharField()
    status = serializers.ChoiceField(choices=RoadshowStatus.choices)
    aggregation = serializers.ChoiceField(choices=Aggregation.choices)
    current = ScoreboardEntrySerializer(allow_null=True)
    entries = ScoreboardEntrySerializer(many=True)
    ranking = ScoreboardEntrySerializer(many=True, help_text="the closed entries with a score, by rank")


NO_SCORE_HELP = "null (and rank null, note 无有效评分): the entry has no submitted card"


class ScoringResultSerializer(CleanInputSerializerMixin, serializers.Serializer):
    entry = serializers.IntegerField()
    project = serializers.IntegerField()
    project_title = serializers.CharField()
    applicant_union = serializers.IntegerField()
    applicant_union_name = serializers.CharField()
    order = serializers.IntegerField()
    final_score = serializers.DecimalField(**FINAL_STRING, allow_null=True, help_text=NO_SCORE_HELP)
    rank = serializers.IntegerField(allow_null=True)
    card_count = serializers.IntegerField()
    per_criterion = serializers.DictField(child=serializers.DecimalField(**FINAL_STRING),
                                          help_text='{"<criterion id>": "21.50"}: mean of the submitted cards')
    min_total = serializers.DecimalField(**TOTAL_STRING, allow_null=True)
    max_total = serializers.DecimalField(**TOTAL_STRING, allow_null=True)
    spread = serializers.DecimalField(**TOTAL_STRING, allow_null=True, help_text="highest minus lowest card total")
    untrimmed = serializers.BooleanField(help_text="trimmed_mean asked for, fewer than 3 cards: plain mean")
    note = serializers.CharField()



