"""Celery tasks of the exports: thin wrappers around ``exports.services``.
Found by the worker's autodiscovery (``exports`` is an installed app)."""

from celery import shared_task


@shared_task(bind=True, name="evaluations.export_roadshow", acks_late=True, reject_on_worker_lost=True)
def export_task(self, job_id):
    """Build the file of ``ExportJob`` ``job_id`` (idempotent: a finished job is left alone)."""
    from . import services

    job = services.run_export_job(job_id=job_id)
    if job is None:
        return {"state": "missing", "job": job_id}
    return {"state": job.state, "job": job.pk, "progress": job.progress, "error": job.error}


@shared_task(bind=True, name="evaluations.clean_exports")
def clean_exports_task(self, days=None):
    """Remove export files older than ``EXPORT_KEEP_DAYS`` (a periodic task)."""
    from . import services

    return services.clean_exports(days=days)
