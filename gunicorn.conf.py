"""gunicorn's configuration for production (``gunicorn -c gunicorn.conf.py unionproj.wsgi``; gunicorn
also reads this file by itself when started from the project folder). The bench (``python -m bench``)
serves the app with this same file, so its figures are those of what we deploy.

Why threads: a request of this app mostly waits — on PostgreSQL (a card's autosave is about nine
round trips and a commit that waits for the WAL flush) — so a process serving one request at a
time leaves the CPU idle while it waits. ``gthread`` workers serve several requests per process and
keep the connection of a client open between its requests (a juror's phone autosaves every 2 s:
no new TCP connection each time). Each thread holds its own database connection (CONN_MAX_AGE),
so ``workers × threads`` must stay well under PostgreSQL's ``max_connections`` (100 by default),
counting the Celery workers and every app server.

Every value can be overridden from the environment (WEB_CONCURRENCY, GUNICORN_WORKER_CLASS, GUNICORN_THREADS, ...).
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Processes: CPU-bound Python needs one per core; a few more absorb the GIL's and the waits'
# unevenness. 2 × cores + 1 is gunicorn's own advice.
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count() + 1))
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
threads = int(os.environ.get("GUNICORN_THREADS", 4))
# Longer than the phones' 2 s autosave interval, so an idle phone keeps its connection.
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", 10))
# Exports of large rankings run as background jobs; a request never needs more.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 120))
graceful_timeout = 30
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "warning")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
