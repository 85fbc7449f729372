"""Fault 1 — Redis stops while an admin asks for an award computation.

On the private stack (gunicorn in production mode, a private PostgreSQL and a private Redis):
Redis is stopped, the admin posts ``/compute/``: the answer comes within seconds (202, the job
kept ``pending``, a clear note that the queue cannot be reached), nothing is computed. Redis is
started again on the same port, a real worker starts — its start-up publishes the pending job —
and the job runs exactly once: one compute event, one result per entry, one attempt.
"""

import time

from .stack import wait_until

API = "/api/v1"


def test_compute_requested_while_redis_is_down_answers_fast_and_runs_once_redis_is_back(private_stack):
    world = private_stack.seed("closed")
    roadshow, token = world["roadshow"], world["admin_tokens"][0]
    server = private_stack.gunicorn(workers=2)

    private_stack.redis.stop()
    start = time.monotonic()
    status, body = server.request("POST", f"{API}/roadshows/{roadshow}/compute/", token=token)
    elapsed = time.monotonic() - start
    assert status == 202, body
    assert elapsed < 8, f"the request took {elapsed:.1f}s with the broker down"
    assert (body["state"], body["queued"]) == ("pending", False)
    assert "任务队列暂时无法连接" in body["detail"]
    task = f"{API}/tasks/{body['task_id']}/"
    # Nothing is lost, nothing computed: the request is a pending job in the database.
    assert private_stack.sql("SELECT state, enqueued_at FROM evaluations_computejob") == [("pending", None)]
    assert private_stack.sql("SELECT count(*) FROM evaluations_result") == [(0,)]
    status, polled = server.request("GET", task, token=token)
    assert status == 200 and polled["state"] == "pending"

    private_stack.redis.start()  # back, on the same port, empty (no persistence)
    worker = private_stack.worker()  # its start-up publishes the jobs left pending

    def done():
        if worker.process.poll() is not None:
            raise AssertionError(f"the worker exited:\n{worker.text()}")
        return server.request("GET", task, token=token)[1]["state"] in ("succeeded", "failed")

    wait_until(done, f"the job finishing\n{worker.text()}", 90, 0.2)
    status, polled = server.request("GET", task, token=token)
    assert polled["state"] == "succeeded", polled
    assert polled["progress"] == 100 and polled["result"]["entries"] == 3
    # Exactly once: one job, one attempt, one compute in the audit trail, one result per entry.
    time.sleep(1)  # a second (duplicate) delivery would have had time to run
    assert private_stack.sql("SELECT state, attempts FROM evaluations_computejob") == [("succeeded", 1)]
    assert private_stack.sql(
        "SELECT count(*) FROM evaluations_evaluationevent WHERE action = 'compute' AND roadshow_id = %s",
        [roadshow]) == [(1,)]
    assert private_stack.sql("SELECT count(*), count(DISTINCT entry_id) FROM evaluations_result") == [(3, 3)]
    status, rows = server.request("GET", f"{API}/roadshows/{roadshow}/results/", token=token)
    assert status == 200 and [r["rank"] for r in rows] == [1, 2, 3]
