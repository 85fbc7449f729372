"""The authorisation matrix of the API (/api/v1/…): every named API URL × every role → the
expected status, on the fixture world of ``world.py`` (see ``test_url_matrix.py`` for the page
URLs and the roles). A new API URL without an entry fails
``test_every_api_url_has_an_entry_in_the_matrix``.

Anonymous is 401 everywhere but the token endpoint (400 to an empty body). Read endpoints
answer lists filtered to what the role may see (200, possibly empty), objects outside it 404,
acts without the permission 403, acts in the wrong state 409, an empty body 400. Acts are
sent with an empty JSON body (``{}``), each request in a rolled-back savepoint. The project steps
are tried on the owning union's draft, the awards steps on the finalised roadshow, the setup and
scoring steps on the started one.
"""

import pytest
from django.db import transaction

from .matrix_kwargs import api_kwargs_for
from .urlwalk import api_path, our_routes
from .world import ROLES, build_world, roles

# name: (method, anonymous, staff of the owning union, staff of a sibling union, county admin above,
#        county admin elsewhere, juror on the roadshow, juror off the roadshow, admin)
EXPECTED_API = {
    "api-token":                           ("POST",  400,  400,  400,  400,  400,  400,  400,  400),
    "api-me":                              ("GET",  401,  200,  200,  200,  200,  200,  200,  200),
    "api-logout":                          ("POST",  401,  200,  200,  200,  200,  200,  200,  200),
    "api-union-list":                      ("GET",  401,  200,  200,  200,  200,  200,  200,  200),
    "api-union-detail":                    ("GET",  401,  200,  200,  200,  200,  200,  200,  200),
    "api-user-list":                       ("GET",  401,  403,  403,  403,  403,  403,  403,  200),
    "api-user-detail":                     ("GET",  401,  403,  403,  403,  403,  403,  403,  200),
    "api-user-reset-password":             ("POST",  401,  403,  403,  403,  403,  403,  403,  201),
    "api-attachment-download":             ("GET",  401,  200,  404,  200,  404,  404,  404,  404),
    "api-campaign-list":                   ("GET",  401,  200,  200,  200,  200,  200,  200,  200),
    "api-campaign-detail":                 ("GET",  401,  200,  200,  200,  200,  200,  200,  200),
    "api-project-list":                    ("GET",  401,  200,  200,  200,  200,  200,  200,  200),
    "api-project-detail":                  ("GET",  401,  200,  404,  200,  404,  404,  404,  404),
    "api-project-accept-closure":          ("POST",  401,  403,  404,  403,  404,  404,  404,  404),
    "api-project-approve":                 ("POST",  401,  403,  404,  403,  404,  404,  404,  404),
    "api-project-attachments":             ("GET",  401,  200,  404,  200,  404,  404,  404,  404),
    "api-project-closing-report":          ("POST",  401,  409,  404,  403,  404,  404,  404,  404),
    "api-project-closing-reports":         ("GET",  401,  200,  404,  200,  404,  404,  404,  404),
    "api-project-fail-closure":            ("POST",  401,  403,  404,  403,  404,  404,  404,  404),
    "api-project-history":                 ("GET",  401,  200,  404,  200,  404,  404,  404,  404),
    "api-project-progress-reports":        ("GET",  401,  200,  404,  200,  404,  404,  404,  404),
    "api-project-recommend":               ("POST",  401,  403,  404,  409,  404,  404,  404,  404),
    "api-project-reject":                  ("POST",  401,  403,  404,  403,  404,  404,  404,  404),
    "api-project-return":                  ("POST",  401,  403,  404,  409,  404,  404,  404,  404),
    "api-project-shortlist":               ("POST",  401,  403,  404,  403,  404,  404,  404,  404),
    "api-project-submit":                  ("POST",  401,  200,  404,  403,  404,  404,  404,  404),
    "api-replication-plan-list":           ("GET",  401,  200,  200,  200,  200,  200,  200,  200),
    "api-replication-plan-detail":         ("GET",  401,  200,  200,  200,  200,  404,  404,  200),
    "api-progress-overdue-list":           ("GET",  401,  403,  403,  200,  200,  403,  403,  200),
    "api-roadshow-entries":                ("GET",  401,  404,  404,  404,  404,  200,  404,  200),
    "api-roadshow-entries-reorder":        ("POST",  401,  404,  404,  404,  404,  403,  404,  400),
    "api-roadshow-entry":                  ("GET",  401,  404,  404,  404,  404,  200,  404,  200),
    "api-roadshow-entry-open":             ("POST",  401,  404,  404,  404,  404,  403,  404,  200),
    "api-roadshow-entry-close":            ("POST",  401,  404,  404,  404,  404,  403,  404,  409),
    "api-roadshow-jurors":                 ("GET",  401,  404,  404,  404,  404,  403,  404,  200),
    "api-roadshow-juror":                  ("PATCH",  401,  404,  404,  404,  404,  403,  404,  400),
    "api-roadshow-groups":                 ("GET",  401,  404,  404,  404,  404,  403,  404,  200),
    "api-roadshow-group":                  ("PATCH",  401,  404,  404,  404,  404,  403,  404,  409),
    "api-roadshow-recusals":               ("GET",  401,  404,  404,  404,  404,  403,  404,  200),
    "api-roadshow-recusal":                ("DELETE",  401,  404,  404,  404,  404,  403,  404,  204),
    "api-roadshow-objections":             ("GET",  401,  200,  200,  200,  200,  404,  404,  200),
    "api-campaign-rubrics":                ("GET",  401,  403,  403,  403,  403,  403,  403,  200),
    "api-roadshow-list":                   ("GET",  401,  200,  200,  200,  200,  200,  200,  200),
    "api-roadshow-detail":                 ("GET",  401,  404,  404,  404,  404,  200,  404,  200),
    "api-roadshow-close":                  ("POST",  401,  404,  404,  404,  404,  403,  404,  200),
    "api-roadshow-compute":                ("POST",  401,  403,  403,  403,  403,  404,  404,  409),
    "api-roadshow-finalize":               ("POST",  401,  403,  403,  403,  403,  404,  404,  409),
    "api-roadshow-jobs-latest":            ("GET",  401,  403,  403,  403,  403,  404,  404,  200),
    "api-roadshow-live":                   ("GET",  401,  404,  404,  404,  404,  200,  404,  200),
    "api-roadshow-preview":                ("POST",  401,  403,  403,  403,  403,  404,  404,  200),
    "api-roadshow-progress":               ("GET",  401,  404,  404,  404,  404,  403,  404,  200),
    "api-roadshow-publicize":              ("POST",  401,  403,  403,  403,  403,  404,  404,  400),
    "api-roadshow-reopen":                 ("POST",  401,  403,  403,  403,  403,  404,  404,  400),
    "api-roadshow-results":                ("GET",  401,  200,  200,  200,  200,  404,  404,  200),
    "api-roadshow-scoreboard":             ("GET",  401,  404,  404,  404,  404,  200,  404,  200),
    "api-roadshow-scoring-results":        ("GET",  401,  403,  403,  403,  403,  404,  404,  200),
    "api-roadshow-start":                  ("POST",  401,  404,  404,  404,  404,  403,  404,  409),
    "api-roadshow-tiers":                  ("GET",  401,  200,  200,  200,  200,  404,  404,  200),
    "api-scorecard-list":                  ("GET",  401,  200,  200,  200,  200,  200,  200,  200),
    "api-scorecard-detail":                ("GET",  401,  404,  404,  404,  404,  200,  404,  200),
    "api-scorecard-reopen":                ("POST",  401,  404,  404,  404,  404,  403,  404,  409),
    "api-scorecard-submit":                ("POST",  401,  404,  404,  404,  404,  400,  404,  403),
    "api-task-detail":                     ("GET",  401,  404,  404,  404,  404,  404,  404,  200),
    "api-objection-answer":                ("POST",  401,  403,  404,  404,  404,  404,  404,  400),
    "api-payout-list":                     ("GET",  401,  200,  200,  200,  200,  200,  200,  200),
    "api-payout-bulk-approve":             ("POST",  401,  403,  403,  403,  403,  403,  403,  400),
    "api-payout-approve":                  ("POST",  401,  403,  404,  403,  404,  404,  404,  200),
    "api-payout-mark-paid":                ("POST",  401,  403,  404,  403,  404,  404,  404,  409),
    "api-unit-ranking-list":               ("GET",  401,  400,  400,  400,  400,  400,  400,  400),
    "api-unit-ranking-compute":            ("POST",  401,  403,  403,  403,  403,  403,  403,  400),
    "api-roadshow-export":                 ("GET",  401,  400,  400,  400,  400,  404,  404,  400),
    "api-export-job":                      ("GET",  401,  404,  404,  404,  404,  404,  404,  200),
    "api-export-download":                 ("GET",  401,  404,  404,  404,  404,  404,  404,  409),}


