"""Django admin: rubrics are editable here; roadshow states, cards and scores are read-only
(only ``evaluations.services`` writes them), the audit trail is read-only."""

from django.contrib import admin

from .models import Criterion, Entry, EvaluationEvent, JurorGroup, JurySeat, Recusal, Roadshow, Rubric, Score, Scorecard


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0


@admin.register(Rubric)
class RubricAdmin(admin.ModelAdmin):
    list_display = ("name", "campaign", "category", "is_default")
    inlines = [CriterionInline]


class EntryInline(admin.TabularInline):
    model = Entry
    extra = 0
    fields = ("order", "project", "state")
    readonly_fields = ("project", "state")
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class JurorGroupInline(admin.TabularInline):
    model = JurorGroup
    extra = 0


@admin.register(Roadshow)
class RoadshowAdmin(admin.ModelAdmin):
    list_display = ("title", "campaign", "date", "aggregation", "live", "status")
    list_filter = ("status", "campaign")
    readonly_fields = ("status", "rubric", "started_at", "closed_at", "created_by")
    inlines = [EntryInline, JurorGroupInline]


@admin.register(JurySeat)
class JurySeatAdmin(ReadOnlyAdmin):
    list_display = ("user", "roadshow", "group")
    list_filter = ("roadshow",)


@admin.register(Recusal)
class RecusalAdmin(ReadOnlyAdmin):
    list_display = ("seat", "entry", "automatic", "reason", "created_at")
    list_filter = ("automatic",)


class ScoreInline(admin.TabularInline):
    model = Score
    extra = 0
    readonly_fields = ("criterion", "value")
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Scorecard)
class ScorecardAdmin(ReadOnlyAdmin):
    list_display = ("juror", "entry", "status", "submitted_at")
    list_filter = ("status", "entry__roadshow")
    inlines = [ScoreInline]


@admin.register(EvaluationEvent)
class EvaluationEventAdmin(ReadOnlyAdmin):
    list_display = ("at", "roadshow", "object_type", "object_id", "action", "from_state", "to_state", "actor")
    list_filter = ("action", "object_type")


# --- awards: read-only (tiers, results, payouts and answers change through the services) ---


