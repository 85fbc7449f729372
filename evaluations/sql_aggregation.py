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
Python path does: each zscore card's contribution (``round``: half away from zero, as
``ROUND_HALF_UP``). zscore takes two statements: the per-juror sums first (one more pass over
the scores), from which Python computes each juror's ``ρⱼ = √(U/Uⱼ)`` with the very function
the Python path uses (:func:`aggregation.juror_factors`), then the per-entry statement with
the factors as arrays. So both paths hand
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


def _juror_sql():
    """zscore's first statement: per group × juror, ``n``, ``Σt`` and ``Σt²`` of the card
    totals (a hundred rows for a province)."""
    return f"""
    WITH card AS (
        SELECT c.juror_id AS juror, SUM(s.value) AS t
        FROM evaluations_score s
        JOIN evaluations_scorecard c ON c.id = s.card_id
        JOIN evaluations_entry e ON e.id = c.entry_id
        WHERE e.roadshow_id = %(roadshow)s AND c.status = %(submitted)s
        GROUP BY c.id
    )
    SELECT COALESCE(js.group_id, {NO_GROUP}), card.juror, COUNT(*), SUM(card.t), SUM(card.t * card.t)
    FROM card
    LEFT JOIN evaluations_juryseat js ON js.roadshow_id = %(roadshow)s AND js.user_id = card.juror
    GROUP BY 1, 2"""


def _zscore_sql(criteria):
    """zscore's second statement: each card meets its juror's factor (``ρⱼ`` computed in Python
    from the first statement's sums, passed as arrays: a hash join with a hundred rows) and
    adds its contribution, rounded half-up per card (``round`` rounds half away from zero)."""
    return f"""
    WITH {_card_cte(criteria)},
    factor AS (
        SELECT * FROM unnest(%(f_grp)s::bigint[], %(f_juror)s::bigint[], %(f_n)s::bigint[], %(f_tj)s::numeric[],
                             %(f_rho)s::numeric[], %(f_gn)s::bigint[], %(f_gt)s::numeric[])
                      AS f(grp, juror, n, tj, rho, gn, gt)
    )
    SELECT g.entry, g.grp, COUNT(*), SUM(g.t), MAX(g.t), MIN(g.t), SUM(g.stray){_criterion_columns(criteria)},
           COALESCE(SUM(g.t) FILTER (WHERE f.rho IS NULL), 0),
           COUNT(*) FILTER (WHERE f.rho IS NOT NULL),
           COALESCE(SUM(round((f.n * g.t - f.tj) * f.rho, {aggregation.Z_PLACES})), 0),
           MAX(f.gn), MAX(f.gt)
    FROM graded g
    JOIN factor f ON f.grp = g.grp AND f.juror = g.juror
    GROUP BY g.entry, g.grp
    WINDOW by_entry AS (PARTITION BY g.entry)"""


def _factor_params(cursor, params):
    """Run the first zscore statement and turn its sums into the second one's arrays."""
    cursor.execute(_juror_sql(), params)
    by_group = {}
    for group, juror, n, total, squares in cursor.fetchall():
        by_group.setdefault(group, {})[juror] = (n, total, squares)
    arrays = {key: [] for key in ("f_grp", "f_juror", "f_n", "f_tj", "f_rho", "f_gn", "f_gt")}
    for group, stats in by_group.items():
        factors, n_all, t_all = aggregation.juror_factors(stats)
        for juror, (n, total, rho) in factors.items():
            for key, value in zip(arrays, (group, juror, n, total, rho, n_all, t_all), strict=True):
                arrays[key].append(value)
    return arrays


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
    outermost = not connection.in_atomic_block
    with transaction.atomic(), connection.cursor() as cursor:
        if outermost and method == aggregation.ZSCORE:
            # zscore reads twice: both statements see the same cards (once closed they cannot
            # change; the what-if preview may run earlier).
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        # For these statements only: let the hash aggregates of the card rows (a few thousand
        # groups) stay in memory instead of sorting 250,000 rows on disk — but leave work_mem
        # alone, so the scan itself is planned as for the plain GROUP BY (a bigger work_mem
        # made the planner hash-join the whole score table) — and skip JIT compilation (it
        # costs more than it saves here).
        cursor.execute("SELECT set_config('hash_mem_multiplier', %s, true), set_config('jit', 'off', true)",
                       [HASH_MEM_MULTIPLIER])
        if method == aggregation.ZSCORE:
            params.update(_factor_params(cursor, params))
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
