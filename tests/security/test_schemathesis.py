"""Schemathesis against the served OpenAPI schema (/api/schema/): every operation × {admin, staff}.

Each test runs one operation of the schema, as one role, with at least ``MAX_EXAMPLES`` (100)
generated requests, in process through the WSGI application, on the fixture world of
``world.py`` (a campaign with projects in several states, a started roadshow with entries, jurors,
groups, a recusal and a card, a finalised one with results, an objection and a payout, a
replication plan). Half the path parameters are ids of that world's objects (so requests reach
the objects and their state machines), the others are whatever the schema allows. Every response
must be no 5xx, a status code the schema declares, a content type it declares, and a body that
matches the declared schema for that status code.

The requests mutate the world (acts, DELETEs, transitions): that is the point, and each test runs
in its own rolled-back transaction (the world is built again for each).

Examples: ``max_examples=100`` per operation and role (Hypothesis stops earlier only when an
operation's inputs run out, which none of ours do). Cost, kept down without fewer examples:
generation is seeded per operation and role (the same examples each run, so CI is reproducible,
and the two roles get different ones), there is no example database, the health checks about
slow data generation are off and there is no deadline (a request may take its time), and there is
no shrinking (a shrunk example would replay against a world the earlier examples changed: the
first failing example is reported as found). What remains is the application's own cost: about
18,400 requests through the whole middleware stack plus 184 world builds, about 5.5 minutes of
CPU in all (docs/SECURITY.md).
"""

import zlib

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from awards.models import ComputeJob, Objection, Payout
from evaluations.models import Entry, JurorGroup, JurySeat, Recusal, Roadshow, Scorecard
from exports.models import ExportJob
from members.credentials import issue_token
from members.models import Union, User
from projects.models import Attachment, Campaign, Project, ReplicationPlan
from unionproj.wsgi import application

from .world import build_world

MAX_EXAMPLES = 100
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
SCHEMA = schemathesis.openapi.from_wsgi("/api/schema/", application)
OPERATIONS = [result.ok() for result in SCHEMA.get_all_operations()]
ROLES = ["admin", "staff"]


@pytest.fixture
def wsgi_in_test_transaction():
    """The WSGI handler closes the database connection after each request (``request_finished``):
    inside the test's transaction that would poison it. Django's test client unhooks the same
    signal for the same reason."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def fuzz_world(people, tree, campaign, wsgi_in_test_transaction):
    return build_world(people, tree, campaign)


def real_path_parameters(path):
    """Path parameters naming objects that exist, for the operation at ``path``."""
    segments = path.strip("/").split("/")

    def ids(model):
        return list(model.objects.values_list("pk", flat=True))

    if "{task_id}" in path:
        values = list(ComputeJob.objects.values_list("task_id", flat=True))
        values += list(ExportJob.objects.values_list("task_id", flat=True))
        return [{"task_id": v} for v in values if v]
    if "{roadshow_pk}" in path:
        roadshows = ids(Roadshow)
        tail = segments[segments.index("{roadshow_pk}") + 1:]
        if "{id}" in tail or "{user_pk}" in tail:
            kind = tail[0]
            if kind == "entries":
                pairs = Entry.objects.values_list("roadshow_id", "pk")
            elif kind == "groups":
                pairs = JurorGroup.objects.values_list("roadshow_id", "pk")
            elif kind == "jurors":
                pairs = JurySeat.objects.values_list("roadshow_id", "user_id")
                return [{"roadshow_pk": r, "user_pk": u} for r, u in pairs]
            elif kind == "recusals":
                pairs = Recusal.objects.values_list("seat__roadshow_id", "pk")
            else:
                raise AssertionError(f"no real parameters for {path}")
            return [{"roadshow_pk": r, "id": i} for r, i in pairs]
        return [{"roadshow_pk": r} for r in roadshows]
    if "{campaign_pk}" in path:
        return [{"campaign_pk": c} for c in ids(Campaign)]
    if "{id}" not in path:
        return []
    model = {
        "attachments": Attachment, "campaigns": Campaign, "objections": Objection, "payouts": Payout,
        "projects": Project, "replication-plans": ReplicationPlan, "roadshows": Roadshow, "scorecards": Scorecard,
        "unions": Union, "users": User,
    }[segments[segments.index("{id}") - 1]]
    return [{"id": pk} for pk in ids(model)]


def cases(operation):
    """Generated requests for ``operation``: half on real objects, half on any parameters."""
    anything = operation.as_strategy()
    real = real_path_parameters(operation.path)
    if not real:
        return anything
    on_real = st.sampled_from(real).flatmap(lambda params: operation.as_strategy(path_parameters=params))
    return st.one_of(on_real, anything)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: op.label)
def test_operation_answers_as_its_schema_says(operation, role, people, fuzz_world):
    user = people["admin"] if role == "admin" else fuzz_world["staff_owner"]
    headers = {"Authorization": f"Token {issue_token(user=user)}"}

    @seed(zlib.crc32(f"{operation.label} {role}".encode()))
    @settings(max_examples=MAX_EXAMPLES, deadline=None, database=None,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    @given(case=cases(operation))
    def run(case):
        case.call_and_validate(headers=headers, checks=CHECKS)

    run()
