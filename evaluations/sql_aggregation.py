"""The award aggregation in PostgreSQL: the roadshow's submitted scores are read once and
aggregated down to one row per entry × juror group with the exact figures
:class:`aggregation.Part` holds, plus the per-criterion sums and counts. Python then only does
what the Python path does after it: :func:`aggregation.combine` (weighted mean of the groups,
half-up rounding), on about entries × groups rows instead of a million.

Why: issue 7 asks for the compute job over 1,000,000 score rows to cost at most 3× one plain
``GROUP BY`` over them. The scores are grouped by card once (the per-criterion values ride
along as ``FILTER`` columns, so the per-criterion averages need no second scan); everything
after works on the card rows (a quarter of the score rows).

mean and trimmed_mean: one statement, from the scores to the entry rows.

zscore needs every juror's statistics before any card's contribution, so it takes three
statements in one transaction, of which only the first reads the scores:

1. the card rows (juror, entry, group, total, per-criterion values) go into a temporary table
   (``CREATE TEMPORARY TABLE … ON COMMIT DROP AS``);
2. per group × juror, ``n``, ``Σt`` and ``Σt²`` from that table (a hundred rows), from which
   Python computes each juror's ``ρⱼ = √(U/Uⱼ)`` with the very function the Python path uses
   (:func:`aggregation.juror_factors`);
3. the entry rows from the table, each card joined to its juror's factor (passed as arrays).

The table is dropped right after (also inside a caller's transaction, which may call this
again) and in any case at commit or rollback; everything runs in one transaction, so it works
behind a transaction-pooling PgBouncer, and the cards are read in one snapshot.

Exactness: ``numeric`` sums and products are exact, and the statements round only where the
Python path does: each zscore card's contribution (``round``: half away from zero, as
``ROUND_HALF_UP``). So both paths hand identical :class:`Part` values to
:func:`aggregation.combine` and give identical Decimals
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


CARD_TABLE = "zscore_card"  # temporary: private to the session, dropped after use or at commit


def _card_table_sql(criteria):
    """zscore's one pass over the scores: the card rows (``graded``: a quarter of the score
    rows) kept in a temporary table, which the two statements after it read. (Not analysed:
    statistics would not change the plans below, and ``ANALYZE`` costs 0.15 s at 250,000 rows.)"""
    return f"CREATE TEMPORARY TABLE {CARD_TABLE} ON COMMIT DROP AS WITH {_card_cte(criteria)} SELECT * FROM graded"


def _juror_sql():
    """Per group × juror, ``n``, ``Σt`` and ``Σt²`` of the card totals (a hundred rows for a
    province), from the card table."""
    return f"SELECT grp, juror, COUNT(*), SUM(t), SUM(t * t) FROM {CARD_TABLE} GROUP BY grp, juror"


def _zscore_sql(criteria):
    """Each card of the card table meets its juror's factor (``ρⱼ`` computed in Python from
    :func:`_juror_sql`'s sums, passed as arrays: a hash join with a hundred rows) and adds its
    contribution, rounded half-up per card (``round`` rounds half away from zero).

    ``LEFT JOIN``, though every card has its factor (both come from the same table): the
    planner cannot estimate an inner join with ``unnest()``, took it for 1% of the cards and
    sorted all of them on disk to group them (0.55 s instead of 0.35 s at 1,000,000 scores);
    a left join keeps at least the table's rows, so it hashes."""
    return f"""
    WITH factor AS (
        SELECT * FROM unnest(%(f_grp)s::bigint[], %(f_juror)s::bigint[], %(f_n)s::bigint[], %(f_tj)s::numeric[],
                             %(f_rho)s::numeric[], %(f_gn)s::bigint[], %(f_gt)s::numeric[])
                      AS f(grp, juror, n, tj, rho, gn, gt)
    )
    SELECT g.entry, g.grp, COUNT(*), SUM(g.t), MAX(g.t), MIN(g.t), SUM(g.stray){_criterion_columns(criteria)},
           COALESCE(SUM(g.t) FILTER (WHERE f.rho IS NULL), 0),
           COUNT(*) FILTER (WHERE f.rho IS NOT NULL),
           COALESCE(SUM(round((f.n * g.t - f.tj) * f.rho, {aggregation.Z_PLACES})), 0),
           MAX(f.gn), MAX(f.gt)
    FROM {CARD_TABLE} g
    LEFT JOIN factor f ON f.grp = g.grp AND f.juror = g.juror
    GROUP BY g.entry, g.grp
    WINDOW by_entry AS (PARTITION BY g.entry)"""


def _factor_params(cursor):
    """Run :func:`_juror_sql` and turn its sums into :func:`_zscore_sql`'s arrays."""
    cursor.execute(_juror_sql())
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


def _zscore_rows(cursor, criteria, params):
    cursor.execute(_card_table_sql(criteria), params)
    cursor.execute(_zscore_sql(criteria), {**params, **_factor_params(cursor)})
    rows = cursor.fetchall()
    # Now, not on commit: the caller's transaction may go on, and call this again. (On an
    # error the rollback of the transaction or of atomic()'s savepoint removes the table.)
    cursor.execute(f"DROP TABLE {CARD_TABLE}")
    return rows


def parts_and_averages(roadshow, method, criteria_ids):
    """``({(entry, group): Part}, {entry: {criterion: mean}}, stray)`` of the roadshow's
    submitted cards, reading the scores once. ``group`` is ``None`` for jurors without one; each mean
    is rounded half-up to 2 places; ``stray`` counts scores of criteria not in
    ``criteria_ids`` (the means are then incomplete: the caller reads them another way)."""
    if method not in aggregation.METHODS:
        raise ValueError(f"unknown aggregation method {method!r}")
    criteria = list(criteria_ids)
    params = {"roadshow": roadshow.pk, "submitted": CardStatus.SUBMITTED, "criteria": criteria}
    params.update({f"c{i}": c for i, c in enumerate(criteria)})
    # One transaction: zscore's temporary table lives in it (a pooler in transaction mode may
    # hand the next transaction to another session), and set_config(..., true) ends with it.
    with transaction.atomic(), connection.cursor() as cursor:
        # For these statements only: let the hash aggregates of the card rows (a few thousand
        # groups) stay in memory instead of sorting 250,000 rows on disk — but leave work_mem
        # alone, so the scan itself is planned as for the plain GROUP BY (a bigger work_mem
        # made the planner hash-join the whole score table) — and skip JIT compilation (it
        # costs more than it saves here).
        cursor.execute("SELECT set_config('hash_mem_multiplier', %s, true), set_config('jit', 'off', true)",
                       [HASH_MEM_MULTIPLIER])
        if method == aggregation.ZSCORE:
            rows = _zscore_rows(cursor, criteria, params)
        else:
            cursor.execute(_simple_sql(criteria), params)
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
