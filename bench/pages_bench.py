"""Page load under concurrent readers, through gunicorn in production mode on 127.0.0.1 (the
server and load clients of ``http_bench``): rps and p95 of the project list (an admin's
session), the juror's card list ``/score/``, the live console ``/roadshows/{id}/live/`` (and the
partial it polls every 2 s) and the results page ``/roadshows/{id}/results/``.

The project list is measured at several sizes of the same admin's list (1,000 / 5,000 / 15,000
visible projects, grown in place on the same server) so its growth is a same-run ratio: a page
shows 25 rows, so it should cost about the same whatever the number of rows behind it.

Its data lives in a union tree of its own (a city, ten counties, an admin, a campaign), so the
projects the other groups seed into the shared world do not change its sizes."""

import datetime
import os
import random
import shutil
import statistics
import time
from decimal import Decimal

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from evaluations.enums import CardStatus, EntryState, RoadshowStatus
from evaluations.models import Entry, Roadshow, Scorecard
from members.enums import UnionLevel
from members.models import Union, User
from projects.enums import ProjectStatus
from projects.models import Campaign, Project

from . import seed
from .figures import Figure
from .http_bench import Server, _check, _session_cookie, load

SIZES_FULL = (1000, 5000, 15000)
SIZES_QUICK = (250, 1000)
CLIENTS = 20
# What a city's list holds besides drafts (which an admin does not see): mostly filed and
# decided projects, a few under way or closed.
STATUS_MIX = [
    (ProjectStatus.DRAFT, 10), (ProjectStatus.SUBMITTED, 20), (ProjectStatus.RECOMMENDED, 10),
    (ProjectStatus.APPROVED, 15), (ProjectStatus.REJECTED, 10), (ProjectStatus.SHORTLISTED, 15),
    (ProjectStatus.AWARDED, 10), (ProjectStatus.CLOSING, 5), (ProjectStatus.CLOSED, 5),
]
TABLES = ("members_union", "projects_campaign", "projects_project", "evaluations_roadshow", "evaluations_entry",
          "evaluations_juryseat", "evaluations_scorecard", "evaluations_score")
CATEGORIES = ["职工帮扶服务", "劳模工匠创新", "职工文化建设", "基层组织建设", "网上工会"]


class ListWorld:
    """A city of its own with ten counties, an admin and a campaign; ``grow_to(n)`` adds
    projects until ``n`` of them are visible to the admin (drafts are filed beside them)."""

    def __init__(self):
        self.city = Union.objects.create(name="页面基准市总工会", short_name="页面市", level=UnionLevel.MUNICIPAL)
        self.counties = [Union.objects.create(name=f"页面基准{i}区总工会", short_name=f"页面{i}区",
                                              level=UnionLevel.COUNTY, parent=self.city) for i in range(10)]
        self.admin = User(username="bench-pages-admin", name="页面管理员", is_admin_role=True, union=self.city)
        self.admin.set_password(seed.PASSWORD)
        self.admin.save()
        today = timezone.localdate()
        self.campaigns = [Campaign.objects.create(
            year=today.year - back, title=f"{today.year - back}年度页面基准项目", owner_union=self.city,
            filing_opens=today - datetime.timedelta(days=30 + 365 * back),
            filing_deadline=today + datetime.timedelta(days=30 - 365 * back), budget=Decimal("10000000.00"))
            for back in range(3)]
        self.rng = random.Random(5)
        self.made = 0
        self.statuses = [s for s, weight in STATUS_MIX for _ in range(weight)]

    def visible(self):
        return Project.objects.filter(campaign__owner_union=self.city).exclude(status=ProjectStatus.DRAFT).count()

    def grow_to(self, visible):
        rng, rows = self.rng, []
        need = visible - self.visible()
        while need > 0:
            status = rng.choice(self.statuses)
            need -= status != ProjectStatus.DRAFT
            self.made += 1
            rows.append(Project(
                campaign=rng.choice(self.campaigns), applicant_union=rng.choice(self.counties),
                title=f"页面基准项目{self.made:06d}", category=rng.choice(CATEGORIES),
                summary="项目简介:为职工提供服务。" * 5, budget_requested=Decimal(rng.randint(10, 500) * 1000),
                status=status))
        Project.objects.bulk_create(rows, batch_size=seed.BATCH)
        # created_at is auto_now_add: spread it over the years so the order is the real one.
        now = timezone.now()
        for project in rows:
            project.created_at = now - datetime.timedelta(minutes=rng.randint(0, 3 * 365 * 24 * 60))
        Project.objects.bulk_update(rows, ["created_at"], batch_size=seed.BATCH)
        steady_state()


