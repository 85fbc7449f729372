"""Fault 2 — the Celery worker computing the awards is killed (SIGKILL) mid-job.

On the private stack (real workers on a private Redis and PostgreSQL, the app under gunicorn):
the worker is killed as soon as it takes the job — before, during or just after the run,
whichever; the outcome must be the same. The job is run again and the results are those of a
clean run; finalising then creates exactly one payout per award (no duplicate payout).

* with a short visibility timeout, Redis hands the unacknowledged message to the restarted
  worker (late acknowledgement, ``CELERY_TASK_ACKS_LATE``/``REJECT_ON_WORKER_LOST``);
* with the production one (hours), ``requeue_pending_jobs`` (the periodic task; here the
  management command) publishes the silent job again at once.

(``tests/awards/api/test_api_broker_and_worker.py`` covers the stale-job threshold in process.)
"""

import time

from .stack import manage, wait_until

API = "/api/v1"
VISIBILITY_TIMEOUT = 3
EXPECTED = [(1, "一等", 1000), (2, "一等", 1000), (3, "", 0)]


def _compute_and_kill(private_stack, server, token, roadshow, worker):
    status, body = server.request("POST", f"{API}/roadshows/{roadshow}/compute/", token=token)
    assert status == 202 and body["queued"] is True, body
    wait_until(lambda: private_stack.sql("SELECT state FROM evaluations_computejob")[0][0] != "pending",
               f"the worker taking the job\n{worker.text()}", 60, 0.005)
    worker.kill()
    return f"{API}/tasks/{body['task_id']}/"


def _finishes(private_stack, server, token, task, worker):
    def done():
        if worker.process.poll() is not None:
            raise AssertionError(f"the worker exited:\n{worker.text()}")
        return server.request("GET", task, token=token)[1]["state"] in ("succeeded", "failed")

    wait_until(done, f"the job finishing\n{worker.text()}", 90, 0.2)
    polled = server.request("GET", task, token=token)[1]
    assert polled["state"] == "succeeded", polled


def _one_payout_per_award(private_stack, server, token, roadshow):
    rows = private_stack.sql("SELECT rank, tier, amount FROM evaluations_result ORDER BY rank")
    assert [(r, t, int(a)) for r, t, a in rows] == EXPECTED
    status, body = server.request("POST", f"{API}/roadshows/{roadshow}/finalize/", token=token)
    assert status == 200, body
    assert private_stack.sql(
        "SELECT count(*), count(DISTINCT project_id), sum(amount) FROM evaluations_payout") == [(2, 2, 2000)]
    assert private_stack.sql(
        "SELECT count(*) FROM evaluations_evaluationevent WHERE action = 'finalize'") == [(1,)]


def test_a_worker_killed_mid_job_and_restarted_ends_with_the_results_of_a_clean_run(private_stack):
    world = private_stack.seed("closed")
    roadshow, token = world["roadshow"], world["admin_tokens"][0]
    server = private_stack.gunicorn(workers=2)
    worker = private_stack.worker(visibility_timeout=VISIBILITY_TIMEOUT)
    task = _compute_and_kill(private_stack, server, token, roadshow, worker)
    # Redis gives the unacknowledged message back once its visibility timeout has passed.
    time.sleep(VISIBILITY_TIMEOUT + 1)
    worker = private_stack.worker(visibility_timeout=VISIBILITY_TIMEOUT)
    _finishes(private_stack, server, token, task, worker)
    _one_payout_per_award(private_stack, server, token, roadshow)


def test_with_the_production_visibility_timeout_a_killed_job_is_recovered_by_the_requeue(private_stack):
    world = private_stack.seed("closed")
    roadshow, token = world["roadshow"], world["admin_tokens"][0]
    server = private_stack.gunicorn(workers=2)
    worker = private_stack.worker()  # visibility timeout: the production default (6 h)
    task = _compute_and_kill(private_stack, server, token, roadshow, worker)
    worker = private_stack.worker()
    # The periodic task's work, with the job's silence taken as long enough (``--stale-after 0``).
    manage(private_stack.env, "requeue_pending_jobs", "--older-than", "0", "--stale-after", "0")
    _finishes(private_stack, server, token, task, worker)
    _one_payout_per_award(private_stack, server, token, roadshow)