def test_every_api_url_has_an_entry_in_the_matrix():
    missing = sorted(set(our_routes(api=True)) - set(EXPECTED_API))
    assert not missing, f"API URLs without an entry in EXPECTED_API (say who may call them): {missing}"
    assert not sorted(set(EXPECTED_API) - set(our_routes(api=True)))


@pytest.fixture
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.mark.parametrize("role", ROLES)
def test_every_api_url_answers_each_role_as_the_matrix_says(client_for, people, tree, campaign, role,
                                                            media_in_tmp):
    world = build_world(people, tree, campaign)
    user = roles(people, world)[role]
    column = ROLES.index(role) + 1
    wrong = []
    for name, route in our_routes(api=True).items():
        expected = EXPECTED_API.get(name)
        if expected is None:
            continue  # reported by test_every_api_url_has_an_entry_in_the_matrix
        url = api_path(name, route, api_kwargs_for(name, world))
        method = expected[0].lower()
        with transaction.atomic():
            client = client_for(user)
            if method == "get":
                response = client.get(url)
            else:
                response = getattr(client, method)(url, "{}", content_type="application/json")
            transaction.set_rollback(True)
        if response.status_code != expected[column]:
            wrong.append(f"{expected[0]} {url} ({name}) as {role}: {response.status_code}, expected {expected[column]}")
    assert not wrong, "\n".join(wrong)
