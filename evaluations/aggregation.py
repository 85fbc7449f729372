"""Turning submitted scorecards into final scores and a ranking.

Pure functions on plain data — no ORM, no request — so that they can be property-tested and
used by the results page, the what-if preview and the Celery task alike. ``Decimal`` throughout,
computed in :data:`CONTEXT` (50 significant digits) and rounded once, at the end, by
:func:`quantize_score`.

Input is a list of :class:`Card` ``(juror, entry, total)``: one per *submitted* card; ``juror``
and ``entry`` are any hashable, sortable keys (ids in practice).

Decisions this module makes (DESIGN.md leaves them open):

- **Standard deviation** is the *population* standard deviation (divide by n): a juror's totals
  are the whole set of what that juror scored, not a sample of it; with n = 1 it is 0.
- **zscore**: each juror's totals are standardised over the entries that juror scored,
  ``z = (total − juror mean) / juror sd``. An entry's score is ``M + S × mean(z of its cards)``
  where ``M`` and ``S`` are the mean and population sd of *all* the totals being aggregated.
  A juror with fewer than 2 cards, or whose totals are all equal (sd 0), "counts raw": that
  juror's ``z`` is ``(total − M) / S``, so the entry score sees the raw total unchanged
  (``M + S × z = total``). If ``S`` is 0 (every total the same), every ``z`` is 0 and every
  score is ``M``.
- **Juror groups**: each group is aggregated on its own (with the chosen method, over the
  group's cards only), and the entry score is the weighted mean of the group aggregates
  ``Σ wᵢ·aᵢ / Σ wᵢ`` over the groups *that have a card for that entry*. With every group
  present and weights summing to 1 this is the plain weighted sum of DESIGN.md; a group
  without any card for an entry (all its jurors recused, say) drops out and the other weights
  are renormalised, so an entry is not punished for a missing group. Jurors not mapped to a
  group form the group ``None`` with weight 1.
- **trimmed_mean** with fewer than 3 cards is the plain mean and ``EntryScore.untrimmed`` says
  so (in groups: when any group of the entry fell back).
- **Ranking** is on the *rounded* final scores, competition style: 1, 2, 2, 4.
"""

from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Context, Decimal, localcontext
from typing import NamedTuple

CONTEXT = Context(prec=50)
SCORE_PLACES = Decimal("0.01")
ZERO = Decimal(0)
ONE = Decimal(1)

MEAN = "mean"
TRIMMED_MEAN = "trimmed_mean"
ZSCORE = "zscore"
METHODS = (MEAN, TRIMMED_MEAN, ZSCORE)


class Card(NamedTuple):
    juror: Hashable
    entry: Hashable
    total: Decimal


@dataclass(frozen=True)
class EntryScore:
    entry: Hashable
    score: Decimal            # final, rounded half-up to 2 places
    raw: Decimal              # unrounded
    card_count: int
    untrimmed: bool = False   # trimmed_mean asked for, but too few cards: plain mean used
    min_total: Decimal | None = None
    max_total: Decimal | None = None
    spread: Decimal | None = None   # max − min of the card totals
    per_group: dict = field(default_factory=dict)  # group → unrounded aggregate


class Ranked(NamedTuple):
    key: Hashable
    score: Decimal
    rank: int


def quantize_score(value) -> Decimal:
    """A final score: ``Decimal`` rounded **half-up** (away from zero on a tie) to 2 places."""
    return Decimal(value).quantize(SCORE_PLACES, rounding=ROUND_HALF_UP, context=CONTEXT)


def _decimals(values) -> list[Decimal]:
    out = []
    for v in values:
        if not isinstance(v, Decimal):
            if isinstance(v, float):
                raise TypeError("scores are Decimal, never float")
            v = Decimal(v)
        out.append(v)
    return out


def _sum(values) -> Decimal:
    """Sum in a fixed (sorted) order: rounding in the 50th digit then never depends on the
    order the cards came in, so results are exactly invariant under reordering."""
    with localcontext(CONTEXT):
        return sum(sorted(values), ZERO)


def mean(values: Iterable[Decimal]) -> Decimal:
    """Arithmetic mean (unrounded). Raises ``ValueError`` on no values."""
    values = _decimals(values)
    if not values:
        raise ValueError("mean of no values")
    with localcontext(CONTEXT):
        return _sum(values) / len(values)


def pstdev(values: Iterable[Decimal]) -> Decimal:
    """Population standard deviation (divide by n), via ``Decimal.sqrt``."""
    values = _decimals(values)
    m = mean(values)
    with localcontext(CONTEXT):
        variance = _sum((v - m) ** 2 for v in values) / len(values)
        return variance.sqrt(context=CONTEXT)


def trimmed_mean(values: Iterable[Decimal]) -> tuple[Decimal, bool]:
    """Drop one highest and one lowest value and average the rest (去掉一个最高分和一个最低分).

    Returns ``(mean, trimmed)``; with fewer than 3 values it is the plain mean and ``trimmed``
    is ``False``.
    """
    values = sorted(_decimals(values))
    if len(values) < 3:
        return mean(values), False
    return mean(values[1:-1]), True