def steady_state():
    """What autovacuum does to a database in use a minute after a bulk load: planner statistics
    and the visibility map (index-only scans). Without it the planner sees the tables as empty."""
    with connection.cursor() as cur:
        for table in TABLES:
            cur.execute(f"VACUUM ANALYZE {table}")


def live_roadshow(world, *, entries, jurors_count, done):
    """A live roadshow being scored: the first ``done`` entries closed with every card submitted,
    the next one open with drafts, the rest waiting."""
    show, people, cards = seed.scored_roadshow(world, entries=entries, jurors_count=jurors_count,
                                               status=RoadshowStatus.SCORING)
    now = timezone.now()
    Roadshow.objects.filter(pk=show.pk).update(live=True, started_at=now)
    ordered = list(Entry.objects.filter(roadshow=show).order_by("order"))
    closed = [e.pk for e in ordered[:done]]
    Entry.objects.filter(pk__in=closed).update(state=EntryState.CLOSED, opened_at=now, closed_at=now)
    Entry.objects.filter(pk=ordered[done].pk).update(state=EntryState.OPEN, opened_at=now)
    Scorecard.objects.filter(entry_id__in=closed).update(status=CardStatus.SUBMITTED, submitted_at=now)
    return show, people


def in_process(path, user, repeat):
    """The page rendered in this process (no HTTP, no other client): the best and the median
    of ``repeat`` wall times, the database's share of the best, and the number of queries. The
    best of many runs is the figure a loaded machine disturbs least."""
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    client.get(path)
    runs = []
    for _ in range(repeat):
        db = [0.0, 0]

        def timed(execute, sql, params, many, context):
            start = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                db[0] += time.perf_counter() - start
                db[1] += 1

        start = time.perf_counter()
        with connection.execute_wrapper(timed):
            response = client.get(path)
        runs.append((time.perf_counter() - start, db[0], db[1]))
        if response.status_code != 200:
            raise RuntimeError(f"GET {path} answered {response.status_code}")
    best = min(runs)
    return {"best_ms": best[0] * 1000, "median_ms": statistics.median(r[0] for r in runs) * 1000,
            "db_ms": best[1] * 1000, "queries": best[2], **database_work(client, path)}


def database_work(client, path):
    """What PostgreSQL itself does for the page: the buffers (8 kB pages) its queries touch and
    the execution time it reports, from ``EXPLAIN (ANALYZE, BUFFERS, TIMING OFF)`` of every
    query the page runs (TIMING OFF: no clock read per row, which would inflate a COUNT).
    The buffer count does not depend on the machine's load: the growth table's witness."""
    with CaptureQueriesContext(connection) as ctx:
        client.get(path)
    buffers, exec_ms = 0, 0.0
    with connection.cursor() as cur:
        for query in ctx.captured_queries:
            sql = query["sql"]
            if sql.startswith("DECLARE"):  # a server-side cursor (a form's choices): its SELECT
                sql = sql[sql.index(" FOR SELECT ") + len(" FOR "):]
            if not sql.startswith("SELECT"):
                continue
            cur.execute("EXPLAIN (ANALYZE, BUFFERS, TIMING OFF, FORMAT JSON) " + sql)
            plan = cur.fetchone()[0][0]
            top = plan["Plan"]
            buffers += top.get("Shared Hit Blocks", 0) + top.get("Shared Read Blocks", 0)
            exec_ms += plan["Execution Time"]
    return {"buffers": buffers, "pg_exec_ms": exec_ms}


def _figures(name, r):
    return [
        Figure(f"pages.{name}.c{CLIENTS}.rps", round(r["rps"], 1), "req/s"),
        Figure(f"pages.{name}.c{CLIENTS}.p95_ms", round(r["p95_ms"], 1), "ms"),
        Figure(f"pages.{name}.c{CLIENTS}.errors", r["errors"], "count", "0", r["errors"] == 0),
    ]


