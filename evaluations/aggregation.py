"""Turning submitted scorecards into final scores and a ranking.

Pure functions on plain data — no ORM, no request — so that they can be property-tested and
used by the results page, the what-if preview and the Celery task alike (the methods' SQL
statements live in :mod:`evaluations.sql.aggregation`; this module only names them).
``Decimal`` in and out; in between every aggregate is an exact rational (``Fraction``),
rounded once, at the end, half-up to 2 places (:func:`round_half_up`). zscore's irrational
steps (a ``√`` per juror, a product per card) are rounded half-up to fixed places, the root
with an integer square root (see :func:`contribution`).
Exact arithmetic is what lets the PostgreSQL path (:mod:`evaluations.sql.aggregation`) give the
very same Decimals: both compute the same :class:`Part` per entry × juror group (sums, counts,
extremes — exact in SQL ``numeric`` too) and both turn them into scores with :func:`combine`.

**One object per method.** Each aggregation method is one class (:class:`Mean`,
:class:`TrimmedMean`, :class:`ZScore`) holding all of it: its name (an
:class:`~evaluations.enums.Aggregation` value, which also gives its label), its Python part
(:meth:`Method.parts`), its SQL part (:meth:`Method.sql_rows`, :meth:`Method.part_of_row`) and
its value (:meth:`Method.value`). :data:`REGISTRY` maps every ``Aggregation`` value to its
method; ``Aggregation`` is the only list of names. A new method is a new ``Aggregation`` value
and one class in :data:`REGISTRY`; tests/evaluations/test_aggregation_methods.py then checks it
(its SQL against its Python part, on PostgreSQL) with the others.

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
from decimal import ROUND_HALF_UP, Context, Decimal, Inexact, Rounded, localcontext
from fractions import Fraction
from math import isqrt
from typing import ClassVar, NamedTuple

from .enums import Aggregation
from .sql import aggregation as sql_aggregation

CONTEXT = Context(prec=50)
# Sums and products of card totals are exact: an inexact result raises instead of rounding.
EXACT = Context(prec=200, traps=[Inexact, Rounded])
ROUNDING = Context(prec=200)  # for quantize: rounds, never traps
# zscore's irrational steps, each rounded half-up (see contribution): ρⱼ = √(U/Uⱼ) to
# RHO_PLACES, each card's contribution to Z_PLACES — ten fewer, so that one which is exact in
# decimals comes out exact.
Z_PLACES = 30
RHO_PLACES = 40
Z_QUANTUM = Decimal(1).scaleb(-Z_PLACES)
SCORE_PLACES = Decimal("0.01")
ZERO = Decimal(0)
ONE = Decimal(1)

METHODS = tuple(Aggregation.values)  # the names of the methods (see REGISTRY)


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


def _round_ratio(numerator: int, denominator: int, places: int = 2) -> Decimal:
    """``numerator / denominator`` (``denominator > 0``) rounded half-up (away from zero) to
    ``places`` decimals, in integers."""
    numerator *= 10 ** places
    quotient, remainder = divmod(abs(numerator), denominator)
    if 2 * remainder >= denominator:
        quotient += 1
    return Decimal(-quotient if numerator < 0 else quotient).scaleb(-places)


def round_half_up(value, places: int = 2) -> Decimal:
    """An exact rational (``Fraction``, ``Decimal`` or int) rounded **half-up** (away from zero
    on a tie) to ``places`` decimals, with integers only: no intermediate rounding can push a
    value that lies exactly on a tie (85.125) to either side of it."""
    value = Fraction(value)
    return _round_ratio(value.numerator, value.denominator, places)


def average_half_up(total, count: int, places: int = 2) -> Decimal:
    """``total / count`` rounded half-up to ``places`` (exact: see :func:`round_half_up`)."""
    numerator, denominator = _decimals([total])[0].as_integer_ratio()
    return _round_ratio(numerator, denominator * count, places)


def sqrt_ratio(u, v, places: int = Z_PLACES) -> Decimal:
    """``√(u / v)`` rounded half-up to ``places`` decimals, exactly (integer square root), for
    ``u ≥ 0``, ``v > 0``. The SQL path (:mod:`evaluations.sql.aggregation`) uses it too, through
    :func:`juror_factors`."""
    ratio = Fraction(_decimals([u])[0]) / Fraction(_decimals([v])[0])
    scaled = ratio * 10 ** (2 * places)
    root = isqrt(scaled.numerator // scaled.denominator)   # ⌊√x⌋ = ⌊√⌊x⌋⌋
    if 4 * scaled >= (2 * root + 1) ** 2:                  # √x ≥ root + ½: round up
        root += 1
    return Decimal(root).scaleb(-places)


class Part(NamedTuple):
    """What one juror group's cards on one entry contribute: the figures every method's value
    is computed from exactly. The Python path computes them here (:func:`group_parts`), the
    PostgreSQL path in SQL (:mod:`evaluations.sql.aggregation`); both then go
    through :func:`combine`, which is why the two paths give identical Decimals.

    The zscore fields: ``raw_total`` — the totals of the cards whose juror counts raw;
    ``std_count`` and ``std_sum`` — the number of the other cards and the sum of what they add
    to ``N·k·score`` (:func:`contribution`); ``group_count``, ``group_total`` — the group's ``N``
    and ``T``."""

    count: int
    total: Decimal
    high: Decimal
    low: Decimal
    raw_total: Decimal = ZERO
    std_count: int = 0
    std_sum: Decimal = ZERO
    group_count: int = 0
    group_total: Decimal = ZERO


def contribution(deviation: Decimal, rho: Decimal) -> Decimal:
    """``N·S·z`` of a standardised card: ``(nⱼ·t − Tⱼ)·ρⱼ`` with ``ρⱼ = √(U/Uⱼ)``, rounded
    half-up to :data:`Z_PLACES` (``U = N·Σt² − T²`` over the group, ``Uⱼ`` the same over juror
    ``j``'s cards: ``N²`` times the variance). ``ρⱼ`` carries ten more places than the
    contribution keeps, so a contribution that is exact in decimals comes out exact (a juror
    alone in a group adds exactly ``t − M``), and two of opposite sign and equal size cancel
    exactly, as in the maths (z = +1 and −1 of the jurors with two cards)."""
    with localcontext(EXACT):
        product = deviation * rho
    return product.quantize(Z_QUANTUM, rounding=ROUND_HALF_UP, context=ROUNDING)


def juror_factors(stats: dict):
    """``({juror: (nⱼ, Tⱼ, ρⱼ or None)}, N, T)`` of one group from ``{juror: (nⱼ, Tⱼ, Σt²)}``
    (see :func:`contribution`); ``ρⱼ`` is ``None`` when ``Uⱼ = 0``: the juror counts raw. The
    SQL path reads the same per-juror sums from the database and calls this too."""
    with localcontext(EXACT):
        n_all = sum(n for n, _t, _q in stats.values())
        t_all = sum((t for _n, t, _q in stats.values()), ZERO)
        u_all = n_all * sum((q for _n, _t, q in stats.values()), ZERO) - t_all * t_all
        factors = {}
        for juror, (n, t, q) in stats.items():
            u = n * q - t * t
            factors[juror] = (n, t, sqrt_ratio(u_all, u, RHO_PLACES) if u > 0 else None)
    return factors, n_all, t_all


def _juror_factors(cards: list[Card]):
    stats = defaultdict(lambda: [0, ZERO, ZERO])
    with localcontext(EXACT):
        for c in cards:
            s = stats[c.juror]
            s[0] += 1
            s[1] += c.total
            s[2] += c.total * c.total
    return juror_factors({juror: tuple(s) for juror, s in stats.items()})


def _figures(cards: list[Card]) -> dict:
    """``{entry: [count, Σt, max t, min t]}`` of one group's cards: what every method's
    :class:`Part` starts from."""
    collected = defaultdict(lambda: [0, ZERO, None, None])
    with localcontext(EXACT):
        for c in cards:
            p = collected[c.entry]
            p[0] += 1
            p[1] += c.total
            p[2] = c.total if p[2] is None else max(p[2], c.total)
            p[3] = c.total if p[3] is None else min(p[3], c.total)
    return collected


def _ratio(total, count: int, fell_back: bool = False) -> tuple[int, int, bool]:
    numerator, denominator = Decimal(total).as_integer_ratio()
    return numerator, denominator * count, fell_back


# --- the methods ----------------------------------------------------------------------------


class Method:
    """One aggregation method, whole: its :attr:`name`, its Python part (:meth:`parts`), its SQL
    part (:meth:`sql_rows` and :meth:`part_of_row`) and its value (:meth:`value`). The two
    parts give the same :class:`Part` per entry × juror group; :meth:`value` turns one into
    the group's exact aggregate, and :func:`combine` the groups into the entry's score.

    The base class holds what the methods share: the plain figures (count, sum, extremes) in
    Python and one SQL statement (:func:`evaluations.sql.aggregation.entry_group_rows`)."""

    name: ClassVar[Aggregation]

    def __repr__(self):
        return f"<{type(self).__name__} {self.name}>"

    @property
    def label(self):
        return Aggregation(self.name).label

    def parts(self, cards: list[Card]) -> dict:
        """``{entry: Part}`` of one juror group's cards (the Python path)."""
        return {entry: Part(*figures) for entry, figures in _figures(cards).items()}

    def sql_rows(self, cursor, criteria: list, params: dict) -> list:
        """The rows of entry × group figures, read in PostgreSQL on ``cursor`` (see
        :func:`evaluations.sql.aggregation.parts_and_averages`, which calls this)."""
        return sql_aggregation.entry_group_rows(cursor, criteria, params)

    def part_of_row(self, figures: tuple, extra: tuple) -> Part:
        """The :class:`Part` of one of :meth:`sql_rows`' rows: ``figures`` = ``(count, Σt, max
        t, min t)``, ``extra`` = the columns the method's statement adds after them."""
        return Part(*figures)

    def value(self, part: Part) -> tuple[int, int, bool]:
        """``(numerator, denominator, fell back to the plain mean)``: the exact aggregate of
        one group's cards on one entry, as a ratio of integers (``denominator > 0``)."""
        raise NotImplementedError


class Mean(Method):
    """The arithmetic mean of the card totals."""

    name = Aggregation.MEAN

    def value(self, part):
        return _ratio(part.total, part.count)


class TrimmedMean(Method):
    """去掉一个最高分和一个最低分: the mean without one highest and one lowest total; with
    fewer than 3 cards the plain mean, and it says so."""

    name = Aggregation.TRIMMED_MEAN

    def value(self, part):
        if part.count < 3:
            return _ratio(part.total, part.count, fell_back=True)
        with localcontext(EXACT):
            return _ratio(part.total - part.high - part.low, part.count - 2)


class ZScore(Method):
    """Each juror's totals standardised (see the module docstring). Its :class:`Part` adds
    ``raw_total``, ``std_count``, ``std_sum`` (the cards' contributions, :func:`contribution`)
    and the group's ``N`` and ``T``; in SQL, three statements around the jurors' factors
    (:func:`evaluations.sql.aggregation.zscore_entry_group_rows`)."""

    name = Aggregation.ZSCORE

    def parts(self, cards):
        factors, n_all, t_all = _juror_factors(cards)
        extra = defaultdict(lambda: [ZERO, 0, ZERO])
        with localcontext(EXACT):
            for c in cards:
                n, t, rho = factors[c.juror]
                e = extra[c.entry]
                if rho is None:
                    e[0] += c.total
                else:
                    e[1] += 1
                    e[2] += contribution(n * c.total - t, rho)
        return {entry: Part(*figures, *extra[entry], n_all, t_all) for entry, figures in _figures(cards).items()}

    def sql_rows(self, cursor, criteria, params):
        return sql_aggregation.zscore_entry_group_rows(cursor, criteria, params, juror_factors=juror_factors,
                                                       places=Z_PLACES)

    def part_of_row(self, figures, extra):
        raw_total, std_count, std_sum, group_count, group_total = extra
        return Part(*figures, raw_total, std_count, std_sum, int(group_count), group_total)

    def value(self, part):
        """``M + S·mean(z) = (N·Σraw t + k_std·T + Σ N·S·z) / (N·k)``, since a card that counts
        raw has ``S·z = t − M`` (see :func:`contribution` for the others)."""
        with localcontext(EXACT):
            total = part.group_count * part.raw_total + part.std_count * part.group_total + part.std_sum
        return _ratio(total, part.group_count * part.count)


# Every method, by its Aggregation value (tests/evaluations/test_aggregation_methods.py checks
# that each Aggregation value has exactly one).
REGISTRY: dict[Aggregation, Method] = {method.name: method for method in (Mean(), TrimmedMean(), ZScore())}


def method_of(name) -> Method:
    """The method named ``name`` (an :class:`Aggregation` value); ``ValueError`` otherwise."""
    try:
        return REGISTRY[name]
    except (KeyError, TypeError):
        raise ValueError(f"unknown aggregation method {name!r}") from None


def group_parts(cards: Iterable[Card], method: str, groups: dict | None = None) -> dict:
    """``{(entry, group): Part}`` of ``cards`` (the Python path; see :class:`Part`)."""
    method = method_of(method)
    cards = [Card(c[0], c[1], _decimals([c[2]])[0]) for c in cards]
    groups = groups or {}
    by_group = defaultdict(list)
    for c in cards:
        by_group[groups.get(c.juror)].append(c)
    parts = {}
    for group, group_cards in by_group.items():
        for entry, part in method.parts(group_cards).items():
            parts[(entry, group)] = part
    return parts


def part_value(part: Part, method: str) -> tuple[int, int, bool]:
    """``(numerator, denominator, fell back to the plain mean)``: :meth:`Method.value` of the
    method named ``method``."""
    return method_of(method).value(part)


def _decimal_of(numerator: int, denominator: int) -> Decimal:
    with localcontext(CONTEXT):
        return Decimal(numerator) / Decimal(denominator)


def combine(parts: dict, method: str, weights: dict | None = None) -> dict:
    """``{entry: EntryScore}`` from ``{(entry, group): Part}``: each group's exact aggregate,
    their weighted mean over the groups present (exact), rounded half-up once."""
    method = method_of(method)
    weights = {k: _decimals([w])[0] for k, w in (weights or {}).items()}
    if any(w <= 0 for w in weights.values()):
        raise ValueError("group weights must be positive")
    by_entry = defaultdict(list)
    for (entry, group), part in parts.items():
        by_entry[entry].append((group, part))
    result = {}
    for entry, entry_parts in by_entry.items():
        values, fell_back = {}, False
        for group, part in entry_parts:
            numerator, denominator, group_fell_back = method.value(part)
            values[group] = (numerator, denominator)
            fell_back |= group_fell_back
        if len(values) == 1:
            numerator, denominator = next(iter(values.values()))
        else:
            weight_of = {g: Fraction(weights.get(g, ONE)) for g in values}
            raw = sum(weight_of[g] * Fraction(*v) for g, v in values.items()) / sum(weight_of.values())
            numerator, denominator = raw.numerator, raw.denominator
        low = min(p.low for _g, p in entry_parts)
        high = max(p.high for _g, p in entry_parts)
        result[entry] = EntryScore(
            entry=entry, score=_round_ratio(numerator, denominator), raw=_decimal_of(numerator, denominator),
            card_count=sum(p.count for _g, p in entry_parts), untrimmed=fell_back, min_total=low, max_total=high,
            spread=high - low, per_group={g: _decimal_of(*v) for g, v in values.items()},
        )
    return result


def zscore_scores(cards: Iterable[Card]) -> dict:
    """``{entry: unrounded score}`` under the zscore method (see the module docstring)."""
    zscore = Aggregation.ZSCORE
    return {entry: s.raw for entry, s in combine(group_parts(cards, zscore), zscore).items()}


def aggregate(cards: Iterable[Card], method: str = Aggregation.TRIMMED_MEAN, *, groups: dict | None = None,
              weights: dict | None = None) -> dict:
    """Final scores of the entries that have at least one card: ``{entry: EntryScore}``.

    ``groups`` maps a juror to its group (missing jurors: group ``None``); ``weights`` maps a
    group to its ``Decimal`` weight (missing: 1). Without ``groups`` every juror is in one group.
    """
    method_of(method)
    if any(_decimals([w])[0] <= 0 for w in (weights or {}).values()):
        raise ValueError("group weights must be positive")
    return combine(group_parts(cards, method, groups), method, weights)


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
    return {entry: {criterion: average_half_up(_sum(vs), len(vs)) for criterion, vs in by_criterion.items()}
            for entry, by_criterion in collected.items()}