def zscore_scores(cards: Iterable[Card]) -> dict:
    """``{entry: unrounded score}`` under the zscore method (see the module docstring)."""
    cards = [Card(c[0], c[1], _decimals([c[2]])[0]) for c in cards]
    if not cards:
        return {}
    overall_mean = mean(c.total for c in cards)
    overall_sd = pstdev(c.total for c in cards)
    by_juror = defaultdict(list)
    for c in cards:
        by_juror[c.juror].append(c.total)
    stats = {}
    for juror, totals in by_juror.items():
        sd = pstdev(totals) if len(totals) >= 2 else ZERO
        stats[juror] = (mean(totals), sd) if sd > 0 else None  # None: counts raw

    zs = defaultdict(list)
    with localcontext(CONTEXT):
        for c in cards:
            juror_stats = stats[c.juror]
            if juror_stats is not None:
                z = (c.total - juror_stats[0]) / juror_stats[1]
            elif overall_sd > 0:
                z = (c.total - overall_mean) / overall_sd
            else:
                z = ZERO
            zs[c.entry].append(z)
        return {entry: overall_mean + overall_sd * mean(z_values) for entry, z_values in zs.items()}


def _simple(cards: list[Card], method: str) -> tuple[dict, set]:
    """``({entry: unrounded aggregate}, {entries that fell back to the plain mean})``."""
    if method == ZSCORE:
        return zscore_scores(cards), set()
    by_entry = defaultdict(list)
    for c in cards:
        by_entry[c.entry].append(c.total)
    result, fell_back = {}, set()
    for entry, totals in by_entry.items():
        if method == MEAN:
            result[entry] = mean(totals)
        else:
            result[entry], trimmed = trimmed_mean(totals)
            if not trimmed:
                fell_back.add(entry)
    return result, fell_back


def aggregate(cards: Iterable[Card], method: str = TRIMMED_MEAN, *, groups: dict | None = None,
              weights: dict | None = None) -> dict:
    """Final scores of the entries that have at least one card: ``{entry: EntryScore}``.

    ``groups`` maps a juror to its group (missing jurors: group ``None``); ``weights`` maps a
    group to its ``Decimal`` weight (missing: 1). Without ``groups`` every juror is in one group.
    """
    if method not in METHODS:
        raise ValueError(f"unknown aggregation method {method!r}")
    cards = [Card(c[0], c[1], _decimals([c[2]])[0]) for c in cards]
    groups = groups or {}
    weights = {k: _decimals([w])[0] for k, w in (weights or {}).items()}
    if any(w <= 0 for w in weights.values()):
        raise ValueError("group weights must be positive")

    by_group = defaultdict(list)
    for c in cards:
        by_group[groups.get(c.juror)].append(c)
    group_scores, fell_back = {}, set()
    for group, group_cards in by_group.items():
        group_scores[group], group_fell_back = _simple(group_cards, method)
        fell_back |= group_fell_back

    totals_by_entry = defaultdict(list)
    for c in cards:
        totals_by_entry[c.entry].append(c.total)

    result = {}
    with localcontext(CONTEXT):
        for entry, totals in totals_by_entry.items():
            per_group = {g: scores[entry] for g, scores in group_scores.items() if entry in scores}
            if len(per_group) == 1:
                raw = next(iter(per_group.values()))
            else:
                weight_sum = _sum(weights.get(g, ONE) for g in per_group)
                raw = _sum(weights.get(g, ONE) * a for g, a in per_group.items()) / weight_sum
            low, high = min(totals), max(totals)
            result[entry] = EntryScore(
                entry=entry, score=quantize_score(raw), raw=raw, card_count=len(totals),
                untrimmed=method == TRIMMED_MEAN and entry in fell_back,
                min_total=low, max_total=high, spread=high - low, per_group=per_group,
            )
    return result


def rank(scores) -> list[Ranked]:
    """Rank ``{key: score}`` (or ``[(key, score)]``) from the highest score down; equal scores
    share a rank and the next rank skips (1, 2, 2, 4). Ties are listed by key."""
    items = scores.items() if isinstance(scores, dict) else scores
    ordered = sorted(((key, _decimals([s])[0]) for key, s in items), key=lambda ks: (-ks[1], ks[0]))
    ranked, previous = [], None
    for position, (key, score) in enumerate(ordered, start=1):
        current = ranked[-1].rank if previous is not None and score == previous else position
        ranked.append(Ranked(key, score, current))
        previous = score
    return ranked


def rank_entries(entry_scores: dict) -> list[tuple[EntryScore, int]]:
    """``[(EntryScore, rank)]`` ranked by the rounded final score."""
    return [(entry_scores[r.key], r.rank) for r in rank({e: s.score for e, s in entry_scores.items()})]


def per_criterion_averages(values: Iterable[tuple]) -> dict:
    """``{entry: {criterion: mean}}`` from ``(entry, criterion, value)`` rows of submitted
    cards, each mean rounded half-up to 2 places."""
    collected = defaultdict(lambda: defaultdict(list))
    for entry, criterion, value in values:
        collected[entry][criterion].append(value)
    return {entry: {criterion: quantize_score(mean(vs)) for criterion, vs in by_criterion.items()}
            for entry, by_criterion in collected.items()}
