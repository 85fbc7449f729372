"""The fault suite (issue 8): what happens when a service fails under the app. Each test is real
— real processes, real signals, no mock of our code — and runs in both CI passes: the tests that
stop, kill or restart a service start private ones (tests/faults/stack.py: a PostgreSQL cluster
made by ``initdb`` in a temporary directory, a redis-server, gunicorn in production mode and
Celery workers, each on a free port), never touching the shared PostgreSQL (5432) or Redis (6379).
The tests marked ``_pg`` race threads on the test database itself and run in the PostgreSQL pass
(SQLite serialises every write: there is no race to test).

Fault → test
1. Redis down while an admin asks for an award computation → test_redis_down.py: 202 within
   seconds with a clear note, the job kept ``pending``, nothing computed; Redis back, a worker
   starts and runs the job exactly once (one attempt, one compute event, one result per entry).
   In process, against a closed port: tests/awards/test_broker_down.py,
   tests/awards/api/test_api_broker_and_worker.py.
2. A Celery worker killed (SIGKILL) mid-job → test_worker_killed.py: the job runs again (Redis
   redelivery after the visibility timeout, or ``requeue_pending_jobs`` with the production
   timeout); the results are those of a clean run; finalising makes one payout per award.
3. PostgreSQL restarted (``pg_ctl restart -m fast``) under a load of card submissions →
   test_pg_restart.py: no partial write (a card is submitted with its event and all its scores,
   or not at all), a 200 is stored, requests after the restart succeed on the same gunicorn
   (``CONN_HEALTH_CHECKS``, checked in the production settings there too).
4. Two admins finalising at once → test_concurrent_requests.py (HTTP: one 200, one 409, one
   payout per award); test_concurrent_awards_pg.py (services: parallel computes, finalises,
   compute racing finalize, payout approvals).
5. A juror submitting twice at once → test_concurrent_requests.py (HTTP: one 200, one 409);
   test_parallel_submit_api_pg.py (8 API clients); test_concurrent_scoring_pg.py (services:
   submits racing saves, starts, close).

The audit tables being append-only in the database (tampering rather than failure):
tests/security/test_audit_append_only.py.
"""
