"""Fixtures of the fault suite: the private stack (tests/faults/stack.py) and, for the tests
gathered here from the awards and scoring suites, their fixtures."""

import uuid

import pytest

# The fixtures of the suites the _pg tests come from (jobs run in process, as they did there).
from tests.awards.conftest import eager_celery  # noqa: F401 - fixture
from tests.evaluations.conftest import entries_projects, jurors  # noqa: F401 - fixtures

from . import stack

TEMPLATE = "faults_template"


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
