"""``python -m bench.celery_worker [--broker-defaults] <celery worker options>``: the project's
Celery worker (``celery -A unionproj worker``), started by the Celery bench.

``--broker-defaults`` runs it with Celery's own defaults instead of the project's money-safe
settings — acknowledge on receipt (``task_acks_late=False``, ``task_reject_on_worker_lost=False``)
and prefetch 4 messages per process — so that the bench can show, in the same run, what the
money-safe configuration costs. Tasks that set ``acks_late`` themselves (the compute tasks)
keep it either way.

The worker logs the configuration its tasks actually got (``bench-config: …``), read back by
the bench so that a figure never claims a configuration it did not run with."""

import sys

from celery.signals import worker_ready

from unionproj.celery import app

BROKER_DEFAULTS = {"task_acks_late": False, "task_reject_on_worker_lost": False, "worker_prefetch_multiplier": 4}


@worker_ready.connect
def _report_config(sender=None, **kwargs):
    ping = app.tasks["unionproj.ping"]
    print(f"bench-config: acks_late={ping.acks_late} reject_on_worker_lost={ping.reject_on_worker_lost} "
          f"prefetch_multiplier={app.conf.worker_prefetch_multiplier}", file=sys.stderr, flush=True)


def main(argv):
    if argv[:1] == ["--broker-defaults"]:
        argv = argv[1:]
        app.conf.update(BROKER_DEFAULTS)  # before the tasks are bound: they read it then
    app.worker_main(["worker", *argv])


if __name__ == "__main__":
    main(sys.argv[1:])
