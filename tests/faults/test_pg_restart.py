"""Fault 3 — PostgreSQL restarts (``pg_ctl restart -m fast``) under a load of juror writes.

On the private stack: gunicorn (3 sync workers, persistent connections: ``CONN_MAX_AGE=60``)
serves jurors who save drafts and submit cards from 8 threads; once part of the cards are in,
the private cluster is restarted, which cuts every open session and rolls back every open
transaction. Afterwards:

* no partial write: every card is either submitted with its submit event and one score per
  criterion, the event holding exactly the stored scores — or still a draft without a submit
  event; a submit answered 200 is in the database;
* the requests sent after the restart all succeed (200; 409 only for a card whose earlier
  submit was cut after its commit), with the same gunicorn: ``CONN_HEALTH_CHECKS`` (settings)
  replaces each worker's dead connection instead of failing the request.
"""

import random
import threading
import time
from collections import defaultdict

from tests.unionproj.test_settings_modes import PRODUCTION, clean_env, no_dotenv, settings_in  # noqa: F401 - fixture

from .stack import wait_until

API = "/api/v1"
THREADS = 8


def test_with_a_database_url_connections_persist_and_are_checked_before_use(no_dotenv):  # noqa: F811
    """What the restart test relies on, as production evaluates the settings."""
    s = settings_in(clean_env(**PRODUCTION))
    assert s["conn_health_checks"] is True and s["conn_max_age"] == 60


def test_a_postgresql_restart_under_load_leaves_no_partial_write_and_the_next_requests_succeed(private_stack):
    world = private_stack.seed("scoring", entries=6, jurors=10)
    criteria, cards = world["criteria"], world["cards"]
    server = private_stack.gunicorn(workers=3, CONN_MAX_AGE=60)
    # Every worker holds a persistent connection before the restart.
    for card in cards[:12]:
        assert server.request("GET", f"{API}/scorecards/{card['id']}/", token=card["token"])[0] == 200

    log = []  # (card id, kind, sent at, status or "error")
    submitted_200, lock = set(), threading.Lock()
    restarted_at = [None]

    def scores(rng):
        return {str(c["id"]): str(rng.randint(0, int(float(c["max"])))) for c in criteria}

    def write(card, rng):
        """A draft save then a submit; the submit is tried again until it is answered."""
        for kind, method, path in (("save", "PUT", f"{API}/scorecards/{card['id']}/"),
                                   ("submit", "POST", f"{API}/scorecards/{card['id']}/submit/")):
            while True:
                sent = time.monotonic()
                try:
                    status, _body = server.request(method, path, {"scores": scores(rng)}, token=card["token"],
                                                   timeout=30)
                except OSError:
                    status = "error"
                with lock:
                    log.append((card["id"], kind, sent, status))
                    if kind == "submit" and status == 200:
                        submitted_200.add(card["id"])
                if kind == "save" or status in (200, 409):
                    break  # a draft save lost to the restart is not tried again
                time.sleep(0.05)

    def writer(n):
        rng = random.Random(n)
        for card in cards[n::THREADS]:
            write(card, rng)
            time.sleep(rng.uniform(0.01, 0.05))

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(THREADS)]
    for t in threads:
        t.start()
    wait_until(lambda: len(submitted_200) >= len(cards) // 5, "a fifth of the cards submitted", 60, 0.01)
    private_stack.pg.restart()
    restarted_at[0] = time.monotonic()
    for t in threads:
        t.join(timeout=180)
    assert not any(t.is_alive() for t in threads)

    # The restart happened under load: writes were sent before it and after it.
    assert [entry for entry in log if entry[2] > restarted_at[0]], "the load ended before the restart"
    # A request cut by the restart is told to try again (503, JSON), never a server error (500).
    assert not [entry for entry in log if entry[3] not in (200, 409, 503)], [e for e in log if e[3] not in (200, 409, 503)][:10]

    # --- no partial write ------------------------------------------------------------------
    stored_cards = dict(private_stack.sql("SELECT id, status FROM evaluations_scorecard"))
    stored_scores = defaultdict(dict)
    for card_id, criterion_id, value in private_stack.sql("SELECT card_id, criterion_id, value FROM evaluations_score"):
        stored_scores[card_id][str(criterion_id)] = str(value)
    events = defaultdict(list)
    for object_id, data in private_stack.sql(
            "SELECT object_id, data FROM evaluations_evaluationevent WHERE object_type = 'scorecard' "
            "AND action = 'submit'"):
        events[object_id].append(data)
    assert len(stored_cards) == len(cards)
    for card in cards:
        card_id = card["id"]
        if stored_cards[card_id] == "submitted":
            assert len(events[card_id]) == 1, f"card {card_id}: {len(events[card_id])} submit events"
            assert len(stored_scores[card_id]) == len(criteria), f"card {card_id}: {stored_scores[card_id]}"
            assert {k: str(v) for k, v in events[card_id][0]["scores"].items()} == stored_scores[card_id]
        else:
            assert stored_cards[card_id] == "draft"
            assert events[card_id] == [], f"card {card_id} is a draft with a submit event"
    assert submitted_200 <= {k for k, v in stored_cards.items() if v == "submitted"}  # answered 200 = stored
    # Every card ends submitted: the submits retried after the restart got through.
    assert set(stored_cards.values()) == {"submitted"}

    # --- requests after the restart succeed, same gunicorn ------------------------------------
    late = [entry for entry in log if entry[2] > restarted_at[0]]  # sent once `pg_ctl -w` returned
    bad = [entry for entry in late if entry[3] not in (200, 409)]
    assert not bad, f"requests after the restart failed: {bad[:10]}"
    for entry in late:
        if entry[3] == 409:  # only a submit whose earlier try was cut after its commit
            assert entry[1] == "submit" and any(e[0] == entry[0] and e[1] == "submit" and e[3] != 200
                                                for e in log if e[2] < entry[2])
    assert server.process.poll() is None
    for card in cards[:3 * 4]:  # each of the 3 workers, more than once
        status, body = server.request("GET", f"{API}/scorecards/{card['id']}/", token=card["token"])
        assert status == 200 and body["status"] == "submitted"
    status, rows = server.request("GET", f"{API}/scorecards/?roadshow={world['roadshow']}", token=cards[0]["token"])
    assert status == 200
