"""The awards' hand-written SQL (STYLE.md 13): each statement behind a function named for what it
does, identifiers composed with ``psycopg.sql``, values always bound as parameters. The ORM form
each one stands for is beside it in the service (SQLite runs that), and the tests compare both.
"""

import json

from psycopg import sql

from .models import Result

# The stored columns of a result, with the PostgreSQL type of the array each arrives in.
RESULT_COLUMNS = (
    ("final_score", "numeric"), ("rank", "int"), ("tier", "text"), ("tier_order", "int"), ("amount", "numeric"),
    ("per_criterion", "jsonb"), ("card_count", "int"), ("spread", "numeric"), ("note", "text"),
)

_UPSERT_RESULTS = sql.SQL("""
INSERT INTO {table} (roadshow_id, entry_id, {columns}, computed_at)
SELECT %s, v.*, %s::timestamptz
FROM unnest(%s::bigint[], {arrays}) AS v(entry_id, {columns})
ON CONFLICT (roadshow_id, entry_id) DO UPDATE SET {updates}
""").format(
    table=sql.Identifier(Result._meta.db_table),
    columns=sql.SQL(", ").join(sql.Identifier(name) for name, _type in RESULT_COLUMNS),
    arrays=sql.SQL(", ").join(sql.SQL("%s::{}[]").format(sql.SQL(kind)) for _name, kind in RESULT_COLUMNS),
    updates=sql.SQL(", ").join(sql.SQL("{c} = EXCLUDED.{c}").format(c=sql.Identifier(name))
                               for name in [*(name for name, _type in RESULT_COLUMNS), "computed_at"]),
)


def upsert_results(cursor, *, roadshow_id, computed_at, values):
    """Insert or update in place the results of ``roadshow_id`` in one statement, from arrays:
    ``values`` is ``[(entry id, {column: value})]`` with every column of :data:`RESULT_COLUMNS`.
    The ORM form is ``Result.objects.bulk_create(..., update_conflicts=True)`` (a statement per
    1,000 rows; ``bulk_update`` built a CASE per field per row and took seconds for 2,500)."""
    arrays = [[entry for entry, _v in values]]
    for name, _type in RESULT_COLUMNS:
        arrays.append([json.dumps(v[name], ensure_ascii=False) if name == "per_criterion" else v[name]
                       for _entry, v in values])
    cursor.execute(_UPSERT_RESULTS.as_string(cursor.connection), [roadshow_id, computed_at, *arrays])
