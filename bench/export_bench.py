"""Exports: the ranking through exports against bare openpyxl write-only / csv
writing the same rows read with one plain query, in the same run: time and peak memory."""

import csv
import gc
import json
import os
import tempfile
import time
import tracemalloc
from decimal import Decimal

from django.db import connection
from openpyxl import Workbook

from exports import content, writers

from . import seed
from .figures import Figure

BARE = """
SELECT r.rank, p.title, u.name, r.final_score, r.per_criterion, r.card_count, r.tier, r.amount
FROM evaluations_result r
JOIN evaluations_entry e ON e.id = r.entry_id
JOIN projects_project p ON p.id = e.project_id
JOIN members_union u ON u.id = p.applicant_union_id
WHERE r.roadshow_id = %s
ORDER BY r.rank, e."order", e.id
"""


def _average(value):
    return None if value in (None, "") else Decimal(str(value))


def _bare_rows(show, crits):
    """The rows the app writes, as plainly as one can: one query, the per-criterion averages
    decoded (Django hands jsonb back as text) and written as numbers, as the export does."""
    keys = [str(c.pk) for c in crits]
    with connection.cursor() as cur:
        cur.execute(BARE, [show.pk])
        while True:
            chunk = cur.fetchmany(2000)
            if not chunk:
                return
            for rank, title, union, final, per, cards, tier, amount in chunk:
                per = json.loads(per) if isinstance(per, str) else (per or {})
                yield [rank, title, union, final, *(_average(per.get(k)) for k in keys), cards, tier, amount]


def app_xlsx(show, path):
    with open(path, "wb") as f:
        writers.write_xlsx(content.ranking(show), f)


def app_csv(show, path):
    with open(path, "wb") as f:
        writers.write_csv(content.ranking(show), f)


def bare_xlsx(show, path):
    crits = list(show.rubric.criteria.all())
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("ranking")
    for row in _bare_rows(show, crits):
        ws.append(row)
    wb.save(path)


def bare_csv(show, path):
    crits = list(show.rubric.criteria.all())
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        for row in _bare_rows(show, crits):
            w.writerow(row)


def _time(fn, show, path, repeat):
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn(show, path)
        best = min(best, time.perf_counter() - start)
    return best


def _peak(fn, show, path):
    gc.collect()
    tracemalloc.start()
    try:
        fn(show, path)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def run(world, quick):
    big, small = (2000, 500) if quick else (10000, 2500)
    shows = {n: seed.ranked_roadshow(world, entries=n) for n in (small, big)}
    repeat = 2 if quick else 3
    figures = []
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "out")
        for fmt, app, bare in (("xlsx", app_xlsx, bare_xlsx), ("csv", app_csv, bare_csv)):
            for fn in (app, bare):  # warm both (imports, query plans)
                fn(shows[small], path)
            t_app = _time(app, shows[big], path, repeat)
            t_bare = _time(bare, shows[big], path, repeat)
            ratio = t_app / t_bare
            peaks = {(kind, n): _peak(fn, shows[n], path)
                     for kind, fn in (("app", app), ("bare", bare)) for n in (small, big)}
            grow_app = peaks["app", big] - peaks["app", small]
            grow_bare = peaks["bare", big] - peaks["bare", small]
            # "does not grow beyond the bare writer's": allow 64 KiB of slack for noise.
            slack = 64 * 1024
            name = f"exports.ranking_{fmt}.{big}"
            figures += [
                Figure(f"{name}.app_s", round(t_app, 4), "s"),
                Figure(f"{name}.bare_s", round(t_bare, 4), "s"),
                Figure(f"{name}.time_ratio", round(ratio, 2), "x", "<= 2", ratio <= 2),
                Figure(f"{name}.app_peak_kib", round(peaks["app", big] / 1024, 1), "KiB"),
                Figure(f"{name}.bare_peak_kib", round(peaks["bare", big] / 1024, 1), "KiB"),
                Figure(f"{name}.app_growth_kib_{small}_to_{big}", round(grow_app / 1024, 1), "KiB",
                       "<= bare growth + 64", grow_app <= max(grow_bare, 0) + slack),
                Figure(f"{name}.bare_growth_kib_{small}_to_{big}", round(grow_bare / 1024, 1), "KiB"),
            ]
    return figures
