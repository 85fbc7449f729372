"""The award aggregation in PostgreSQL: one statement reads the roadshow's submitted scores once
and returns, per entry × juror group, the exact figures :class:`aggregation.Part` holds, plus
the per-criterion sums and counts. Python then only does what the Python path does after it:
:func:`aggregation.combine` (weighted mean of the groups, half-up rounding), on about
entries × groups rows instead of a million.

Why one statement: issue 7 asks for the compute job over 1,000,000 score rows to cost at most
3× one plain ``GROUP BY`` over them. The scores are grouped by card once (the per-criterion
values ride along as ``FILTER`` columns, so the per-criterion averages need no second scan);
everything after works on the card totals (a quarter of the rows), in memory.

Exactness: ``numeric`` sums and products are exact, and the statement rounds only where the
Python path does — zscore's ``ρⱼ = √(U/Uⱼ)`` (with ``div``, exact truncation, and ``sqrt``
corrected to the integer square root, as :func:`aggregation.sqrt_ratio` does) and each card's
contribution (``round``: half away from zero, as ``ROUND_HALF_UP``). So both paths hand
identical :class:`Part` values to :func:`aggregation.combine` and give identical Decimals
(``tests/evaluations/test_aggregation_sql_pg.py`` checks it on random data).

PostgreSQL only; SQLite keeps the Python path (:func:`evaluations.queries.award_scores`).
"""

from django.db import connection, transaction

from . import aggregation
from .enums import CardStatus

NO_GROUP = 0  # jurors without a group (group ids start at 1)
HASH_MEM_MULTIPLIER = "8"


def _card_cte(criteria):
    """The one pass over the scores: per submitted card, its total and one column per
    criterion, and ``stray`` = scores of criteria outside ``criteria`` (never, unless the
    rubric changed under the cards: then the averages are read the Python way)."""
    columns = "".join(f", SUM(s.value) FILTER (WHERE s.criterion_id = %(c{i})s) AS v{i}" for i in range(len(criteria)))
    return f"""
    card AS (
        SELECT c.juror_id AS juror, c.entry_id AS entry, SUM(s.value) AS t{columns},
               COUNT(*) FILTER (WHERE NOT (s.criterion_id = ANY(%(criteria)s))) AS stray
        FROM evaluations_score s
        JOIN evaluations_scorecard c ON c.id = s.card_id
        JOIN evaluations_entry e ON e.id = c.entry_id
        WHERE e.roadshow_id = %(roadshow)s AND c.status = %(submitted)s
        GROUP BY c.id
    ),
    graded AS (
        SELECT card.*, COALESCE(js.group_id, {NO_GROUP}) AS grp
        FROM card
        LEFT JOIN evaluations_juryseat js ON js.roadshow_id = %(roadshow)s AND js.user_id = card.juror
    )"""


def _criterion_columns(criteria):
    """Per criterion, the entry's mean over all its groups' cards, rounded half-up to 2 places
    exactly as :func:`aggregation.average_half_up` does: ``div`` truncates, so
    ``⌊(200·sum + n) / 2n⌋ / 100`` (scores are never negative)."""
    columns = []
    for i in range(len(criteria)):
        total, count = f"SUM(SUM(g.v{i})) OVER by_entry", f"SUM(COUNT(g.v{i})) OVER by_entry"
        columns.append(f", CASE WHEN {count} > 0 THEN div(200 * {total} + {count}, 2 * {count}) * 0.01 END AS a{i}")
    return "".join(columns)


def _simple_sql(criteria):
    return f"""
    WITH {_card_cte(criteria)}
    SELECT g.entry, g.grp, COUNT(*), SUM(g.t), MAX(g.t), MIN(g.t), SUM(g.stray){_criterion_columns(criteria)}
    FROM graded g
    GROUP BY g.entry, g.grp
    WINDOW by_entry AS (PARTITION BY g.entry)"""


def _sqrt_ratio(alias, u, v, places):
    """``(LATERAL clauses, expression)``: ``√(u/v)`` rounded half-up to ``places`` decimals, as
    :func:`aggregation.sqrt_ratio` computes it — ``y = ⌊u·10^2P / v⌋`` (``div`` truncates,
    exactly), ``f = ⌊√y⌋`` (``sqrt`` rounds: one step of correction either way), ``+1`` when
    ``4·u·10^2P ≥ (2f+1)²·v``, scaled back by a multiplication (exact), never a division.
    ``NULL`` when ``v`` is 0."""
    scale, unscale = f"1e{2 * places}", f"1e-{places}"
    laterals = f"""
        CROSS JOIN LATERAL (SELECT CASE WHEN {v} > 0 THEN div({u} * {scale}, {v}) END AS y) {alias}_y
        CROSS JOIN LATERAL (SELECT trunc(sqrt({alias}_y.y)) AS f0) {alias}_a
        CROSS JOIN LATERAL (
            SELECT {alias}_a.f0 - ({alias}_a.f0 * {alias}_a.f0 > {alias}_y.y)::int
                   + (({alias}_a.f0 + 1) * ({alias}_a.f0 + 1) <= {alias}_y.y)::int AS f) {alias}_f"""
    expression = (f"({alias}_f.f + (4 * {u} * {scale} >= (2 * {alias}_f.f + 1) * (2 * {alias}_f.f + 1) * {v})::int)"
                  f" * {unscale}")
    return laterals, expression


