"""The authorisation matrix: every named page URL of the site × every role → the expected HTTP
status, generated from the URL configuration (``urlwalk.our_routes``) and checked against a
hand-written table. A URL without an entry in ``EXPECTED`` fails
``test_every_url_has_an_entry_in_the_matrix``: a new page must say who may open it.

Each URL is requested once per role on the fixture world of ``world.py`` (owning union 澄江,
a town under 江阴; see the roles there), each request inside a rolled-back savepoint so that a
POST cannot change what the next one sees. Pages are fetched with GET; views that only accept
POST are sent a POST with an empty body, and the status is what the view answers to that role:
302 to the login page (anonymous), 403 (a role that may not act), 404 (an object the role may
not see), 400 or 302 back with an error message (a role that may act, sent an empty form).

Reading the table: anonymous is always 302 (to the login) except the login page and /healthz/;
everyone signed in is bounced from the login page (302). Drafts are private to their union and
the county admins above it (``projects:detail``, the draft, is 404 to the municipal admin).
"""

import pytest
from django.db import transaction

from .matrix_kwargs import kwargs_for, query_for
from .urlwalk import fill, our_routes
from .world import ROLES, build_world, roles

# name: (method, anonymous, staff of the owning union, staff of a sibling union, county admin above,
#        county admin elsewhere, juror on the roadshow, juror off the roadshow, admin)
EXPECTED = {
    "healthz":                             ("GET",  200,  200,  200,  200,  200,  200,  200,  200),
    "audit:list":                          ("GET",  302,  403,  403,  403,  403,  403,  403,  200),
    "audit:lockouts":                      ("GET",  302,  403,  403,  403,  403,  403,  403,  200),
    "audit:unlock":                        ("POST",  302,  403,  403,  403,  403,  403,  403,  302),
    "home":                                ("GET",  302,  200,  200,  200,  200,  200,  200,  200),
    "login":                               ("GET",  200,  302,  302,  302,  302,  302,  302,  302),
    "logout":                              ("POST",  302,  302,  302,  302,  302,  302,  302,  302),
    "password_change":                     ("GET",  302,  200,  200,  200,  200,  200,  200,  200),
    "password_change_done":                ("GET",  302,  200,  200,  200,  200,  200,  200,  200),
    "members:union_list":                  ("GET",  302,  403,  403,  403,  403,  403,  403,  200),
    "members:union_create":                ("GET",  302,  403,  403,  403,  403,  403,  403,  200),
    "members:union_edit":                  ("GET",  302,  403,  403,  403,  403,  403,  403,  200),
    "members:user_list":                   ("GET",  302,  403,  403,  403,  403,  403,  403,  200),
    "members:user_create":                 ("GET",  302,  403,  403,  403,  403,  403,  403,  200),
    "members:user_edit":                   ("GET",  302,  403,  403,  403,  403,  403,  403,  200),
    # Issue 13: an admin issues a one-time reset link (the page shows it); a wrong code is 404 to all.
    "members:user_reset_password":         ("POST",  302,  403,  403,  403,  403,  403,  403,  200),
    "password_reset_code":                 ("GET",  404,  404,  404,  404,  404,  404,  404,  404),
    "campaigns:list":                      ("GET",  302,  200,  200,  200,  200,  200,  200,  200),
    "campaigns:create":                    ("GET",  302,  403,  403,  403,  403,  403,  403,  200),
    "campaigns:detail":                    ("GET",  302,  200,  200,  200,  200,  200,  200,  200),
    "campaigns:edit":                      ("GET",  302,  403,  403,  403,  403,  403,  403,  200),
    "projects:list":                       ("GET",  302,  200,  200,  200,  200,  200,  200,  200),
    "projects:create":                     ("GET",  302,  200,  200,  403,  403,  403,  403,  403),
    "projects:detail":                     ("GET",  302,  200,  404,  200,  404,  404,  404,  404),
    "projects:edit":                       ("GET",  302,  200,  404,  403,  404,  404,  404,  404),
    "projects:action":                     ("POST",  302,  302,  404,  403,  404,  404,  404,  404),
    "projects:reopen-filing":              ("POST",  302,  403,  404,  403,  404,  404,  404,  404),
    "projects:attachment-upload":          ("POST",  302,  302,  404,  403,  404,  404,  404,  404),
    "projects:attachment-download":        ("GET",  302,  200,  404,  200,  404,  404,  404,  404),
    "projects:attachment-delete":          ("POST",  302,  302,  404,  403,  404,  404,  404,  404),
    "projects:closing-report":             ("POST",  302,  302,  403,  403,  404,  404,  404,  403),
    "projects:progress-report":            ("POST",  302,  302,  404,  403,  404,  404,  404,  403),
    "projects:replicate":                  ("POST",  302,  302,  302,  302,  404,  404,  404,  302),
    "projects:replication-list":           ("GET",  302,  200,  200,  200,  200,  200,  200,  200),
    "projects:replication-detail":         ("GET",  302,  200,  200,  200,  200,  404,  404,  200),
    "projects:overdue-reports":            ("GET",  302,  403,  403,  200,  200,  403,  403,  200),
    "projects:history-import":             ("GET",  302,  403,  403,  403,  403,  403,  403,  200),
    "projects:history-template":           ("GET",  302,  403,  403,  403,  403,  403,  403,  200),
    "projects:screening":                  ("GET",  302,  403,  403,  200,  200,  403,  403,  200),
    "projects:screening-bulk":             ("POST",  302,  403,  403,  302,  302,  403,  403,  302),
    "evaluations:list":                    ("GET",  302,  403,  403,  403,  403,  403,  403,  200),
    "evaluations:create":                  ("GET",  302,  403,  403,  403,  403,  403,  403,  200),
    "evaluations:setup":                   ("GET",  302,  404,  404,  404,  404,  403,  404,  200),
    "evaluations:rubrics":                 ("GET",  302,  403,  403,  403,  403,  403,  403,  200),
    "evaluations:settings":                ("POST",  302,  404,  404,  404,  404,  403,  404,  302),
    "evaluations:entries-add":             ("POST",  302,  404,  404,  404,  404,  403,  404,  302),
    "evaluations:entry-remove":            ("POST",  302,  404,  404,  404,  404,  403,  404,  302),
    "evaluations:entry-move":              ("POST",  302,  404,  404,  404,  404,  403,  404,  302),
    "evaluations:juror-add":               ("POST",  302,  404,  404,  404,  404,  403,  404,  302),
    "evaluations:juror-remove":            ("POST",  302,  404,  404,  404,  404,  403,  404,  302),
    "evaluations:juror-group":             ("POST",  302,  404,  404,  404,  404,  403,  404,  302),
    "evaluations:group-add":               ("POST",  302,  404,  404,  404,  404,  403,  404,  302),
    "evaluations:group-save":              ("POST",  302,  404,  404,  404,  404,  403,  404,  302),
    "evaluations:recusal-add":             ("POST",  302,  404,  404,  404,  404,  403,  404,  302),
    "evaluations:recusal-remove":          ("POST",  302,  404,  404,  404,  404,  403,  404,  302),
    "evaluations:start":                   ("POST",  302,  404,  404,  404,  404,  403,  404,  302),
    "evaluations:close":                   ("POST",  302,  404,  404,  404,  404,  403,  404,  302),
    "evaluations:live":                    ("GET",  302,  404,  404,  404,  404,  403,  404,  200),
    "evaluations:live-progress":           ("GET",  302,  404,  404,  404,  404,  403,  404,  200),
    "evaluations:entry-open-next":         ("POST",  302,  404,  404,  404,  404,  403,  404,  302),
    "evaluations:entry-open":              ("POST",  302,  404,  404,  404,  404,  403,  404,  302),
    "evaluations:entry-close":             ("POST",  302,  404,  404,  404,  404,  403,  404,  302),
    "evaluations:card-reopen":             ("GET",  302,  404,  404,  404,  404,  403,  404,  200),
    "evaluations:screen":                  ("GET",  302,  404,  404,  404,  404,  403,  404,  200),
    "evaluations:screen-panel":            ("GET",  302,  404,  404,  404,  404,  403,  404,  200),
    "evaluations:results":                 ("GET",  302,  404,  404,  404,  404,  403,  404,  200),
    "evaluations:awards":                  ("GET",  302,  403,  403,  403,  403,  404,  404,  200),
    "evaluations:awards-tiers":            ("POST",  302,  403,  403,  403,  403,  404,  404,  400),
    "evaluations:awards-compute":          ("POST",  302,  403,  403,  403,  403,  404,  404,  302),
    "evaluations:awards-job":              ("GET",  302,  403,  403,  403,  403,  404,  404,  200),
    "evaluations:awards-preview":          ("POST",  302,  403,  403,  403,  403,  404,  404,  400),
    "evaluations:awards-publicize":        ("POST",  302,  403,  403,  403,  403,  404,  404,  302),
    "evaluations:awards-answer":           ("POST",  302,  403,  403,  403,  403,  404,  404,  302),
    "evaluations:awards-finalize":         ("POST",  302,  403,  403,  403,  403,  404,  404,  302),
    "evaluations:awards-reopen":           ("POST",  302,  403,  403,  403,  403,  404,  404,  302),
    "evaluations:published-list":          ("GET",  302,  200,  200,  200,  200,  200,  200,  200),
    "evaluations:public-results":          ("GET",  302,  200,  200,  200,  200,  404,  404,  200),
    "evaluations:objection-file":          ("POST",  302,  400,  400,  403,  403,  404,  404,  403),
    "evaluations:payouts":                 ("GET",  302,  200,  200,  200,  200,  403,  403,  200),
    "evaluations:payout-bulk-approve":     ("POST",  302,  403,  403,  403,  403,  403,  403,  302),
    "evaluations:payout-approve":          ("POST",  302,  403,  404,  403,  404,  404,  404,  302),
    "evaluations:payout-mark-paid":        ("POST",  302,  403,  404,  403,  404,  404,  404,  302),
    "evaluations:unit-ranking":            ("GET",  302,  200,  200,  200,  200,  200,  200,  200),
    "evaluations:unit-ranking-compute":    ("POST",  302,  403,  403,  403,  403,  403,  403,  302),
    "evaluations:unit-ranking-job":        ("GET",  302,  403,  403,  403,  403,  403,  403,  200),
    "evaluations:score":                   ("GET",  302,  403,  403,  403,  403,  200,  200,  403),
    "evaluations:juror-summary":           ("GET",  302,  200,  200,  200,  200,  200,  200,  200),
    "evaluations:live-now":                ("GET",  302,  403,  403,  403,  403,  200,  404,  403),
    "evaluations:card":                    ("GET",  302,  404,  404,  404,  404,  200,  404,  404),
    "evaluations:card-autosave":           ("POST",  302,  404,  404,  404,  404,  302,  404,  404),
    "evaluations:card-submit":             ("POST",  302,  404,  404,  404,  404,  200,  404,  404),
    "evaluations:attachment-download":     ("GET",  302,  404,  404,  404,  404,  200,  404,  404),
    "exports:page":                        ("GET",  302,  200,  403,  200,  403,  404,  404,  200),
    "exports:download":                    ("GET",  302,  400,  400,  400,  400,  404,  404,  400),
    "exports:start":                       ("POST",  302,  302,  302,  302,  302,  404,  404,  302),
    "exports:job":                         ("GET",  302,  404,  404,  404,  404,  404,  404,  200),
    "exports:job-download":                ("GET",  302,  404,  404,  404,  404,  404,  404,  302),
    "dashboards:campaign":                 ("GET",  302,  403,  403,  200,  200,  403,  403,  200),
    "dashboards:campaign-detail":          ("GET",  302,  403,  403,  200,  200,  403,  403,  200),
    "dashboards:years":                    ("GET",  302,  403,  403,  200,  200,  403,  403,  200),}


