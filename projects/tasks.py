"""Celery tasks of projects: thin, keyword-only, idempotent; the work is in ``projects.services``."""

from celery import shared_task

from . import services


@shared_task(name="projects.send_progress_reminders")
def send_progress_reminders(*, within_days=None):
    """Daily (``CELERY_BEAT_SCHEDULE``): remind staff of due progress reports. Idempotent per
    day (``ReminderLog``). Returns the number of mails sent."""
    return services.send_progress_reminders(within_days=within_days)