def run(world, quick):
    sizes = SIZES_QUICK if quick else SIZES_FULL
    seconds = 1 if quick else 8
    lists = ListWorld()
    # A city roadshow: 40 entries, 15 jurors (600 cards, 2,400 scores with the default rubric); half of it scored.
    live, people = live_roadshow(world, entries=40, jurors_count=15, done=20)
    closed, _people, _cards = seed.scored_roadshow(world, entries=40, jurors_count=15)
    steady_state()

    def get(path, user):
        return [("GET", path, {"Cookie": _session_cookie(user)}, None)]

    users = {"juror_list": people[0], "console": world.admin, "console_progress": world.admin, "results": world.admin}
    pages = {
        "juror_list": get("/score/", people[0]),
        "console": get(f"/roadshows/{live.pk}/live/", world.admin),
        "console_progress": get(f"/roadshows/{live.pk}/live/progress/", world.admin),
        "results": get(f"/roadshows/{closed.pk}/results/", world.admin),
    }
    project_list = get("/projects/", lists.admin)
    figures = []
    workers = 2 * (os.cpu_count() or 1) + 1
    with Server(workers) as server:
        figures.append(Figure(f"pages.client_{'wrk' if shutil.which('wrk') else 'python'}.gunicorn_workers",
                              workers, "workers"))
        # Every worker's first requests import and compile (templates, translations, URL
        # resolvers): one warm-up over every page, so the first size measured does not pay it.
        lists.grow_to(sizes[0])
        load(server.port, project_list + [t for targets in pages.values() for t in targets], CLIENTS,
             1 if quick else 5)
        growth = {}
        for size in sizes:
            lists.grow_to(size)
            local = in_process("/projects/", lists.admin, 5 if quick else 40)
            figures += [
                Figure(f"pages.project_list.n{size}.in_process_best_ms", round(local["best_ms"], 1), "ms"),
                Figure(f"pages.project_list.n{size}.in_process_db_ms", round(local["db_ms"], 1), "ms"),
                Figure(f"pages.project_list.n{size}.queries", local["queries"], "queries"),
                Figure(f"pages.project_list.n{size}.pg_buffers", local["buffers"], "pages"),
                Figure(f"pages.project_list.n{size}.pg_exec_ms", round(local["pg_exec_ms"], 2), "ms"),
            ]
            growth.setdefault("local", {})[size] = local
            _check(server.port, project_list[0])
            if not quick:  # --quick: the warm-up above has been the only one
                load(server.port, project_list, CLIENTS, 1)  # warm every worker
            r = growth[size] = load(server.port, project_list, CLIENTS, seconds)
            figures += _figures(f"project_list.n{size}", r)
        small, large = growth[sizes[0]], growth[sizes[-1]]
        figures.append(Figure(f"pages.project_list.rps_n{sizes[-1]}_vs_n{sizes[0]}",
                              round(large["rps"] / small["rps"], 2), "x", "~1 (rows do not cost)"))
        local_small, local_large = growth["local"][sizes[0]], growth["local"][sizes[-1]]
        figures.append(Figure(f"pages.project_list.in_process_n{sizes[-1]}_vs_n{sizes[0]}",
                              round(local_large["best_ms"] / local_small["best_ms"], 2), "x", "~1"))
        # The load-independent witness: a page of 25 must not read pages in proportion to the
        # rows behind it (before the list's index: x8.2 from 1,000 to 15,000; now x1.4, the
        # COUNT's index-only scan).
        grown = local_large["buffers"] / local_small["buffers"]
        figures.append(Figure(f"pages.project_list.pg_buffers_n{sizes[-1]}_vs_n{sizes[0]}", round(grown, 2), "x",
                              "<= 2", grown <= 2))
        for name, targets in pages.items():
            local = in_process(targets[0][1], users[name], 3 if quick else 20)
            figures += [
                Figure(f"pages.{name}.in_process_best_ms", round(local["best_ms"], 1), "ms"),
                Figure(f"pages.{name}.queries", local["queries"], "queries"),
                Figure(f"pages.{name}.pg_buffers", local["buffers"], "pages"),
            ]
            _check(server.port, targets[0])
            if not quick:
                load(server.port, targets, CLIENTS, 1)
            figures += _figures(name, load(server.port, targets, CLIENTS, seconds))
    return figures
