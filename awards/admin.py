"""Django admin of the awards: read-only (only ``awards.services`` writes them)."""

from django.contrib import admin

from awards.models import ComputeJob, Objection, Payout, Result, TierRule, UnitRanking
from evaluations.admin import ReadOnlyAdmin


@admin.register(TierRule)
class TierRuleAdmin(ReadOnlyAdmin):
    list_display = ("roadshow", "order", "name", "quota_count", "quota_percent", "min_score", "amount")
    list_filter = ("roadshow",)


@admin.register(Result)
class ResultAdmin(ReadOnlyAdmin):
    list_display = ("roadshow", "rank", "entry", "final_score", "tier", "amount", "card_count", "computed_at")
    list_filter = ("roadshow",)


@admin.register(ComputeJob)
class ComputeJobAdmin(ReadOnlyAdmin):
    list_display = ("task_id", "kind", "roadshow", "year", "state", "progress", "attempts", "created_at")
    list_filter = ("kind", "state")


@admin.register(Objection)
class ObjectionAdmin(ReadOnlyAdmin):
    list_display = ("roadshow", "entry", "union", "filed_by", "created_at", "answered_at")
    list_filter = ("roadshow",)


@admin.register(Payout)
class PayoutAdmin(ReadOnlyAdmin):
    list_display = ("project", "roadshow", "tier", "amount", "status", "approved_at", "paid_at")
    list_filter = ("status", "roadshow__campaign")


@admin.register(UnitRanking)
class UnitRankingAdmin(ReadOnlyAdmin):
    list_display = ("year", "rank", "union", "points", "computed_at")
    list_filter = ("year",)
