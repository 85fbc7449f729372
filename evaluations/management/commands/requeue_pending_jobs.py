"""``manage.py requeue_pending_jobs``: publish the compute jobs left pending while the broker
was unreachable (the worker does it when it starts, and a periodic task every few minutes)."""

from django.core.management.base import BaseCommand

from evaluations import services


class Command(BaseCommand):
    help = "Publish compute jobs still pending (requested while the broker was unreachable)."

    def add_arguments(self, parser):
        parser.add_argument("--older-than", type=int, default=60,
                            help="only jobs requested at least this many seconds ago (default 60)")

    def handle(self, *args, older_than, **options):
        published = services.requeue_pending_jobs(older_than=older_than)
        self.stdout.write(f"published {published} pending job(s)")
