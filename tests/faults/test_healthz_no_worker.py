"""Issue 21 item 3 — ``/healthz/?worker=1`` with a broker and no answering worker.

On the private stack (gunicorn in production mode, one process of 8 threads, a private
PostgreSQL and a private Redis, no Celery worker): anonymous worker probes are refused at once
(403) and never reach the broker, so they cannot hold the server's threads; the monitor's probes
(with ``HEALTHZ_SECRET``) send one ping however many arrive together, and the answer is cached
— the next probe answers at once without a new ping. The plain liveness check stays open.
"""

import time
from concurrent.futures import ThreadPoolExecutor

import redis

SECRET = "monitor-secret-for-the-fault-test-0123456789"
WORKER = "/healthz/?worker=1"


def _pings(private_stack):
    """Ping messages waiting in the broker (no worker takes them)."""
    return redis.Redis.from_url(private_stack.redis.url()).llen("celery")


def _timed(server, path, headers=None):
    start = time.monotonic()
    status, body = server.request("GET", path, headers=headers, timeout=30)
    return status, body, time.monotonic() - start


def test_anonymous_worker_probes_are_refused_at_once_and_never_hold_a_thread(private_stack):
    server = private_stack.gunicorn(workers=1, GUNICORN_THREADS=8, HEALTHZ_SECRET=SECRET)
    start = time.monotonic()
    with ThreadPoolExecutor(48) as pool:
        answers = list(pool.map(lambda _i: _timed(server, WORKER), range(96)))
        status, body, plain = _timed(server, "/healthz/")
    assert {a[0] for a in answers} == {403}
    assert time.monotonic() - start < 15, "96 anonymous probes held the server"
    assert (status, body["database"]) == (200, "ok") and plain < 5
    assert _pings(private_stack) == 0


def test_the_monitors_probes_send_one_ping_and_the_answer_is_cached(private_stack):
    server = private_stack.gunicorn(workers=1, GUNICORN_THREADS=8, HEALTHZ_SECRET=SECRET,
                                    HEALTHZ_WORKER_CACHE_SECONDS=120)
    headers = {"X-Healthz-Secret": SECRET}
    with ThreadPoolExecutor(6) as pool:
        answers = list(pool.map(lambda _i: _timed(server, WORKER, headers), range(6)))
    assert {a[0] for a in answers} == {503}  # no worker answers
    assert {a[1]["celery"] for a in answers} == {"error: TimeoutError"}
    assert _pings(private_stack) == 1, "more than one probe was in flight"
    status, body, elapsed = _timed(server, WORKER, headers)
    assert (status, body["celery"]) == (503, "error: TimeoutError") and elapsed < 2  # the cached answer
    assert _pings(private_stack) == 1
    assert _timed(server, "/healthz/")[0] == 200