def _zscore_sql(criteria):
    laterals, rho = _sqrt_ratio("r", "s.gu", "s.uj", aggregation.RHO_PLACES)
    return f"""
    WITH {_card_cte(criteria)},
    juror AS (
        SELECT grp, juror, COUNT(*) AS n, SUM(t) AS tj, SUM(t * t) AS qj
        FROM graded GROUP BY grp, juror
    ),
    grp_stat AS (
        SELECT grp, SUM(n) AS gn, SUM(tj) AS gt, SUM(n) * SUM(qj) - SUM(tj) * SUM(tj) AS gu
        FROM juror GROUP BY grp
    ),
    scaled AS (
        SELECT j.grp, j.juror, j.n, j.tj, j.n * j.qj - j.tj * j.tj AS uj, g.gn, g.gt, g.gu
        FROM juror j JOIN grp_stat g ON g.grp = j.grp
    ),
    factor AS MATERIALIZED (  -- once per juror, not per card: ρⱼ = √(U/Uⱼ)
        SELECT s.grp, s.juror, s.n, s.tj, s.gn, s.gt, CASE WHEN s.uj > 0 THEN {rho} END AS rho
        FROM scaled s{laterals}
    ),
    scored AS (  -- the join per card carries only what the zscore figures need
        SELECT g.entry, g.grp, COUNT(*) AS k, SUM(g.t) AS total, MAX(g.t) AS high, MIN(g.t) AS low,
               SUM(g.stray) AS stray,
               COALESCE(SUM(g.t) FILTER (WHERE f.rho IS NULL), 0) AS raw_total,
               COUNT(*) FILTER (WHERE f.rho IS NOT NULL) AS std_count,
               COALESCE(SUM(round((f.n * g.t - f.tj) * f.rho, {aggregation.Z_PLACES})), 0) AS std_sum,
               MAX(f.gn) AS gn, MAX(f.gt) AS gt
        FROM graded g
        JOIN factor f ON f.grp = g.grp AND f.juror = g.juror
        GROUP BY g.entry, g.grp
    ),
    criteria AS (
        SELECT g.entry, g.grp{_criterion_columns(criteria)}
        FROM graded g
        GROUP BY g.entry, g.grp
        WINDOW by_entry AS (PARTITION BY g.entry)
    )
    SELECT s.entry, s.grp, s.k, s.total, s.high, s.low, s.stray,
           {", ".join(f"c.a{i}" for i in range(len(criteria))) + "," if criteria else ""}
           s.raw_total, s.std_count, s.std_sum, s.gn, s.gt
    FROM scored s
    JOIN criteria c ON c.entry = s.entry AND c.grp = s.grp"""


def parts_and_averages(roadshow, method, criteria_ids):
    """``({(entry, group): Part}, {entry: {criterion: mean}}, stray)`` of the roadshow's
    submitted cards, in one statement. ``group`` is ``None`` for jurors without one; each mean
    is rounded half-up to 2 places; ``stray`` counts scores of criteria not in
    ``criteria_ids`` (the means are then incomplete: the caller reads them another way)."""
    if method not in aggregation.METHODS:
        raise ValueError(f"unknown aggregation method {method!r}")
    criteria = list(criteria_ids)
    params = {"roadshow": roadshow.pk, "submitted": CardStatus.SUBMITTED, "criteria": criteria}
    params.update({f"c{i}": c for i, c in enumerate(criteria)})
    sql = _zscore_sql(criteria) if method == aggregation.ZSCORE else _simple_sql(criteria)
    with transaction.atomic(), connection.cursor() as cursor:
        # For this statement only: let the hash aggregates of the card rows (a few thousand
        # groups) stay in memory instead of sorting 250,000 rows on disk — but leave work_mem
        # alone, so the scan itself is planned as for the plain GROUP BY (a bigger work_mem
        # made the planner hash-join the whole score table) — and skip JIT compilation (it
        # costs more than it saves here).
        cursor.execute("SELECT set_config('hash_mem_multiplier', %s, true), set_config('jit', 'off', true)",
                       [HASH_MEM_MULTIPLIER])
        if method == aggregation.ZSCORE:
            # The card rows meet their juror's factor (~100 rows): a hash join, not a sort of
            # every card by juror (the estimate of the factors' rows is far too high).
            cursor.execute("SELECT set_config('enable_mergejoin', 'off', true)")
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    parts, averages, stray = {}, {}, 0
    width = len(criteria)
    for row in rows:
        entry, group, count, total, high, low, row_stray = row[:7]
        group = None if group == NO_GROUP else group
        stray += row_stray
        extra = row[7 + width:]
        if method == aggregation.ZSCORE:
            raw_total, std_count, std_sum, group_count, group_total = extra
            parts[(entry, group)] = aggregation.Part(count, total, high, low, raw_total, std_count, std_sum,
                                                     int(group_count), group_total)
        else:
            parts[(entry, group)] = aggregation.Part(count, total, high, low)
        if entry not in averages:
            averages[entry] = {c: v for c, v in zip(criteria, row[7:7 + width], strict=True) if v is not None}
    return parts, averages, stray
