"""Fixtures of the fault suite: the private stack (tests/faults/stack.py) and, for the tests
gathered here from the awards and scoring suites, jobs in process."""

import uuid

import pytest

from . import stack

TEMPLATE = "faults_template"


@pytest.fixture(autouse=True)
def jobs_in_process(eager_celery):
    """The _pg tests come from the awards and scoring suites: jobs run in process, as they did
    there (``eager_celery``, tests/conftest.py; so do ``jurors`` and ``entries_projects``)."""


@pytest.fixture(scope="session")
def private_pg():
    """One private PostgreSQL cluster per test process, with a migrated template database that
    each test copies (``CREATE DATABASE … TEMPLATE``: a second instead of a migrate)."""
    pg = stack.PrivatePostgres().start()
    try:
        pg.create_database(TEMPLATE)
        stack.manage(stack.app_env(pg.url(TEMPLATE), ""), "migrate", "--noinput", "-v0")
        yield pg
    finally:
        pg.stop()


class Stack:
    """One test's private world: its own database in the private cluster, its own Redis, and the
    gunicorn and worker processes it starts (all stopped at the end)."""

    def __init__(self, pg, redis, tmp_path):
        self.pg, self.redis, self.tmp_path = pg, redis, tmp_path
        self.db = f"faults_{uuid.uuid4().hex[:12]}"
        pg.create_database(self.db, template=TEMPLATE)
        self.env = stack.app_env(pg.url(self.db), redis.url())
        self.processes = []

    def seed(self, scenario, **options):
        return stack.seed(self.env, scenario, **options)

    def gunicorn(self, workers=3, **extra):
        server = stack.Gunicorn({**self.env, **{k: str(v) for k, v in extra.items()}}, workers,
                                log=self.tmp_path / "gunicorn.log")
        self.processes.append(server)
        return server.start()

    def worker(self, visibility_timeout=None):
        worker = stack.Worker(self.env, self.tmp_path / "worker.log")
        self.processes.append(worker)
        return worker.start(visibility_timeout)

    def sql(self, query, params=None):
        return self.pg.sql(self.db, query, params)

    def close(self):
        for process in reversed(self.processes):
            process.stop()
        try:
            self.pg.sql("postgres", f'DROP DATABASE IF EXISTS "{self.db}" WITH (FORCE)')
        except Exception:  # noqa: BLE001 - the cluster goes at the end of the session anyway
            pass


@pytest.fixture
def private_stack(private_pg, tmp_path):
    redis = stack.PrivateRedis().start()
    world = Stack(private_pg, redis, tmp_path)
    try:
        yield world
    finally:
        world.close()
        redis.stop()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    """A migrated SQLite file (the embedded default's database) that each test copies."""
    path = tmp_path_factory.mktemp("sqlite") / "template.sqlite3"
    stack.manage(stack.app_env(f"sqlite:///{path}", ""), "migrate", "--noinput", "-v0")
    return path


@pytest.fixture
def sqlite_stack(sqlite_template, tmp_path):
    """The embedded default as deployed for a small roadshow: gunicorn over a SQLite file (a copy
    of the template), tasks in process (no broker); ``.sql(query)`` reads the file."""
    import contextlib
    import shutil
    import sqlite3

    path = tmp_path / "db.sqlite3"
    shutil.copy(sqlite_template, path)

    class SqliteStack:
        env = stack.app_env(f"sqlite:///{path}", "")
        servers = []

        def seed(self, scenario, **options):
            return stack.seed(self.env, scenario, **options)

        def gunicorn(self, workers=3, **extra):
            server = stack.Gunicorn({**self.env, **{k: str(v) for k, v in extra.items()}}, workers,
                                    log=tmp_path / "gunicorn.log")
            self.servers.append(server)
            return server.start()

        def sql(self, query, params=()):
            with sqlite3.connect(path, timeout=30) as db:
                return db.execute(query, params).fetchall()

        @contextlib.contextmanager
        def write_lock(self):
            """Hold the file's write lock (``BEGIN IMMEDIATE``) until the block ends."""
            db = sqlite3.connect(path, timeout=30, isolation_level=None)
            try:
                db.execute("BEGIN IMMEDIATE")
                yield
                db.execute("ROLLBACK")
            finally:
                db.close()

    world = SqliteStack()
    try:
        yield world
    finally:
        for server in world.servers:
            server.stop()
