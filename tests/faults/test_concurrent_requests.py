"""Faults 4 and 5 through real HTTP, on the private stack (gunicorn with several worker
processes in front of a private PostgreSQL, so requests really run at the same time — in both
CI passes):

* two admins press 「定稿」 at the same moment: exactly one ``200``, the other ``409``; one
  finalize event, one payout per award;
* a juror's phone sends the same submit twice (a double tap, a retry): one ``200``, the other
  ``409``; one submitted card, one score per criterion, one submit event.

The same races at the service and test-client level, on the test database: test_concurrent_*_pg.py
and test_parallel_submit_api_pg.py (PostgreSQL pass).
"""

import threading

API = "/api/v1"


def together(server, calls):
    """Each ``(method, path, body, token)`` from its own thread, released at once; the statuses."""
    barrier = threading.Barrier(len(calls))
    statuses = [None] * len(calls)

    def send(i, method, path, body, token):
        barrier.wait(timeout=30)
        try:
            statuses[i] = server.request(method, path, body, token=token)[0]
        except OSError as exc:
            statuses[i] = repr(exc)

    threads = [threading.Thread(target=send, args=(i, *call)) for i, call in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return statuses


def test_two_admins_finalising_at_once_one_succeeds_the_other_gets_409(private_stack):
    world = private_stack.seed("closed", admins=2, compute=True)
    roadshow, tokens = world["roadshow"], world["admin_tokens"]
    server = private_stack.gunicorn(workers=2)
    path = f"{API}/roadshows/{roadshow}/finalize/"

    statuses = together(server, [("POST", path, None, token) for token in tokens])

    assert sorted(statuses) == [200, 409], statuses
    assert private_stack.sql("SELECT status FROM evaluations_roadshow") == [("finalized",)]
    assert private_stack.sql(
        "SELECT count(*) FROM evaluations_evaluationevent WHERE action = 'finalize'") == [(1,)]
    # Tier 一等 × 2 at 1,000 yuan: two payouts, one per awarded project, 2,000 in all.
    assert private_stack.sql(
        "SELECT count(*), count(DISTINCT project_id), sum(amount) FROM evaluations_payout") == [(2, 2, 2000)]


def test_a_juror_submitting_one_card_twice_at_once_leaves_one_submitted_card(private_stack):
    world = private_stack.seed("scoring", entries=1, jurors=1)
    card, criteria = world["cards"][0], world["criteria"]
    server = private_stack.gunicorn(workers=2)
    body = {"scores": {str(c["id"]): "10" for c in criteria}}
    path = f"{API}/scorecards/{card['id']}/submit/"

    statuses = together(server, [("POST", path, body, card["token"])] * 2)

    assert sorted(statuses) == [200, 409], statuses
    assert private_stack.sql("SELECT count(*), min(status) FROM evaluations_scorecard") == [(1, "submitted")]
    assert private_stack.sql("SELECT count(*) FROM evaluations_score WHERE card_id = %s",
                             [card["id"]]) == [(len(criteria),)]
    assert private_stack.sql(
        "SELECT count(*) FROM evaluations_evaluationevent WHERE object_type = 'scorecard' AND action = 'submit' "
        "AND object_id = %s", [card["id"]]) == [(1,)]
