"""Releasing calls at the same instant, each in its own thread with its own database connection:
the race the PostgreSQL-only concurrency tests set up."""

import threading

from django.db import connections


def run_in_threads(calls, timeout=120):
    """Run each call in its own thread, all released at once by a barrier; return what each
    returned or raised, in order."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def worker(i, call):
        try:
            barrier.wait()
            outcomes[i] = call()
        except Exception as exc:  # noqa: BLE001 - the outcome is what the test inspects
            outcomes[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=timeout)
    return outcomes
