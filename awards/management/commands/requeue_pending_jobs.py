"""``manage.py requeue_pending_jobs``: publish the compute jobs left pending while the broker
was unreachable, and the running ones whose worker died (no progress report for
``COMPUTE_JOB_STALE_SECONDS``); the worker does it when it starts, and a periodic task every few
minutes."""

from django.core.management.base import BaseCommand

from ... import services


class Command(BaseCommand):
    help = "Publish compute jobs still pending (broker was unreachable) or running on a dead worker."

    def add_arguments(self, parser):
        parser.add_argument("--older-than", type=int, default=60,
                            help="only jobs requested at least this many seconds ago (default 60)")
        parser.add_argument("--stale-after", type=int, default=None,
                            help="running jobs silent for this many seconds are published again "
                                 "(default: settings.COMPUTE_JOB_STALE_SECONDS, 600)")

    def handle(self, *args, older_than, stale_after=None, **options):
        published = services.requeue_pending_jobs(older_than=older_than, stale=stale_after)
        self.stdout.write(f"published {published} pending job(s)")
