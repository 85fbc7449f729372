"""Planning the awards (reads only): the remaining budget and the what-if preview."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.utils.translation import gettext as _

from awards import allocation
from evaluations import aggregation
from evaluations import queries as scoring_queries
from evaluations.enums import Aggregation
from evaluations.models import Roadshow
from evaluations.rules import MANAGE_AWARDS
from members.rules import require_perm

from ..models import Payout
from ._common import NO_VALID_SCORE
from .tiers import clean_tiers, tiers_for

# --- planning (reads only) ------------------------------------------------------------------


def remaining_budget(roadshow, campaign=None):
    """The campaign's budget minus the payouts of its *other* roadshows (payouts exist only
    for finalised roadshows)."""
    campaign = campaign or roadshow.campaign
    spent = (Payout.objects.filter(roadshow__campaign_id=campaign.pk).exclude(roadshow_id=roadshow.pk)
             .aggregate(s=Sum("amount"))["s"]) or Decimal(0)
    return allocation.quantize_money(campaign.budget - spent)


@dataclass
class PlanRow:
    """One entry's planned result; an entry without a submitted card has no score, rank or
    tier (无有效评分) and is listed after the ranked ones, in running order."""

    entry: object
    final_score: Decimal | None
    rank: int | None
    tier: allocation.Tier | None
    amount: Decimal
    card_count: int
    per_criterion: dict
    untrimmed: bool = False
    spread: Decimal | None = None

    @property
    def project(self):
        return self.entry.project

    @property
    def note(self):
        if self.final_score is None:
            return str(NO_VALID_SCORE)
        return _("有效评分表不足 3 份，按平均分计算。") if self.untrimmed else ""


@dataclass
class AwardPlan:
    """The ranking, tiers and payouts as computed (stored by ``compute_results``, shown by
    ``preview``)."""

    roadshow: Roadshow
    aggregation: str
    budget_policy: str
    tiers: list
    rows: list = field(default_factory=list)
    budget: Decimal = Decimal("0.00")       # the remaining budget planned against
    requested: Decimal = Decimal("0.00")    # the tiers' amounts added up
    total: Decimal = Decimal("0.00")        # what is paid (≤ budget)
    scaled: bool = False

    def summary(self):
        """JSON-ready figures (decimals as strings), for the job's result and the audit row."""
        return {
            "roadshow": self.roadshow.pk, "aggregation": self.aggregation, "budget_policy": self.budget_policy,
            "entries": len(self.rows), "awarded": sum(1 for r in self.rows if r.tier is not None),
            "unscored": sum(1 for r in self.rows if r.final_score is None),
            "budget": str(self.budget), "requested": str(self.requested), "total": str(self.total),
            "scaled": self.scaled, "tiers": [t.as_dict() for t in self.tiers],
        }


def plan_awards(roadshow, *, method, tiers, policy, budget, scores=None, averages=None, entries=None):
    if scores is None:
        scores, averages = scoring_queries.award_scores(roadshow, method)
    ranked = aggregation.rank_entries(scores)
    if tiers is None:
        tiers = tiers_for(roadshow, len(ranked))
    tier_of = allocation.assign_tiers({s.entry: s.score for s, _rank in ranked}, tiers)
    payout_plan = allocation.payouts({e: t.amount for e, t in tier_of.items() if t is not None}, budget, policy)
    if entries is None:
        entries = scoring_queries.entries_of(roadshow)
    entries = {e.pk: e for e in sorted(entries, key=lambda e: (e.order, e.pk))}
    rows = [
        PlanRow(entry=entries[s.entry], final_score=s.score, rank=rank, tier=tier_of[s.entry],
                amount=payout_plan.amounts.get(s.entry, allocation.ZERO_MONEY), card_count=s.card_count,
                per_criterion=averages.get(s.entry, {}), untrimmed=s.untrimmed, spread=s.spread)
        for s, rank in ranked if s.entry in entries
    ]
    # Entries nobody scored stay in the results, unranked (issue 13): never dropped.
    rows += [PlanRow(entry=entry, final_score=None, rank=None, tier=None, amount=allocation.ZERO_MONEY, card_count=0,
                     per_criterion={}) for pk, entry in entries.items() if pk not in scores]
    return AwardPlan(roadshow=roadshow, aggregation=method, budget_policy=policy, tiers=list(tiers), rows=rows,
                     budget=payout_plan.budget, requested=payout_plan.requested, total=payout_plan.total,
                     scaled=payout_plan.scaled)


def preview(*, actor, roadshow, aggregation=None, tiers=None):
    """What-if: the ranking, tiers and payouts under another aggregation and/or other tier
    rules (``[{name, amount, quota_count?, quota_percent?, min_score?}]``), against the
    remaining budget and the roadshow's budget policy. Admin only; **writes nothing**.
    Raises ``ValidationError`` for bad input and ``BudgetExceeded`` under ``refuse``."""
    roadshow = Roadshow.objects.select_related("campaign__owner_union").get(pk=roadshow.pk)
    require_perm(actor, MANAGE_AWARDS, roadshow)
    method = aggregation or roadshow.aggregation
    if method not in Aggregation.values:
        raise ValidationError({"aggregation": _("未知的计分方法。")})
    cleaned = clean_tiers(tiers) if tiers is not None else None
    return plan_awards(roadshow, method=method, tiers=cleaned, policy=roadshow.budget_policy,
                 budget=remaining_budget(roadshow))


