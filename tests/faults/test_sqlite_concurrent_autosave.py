"""Issue 21 item 4 — the embedded default (SQLite) under a small live roadshow.

gunicorn (3 processes × 4 threads, production mode) over a SQLite file, as the embedded default
is deployed for a roadshow without PostgreSQL: six jurors' phones autosave at the same moment,
round after round. No answer is a 500; every autosave answered 200 is stored (each card ends
with the scores of its last 200); a lock that outlasts the busy timeout would be a 503 with
``Retry-After``, never a 500.
"""

import http.client
import json
import threading

import pytest

API = "/api/v1"
ROUNDS = 6


def _value(criterion, juror, rnd):
    """A distinct legal score (one decimal) per juror and round, under the criterion's maximum."""
    top = int(float(criterion["max"]))
    return f"{(juror * 3 + rnd) % top}.{rnd % 10}"


def test_simultaneous_autosaves_on_sqlite_are_never_a_500_and_every_200_is_stored(sqlite_stack):
    world = sqlite_stack.seed("scoring", entries=4, jurors=6)
    server = sqlite_stack.gunicorn(workers=3)
    criteria = world["criteria"]
    by_token = {}
    for card in world["cards"]:
        by_token.setdefault(card["token"], []).append(card["id"])
    jurors = list(by_token.items())
    barrier = threading.Barrier(len(jurors))
    answers, last_ok = [], {}
    lock = threading.Lock()

    def phone(juror, token, cards):
        for rnd in range(ROUNDS):
            barrier.wait(timeout=60)  # every phone saves at the same moment
            for card in cards:
                scores = {str(c["id"]): _value(c, juror, rnd) for c in criteria}
                status, body = server.request("PUT", f"{API}/scorecards/{card}/", {"scores": scores}, token=token)
                with lock:
                    answers.append((status, body))
                    if status == 200:
                        last_ok[card] = scores

    threads = [threading.Thread(target=phone, args=(i, token, cards)) for i, (token, cards) in enumerate(jurors)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    statuses = [s for s, _b in answers]
    assert len(statuses) == ROUNDS * len(world["cards"])
    assert 500 not in statuses, [b for s, b in answers if s == 500][:3]
    assert set(statuses) <= {200, 503}
    assert statuses.count(200) == len(statuses), f"{statuses.count(503)} autosaves answered 503"
    stored = {}
    for card, criterion, value in sqlite_stack.sql("SELECT card_id, criterion_id, value FROM evaluations_score"):
        stored.setdefault(card, {})[str(criterion)] = value
    for card, scores in last_ok.items():
        assert {k: float(v) for k, v in stored[card].items()} == {k: float(v) for k, v in scores.items()}, card


def _put(server, path, body, token):
    """``(status, headers)`` of a JSON PUT."""
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        conn.request("PUT", path, body=json.dumps(body), headers={
            "Host": "127.0.0.1", "Content-Type": "application/json", "Accept": "application/json",
            "Authorization": f"Token {token}"})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode()
    finally:
        conn.close()


@pytest.mark.parametrize("debug", ["0", "1"])
def test_a_lock_outlasting_the_busy_timeout_is_a_503_with_retry_after(sqlite_stack, debug):
    world = sqlite_stack.seed("scoring", entries=1, jurors=1)
    server = sqlite_stack.gunicorn(workers=1, DEBUG=debug, SQLITE_BUSY_TIMEOUT=1)
    card, criterion = world["cards"][0], world["criteria"][0]
    with sqlite_stack.write_lock():  # another writer holds the file longer than the busy timeout
        status, headers, body = _put(server, f"{API}/scorecards/{card['id']}/",
                                     {"scores": {str(criterion["id"]): "10.0"}}, card["token"])
    assert status == 503, body[:500]
    assert headers["Retry-After"] == "5" and json.loads(body)["detail"]
    status, _headers, _body = _put(server, f"{API}/scorecards/{card['id']}/",
                                   {"scores": {str(criterion["id"]): "10.0"}}, card["token"])
    assert status == 200  # the lock gone, the same save goes through