def test_every_url_has_an_entry_in_the_matrix():
    missing = sorted(set(our_routes()) - set(EXPECTED))
    assert not missing, f"URLs without an entry in EXPECTED (say who may open them): {missing}"


def test_the_matrix_names_no_url_that_is_gone():
    assert not sorted(set(EXPECTED) - set(our_routes()))


@pytest.fixture
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.mark.parametrize("role", ROLES)
def test_every_url_answers_each_role_as_the_matrix_says(client_for, people, tree, campaign, role, media_in_tmp):
    world = build_world(people, tree, campaign)
    user = roles(people, world)[role]
    column = ROLES.index(role) + 1
    wrong = []
    for name, route in our_routes().items():
        expected = EXPECTED.get(name)
        if expected is None:
            continue  # reported by test_every_url_has_an_entry_in_the_matrix
        url = fill(route, kwargs_for(name, route, world)) + query_for(name, world)
        with transaction.atomic():
            client = client_for(user)
            response = client.post(url, {}) if expected[0] == "POST" else client.get(url)
            transaction.set_rollback(True)
        if response.status_code != expected[column]:
            wrong.append(f"{expected[0]} {url} ({name}) as {role}: {response.status_code}, expected {expected[column]}")
        elif user is None and response.status_code == 302 and "/accounts/login/" not in response["Location"]:
            wrong.append(f"{url} ({name}) as anonymous redirects to {response['Location']}, not the login")
    assert not wrong, "\n".join(wrong)
