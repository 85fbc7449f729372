"""``awards.sql.upsert_results`` (PostgreSQL) stores exactly what the ORM form stores
(``bulk_create(update_conflicts=True)``, what SQLite runs): the same rows, inserted the first
time and updated in place the second. Runs on PostgreSQL (the CI pipeline's first pass)."""

from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from awards import sql
from awards.models import Result
from awards.services.results import RESULT_FIELDS

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql",
                                reason="the statement is PostgreSQL's (CI runs a PostgreSQL pass)")


def _values(entries, bump):
    rows = []
    for i, entry in enumerate(entries):
        scored = i % 3 != 2  # every third entry without a valid score: nulls through the arrays
        rows.append((entry.pk, {
            "final_score": Decimal("80.25") + bump + i if scored else None, "rank": i + 1 if scored else None,
            "tier": "一等" if scored and i < 2 else "", "tier_order": 2 if scored and i < 2 else None,
            "amount": Decimal("80000.00") if scored and i < 2 else Decimal("0.00"),
            "per_criterion": {"1": f"{20 + i}.50", "2": "“引号”"}, "card_count": 5 if scored else 0,
            "spread": Decimal("3.5") if scored else None, "note": "" if scored else "无有效评分",
        }))
    return rows


def _stored(roadshow):
    return sorted((r.entry_id, *(getattr(r, f) for f in RESULT_FIELDS)) for r in Result.objects.filter(roadshow=roadshow))


def _orm(roadshow, now, values):
    Result.objects.bulk_create([Result(roadshow=roadshow, entry_id=e, computed_at=now, **v) for e, v in values],
                               update_conflicts=True, unique_fields=["roadshow", "entry"], update_fields=RESULT_FIELDS)


@pytest.mark.parametrize("bump", [Decimal("0"), Decimal("1.5")])
def test_the_upsert_stores_what_the_orm_stores_inserting_then_updating(closed_roadshow, bump):
    entries = list(closed_roadshow.entries.order_by("order"))
    first, second = timezone.now(), timezone.now() + timezone.timedelta(minutes=1)
    with connection.cursor() as cursor:
        sql.upsert_results(cursor, roadshow_id=closed_roadshow.pk, computed_at=first, values=_values(entries, 0))
        sql.upsert_results(cursor, roadshow_id=closed_roadshow.pk, computed_at=second, values=_values(entries, bump))
    by_sql = _stored(closed_roadshow)
    Result.objects.filter(roadshow=closed_roadshow).delete()
    _orm(closed_roadshow, first, _values(entries, 0))
    _orm(closed_roadshow, second, _values(entries, bump))
    assert _stored(closed_roadshow) == by_sql
    assert len(by_sql) == len(entries) and {row[-1] for row in by_sql} == {second}
