"""Award tiers (评定等次) and subsidy payouts (以奖代拨): pure functions on plain data.

No ORM and no request, so that the compute task, the what-if preview and the property tests
use the very same code. Money is ``Decimal`` in yuan, to the fen, and each rounding rule has
its own helper naming its mode:

- :func:`quantize_money` — an amount as entered or stored: half-up to the fen;
- :func:`quantize_money_down` — a scaled payout: *down* to the fen, so the scaled total never
  exceeds the budget;
- :func:`round_quota` — a percentage quota: half-up to a whole entry, at least 1.

Decisions this module makes (DESIGN.md leaves them open):

- **Tiers** are assigned from the highest score down, rule after rule in their order. Each rule
  takes, from the entries not yet given a tier, those reaching its ``min_score`` (all when it
  has none), at most its quota (all when it has none). A rule with neither takes every entry
  left.
- **A tie at a quota boundary** admits every entry tied with the last one admitted to that
  (higher) tier. The next tier's quota is then counted *after* them, in full: a tie never
  takes a place away from a lower tier. Over-filled tiers cost money, which the budget policy
  then controls. (The other reading — the next tier shrinks by the overflow — would punish the
  entries below for a tie above them.)
- Because every rule takes a prefix of the entries left, in score order, a higher score never
  gets a lower tier, and equal scores always get the same tier.
- **Percent quotas** are of ``entry_count``: the entries that were scored (have a final
  score); an entry nobody scored does not earn the others a place.
- **Scaling** multiplies each amount by ``budget / total`` and rounds down to the fen; the few
  fen lost to rounding stay in the budget (never handed to one project arbitrarily).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Context, Decimal, localcontext

from django.utils.translation import gettext as _

from unionproj.errors import WorkflowError
from unionproj.money import format_money

CONTEXT = Context(prec=50)
FEN = Decimal("0.01")
ZERO_MONEY = Decimal("0.00")
HUNDRED = Decimal(100)

SCALE = "scale"
REFUSE = "refuse"
POLICIES = (SCALE, REFUSE)


class BudgetExceeded(WorkflowError):
    """The awards cost more than the remaining budget and the policy is ``refuse``."""


def _decimal(value) -> Decimal:
    if isinstance(value, float):
        raise TypeError("money is Decimal, never float")
    return value if isinstance(value, Decimal) else Decimal(value)


def quantize_money(value) -> Decimal:
    """An amount in yuan, rounded **half-up** to the fen (0.01)."""
    return _decimal(value).quantize(FEN, rounding=ROUND_HALF_UP, context=CONTEXT)


def quantize_money_down(value) -> Decimal:
    """A scaled payout, rounded **down** (toward zero) to the fen: the sum of rounded-down
    shares never exceeds the sum of the exact shares."""
    return _decimal(value).quantize(FEN, rounding=ROUND_DOWN, context=CONTEXT)


def round_quota(entry_count: int, percent) -> int:
    """``percent`` % of ``entry_count`` entries, rounded **half-up** to a whole entry, at
    least 1."""
    with localcontext(CONTEXT):
        places = (Decimal(entry_count) * _decimal(percent) / HUNDRED).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return max(1, int(places))


@dataclass(frozen=True)
class Tier:
    """One tier rule: ``quota_count`` or ``quota_percent`` (or neither), ``min_score`` or not,
    and the subsidy ``amount`` in yuan. ``order`` is its position, 1 = the highest tier."""

    name: str
    amount: Decimal
    order: int = 0
    quota_count: int | None = None
    quota_percent: Decimal | None = None
    min_score: Decimal | None = None

    def quota(self, entry_count: int) -> int | None:
        if self.quota_count is not None:
            return self.quota_count
        if self.quota_percent is not None:
            return round_quota(entry_count, self.quota_percent)
        return None

    def as_dict(self):
        """The JSON form (decimals as strings), as the API and the audit trail show it."""
        return {
            "name": self.name, "order": self.order, "amount": str(quantize_money(self.amount)),
            "quota_count": self.quota_count,
            "quota_percent": None if self.quota_percent is None else str(self.quota_percent),
            "min_score": None if self.min_score is None else str(self.min_score),
        }


def default_tiers(entry_count: int = 16) -> list[Tier]:
    """The default rules (see ``evaluations.enums.DEFAULT_TIERS``): exactly the seeds' counts
    for 16 entries; for ``n`` entries each count is ``base × n / 16`` rounded half-up, at
    least 1 — the same share of the entries for a bigger or smaller roadshow."""
    from .enums import DEFAULT_TIER_BASE_ENTRIES, DEFAULT_TIERS

    tiers = []
    for order, (name, count, amount) in enumerate(DEFAULT_TIERS, start=1):
        percent = Decimal(count) * HUNDRED / Decimal(DEFAULT_TIER_BASE_ENTRIES)
        tiers.append(Tier(name=name, amount=Decimal(amount), order=order,
                          quota_count=round_quota(max(entry_count, 0), percent)))
    return tiers


def _ordered(ranked_entries) -> list[tuple]:
    items = ranked_entries.items() if isinstance(ranked_entries, dict) else ranked_entries
    pairs = [(item[0], _decimal(item[1])) for item in items]
    # Highest score first; equal scores by key, only to make the order total (ties never split).
    return sorted(pairs, key=lambda pair: (-pair[1], pair[0]))


def assign_tiers(ranked_entries, rules: Iterable[Tier], entry_count: int | None = None) -> dict:
    """``{key: Tier or None}`` for ``ranked_entries`` — ``{key: score}`` or ``[(key, score,
    …)]`` in any order — under ``rules`` (applied in their ``order``). See the module
    docstring for the rules, the tie at a boundary and ``entry_count`` (default: the number of
    entries given)."""
    ordered = _ordered(ranked_entries)
    if entry_count is None:
        entry_count = len(ordered)
    result = {key: None for key, _score in ordered}
    position = 0
    for rule in sorted(rules, key=lambda r: r.order):
        eligible_end = position
        while eligible_end < len(ordered) and (rule.min_score is None or ordered[eligible_end][1] >= rule.min_score):
            eligible_end += 1
        quota = rule.quota(entry_count)
        end = eligible_end if quota is None else min(eligible_end, position + quota)
        # The tie at the boundary: everybody tied with the last one admitted comes in too.
        while position < end < len(ordered) and ordered[end][1] == ordered[end - 1][1]:
            end += 1
        for key, _score in ordered[position:end]:
            result[key] = rule
        position = end
    return result


@dataclass(frozen=True)
class PayoutPlan:
    amounts: dict          # {key: Decimal}, each to the fen
    requested: Decimal     # the sum of the tiers' amounts
    total: Decimal         # the sum of ``amounts`` (≤ budget)
    budget: Decimal        # the remaining budget it was planned against
    scaled: bool           # True when the amounts were scaled down
    factor: Decimal        # budget / requested when scaled, else 1


def payouts(amounts: dict, remaining_budget, policy: str = SCALE) -> PayoutPlan:
    """The payout of every awarded entry: its tier's amount, within ``remaining_budget``.

    Over budget: ``scale`` multiplies every amount by ``remaining / total`` and rounds it down
    to the fen (the total never exceeds the budget; a budget ≤ 0 pays nothing); ``refuse``
    raises :class:`BudgetExceeded` with the figures, and the caller writes nothing.
    """
    if policy not in POLICIES:
        raise ValueError(f"unknown budget policy {policy!r}")
    requested_amounts = {key: quantize_money(amount) for key, amount in amounts.items()}
    if any(a < 0 for a in requested_amounts.values()):
        raise ValueError("tier amounts cannot be negative")
    budget = quantize_money(remaining_budget)
    with localcontext(CONTEXT):
        requested = sum(sorted(requested_amounts.values()), ZERO_MONEY)
    if requested <= budget:
        return PayoutPlan(requested_amounts, requested, requested, budget, False, Decimal(1))
    if policy == REFUSE:
        raise BudgetExceeded(
            _("奖补总额 %(t)s 元超出本年度剩余预算 %(b)s 元，按“超出预算时不予计算”的设置未生成结果。"
              "请调整奖项等次或金额，或改为按预算等比例核减。") % {"t": format_money(requested), "b": format_money(budget)},
            state="over_budget",
        )
    if budget <= 0:
        scaled = {key: ZERO_MONEY for key in requested_amounts}
        factor = Decimal(0)
    else:
        with localcontext(CONTEXT):
            factor = budget / requested
            scaled = {key: quantize_money_down(amount * budget / requested)
                      for key, amount in requested_amounts.items()}
    with localcontext(CONTEXT):
        total = sum(sorted(scaled.values()), ZERO_MONEY)
    return PayoutPlan(scaled, requested, total, budget, True, factor)
