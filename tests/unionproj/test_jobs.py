"""The shared job runner (``unionproj.jobs``) on both job tables: a task found by name, a job
claimed once, progress that never goes back, the jobs due for a new publish."""

from datetime import timedelta

import pytest
from django.utils import timezone

from awards.models import ComputeJob
from exports.models import ExportJob
from tests.factories import RoadshowFactory
from unionproj import jobs


@pytest.fixture
def roadshow(people, campaign):
    """A roadshow for job rows to hang on (its state does not matter to the runner)."""
    return RoadshowFactory(actor=people["admin"], campaign=campaign)


def test_a_task_is_found_by_its_name_without_importing_its_module():
    assert jobs.task("evaluations.compute_results").name == "evaluations.compute_results"
    assert jobs.task("evaluations.export_roadshow").name == "evaluations.export_roadshow"
    with pytest.raises(KeyError):
        jobs.task("evaluations.no_such_task")


@pytest.mark.django_db
@pytest.mark.parametrize("model", [ComputeJob, ExportJob])
def test_a_job_is_claimed_until_it_finishes_and_its_progress_only_rises(model, roadshow):
    extra = {"kind": "awards", "fmt": "xlsx"} if model is ExportJob else {}
    job = model.objects.create(roadshow=roadshow, task_id=f"t-{model.__name__}", **extra)
    claimed, ok = jobs.claim(model, job.pk)
    assert ok and claimed.state == jobs.JobState.RUNNING and claimed.progress == 1
    jobs.report_progress(model, job.pk, 40)
    jobs.report_progress(model, job.pk, 10)
    assert model.objects.get(pk=job.pk).progress == 40
    again, ok = jobs.claim(model, job.pk)  # redelivered while running: claimed again, progress kept
    assert ok and again.progress == 40
    jobs.finish(again, jobs.JobState.SUCCEEDED)
    stored = model.objects.get(pk=job.pk)
    assert (stored.state, stored.progress) == (jobs.JobState.SUCCEEDED, 100) and stored.finished_at
    assert jobs.claim(model, job.pk) == (stored, False)
    assert jobs.claim(model, 10**12) == (None, False)


@pytest.mark.django_db
def test_due_for_requeue_takes_unpublished_lost_and_stale_jobs(roadshow):
    now = timezone.now()
    make = lambda name, **kw: ComputeJob.objects.create(roadshow=roadshow, task_id=name, **kw)  # noqa: E731
    fresh = make("fresh")
    unpublished = make("unpublished")
    lost = make("lost", enqueued_at=now - timedelta(hours=2))
    published = make("published", enqueued_at=now)
    stale = make("stale", state=jobs.JobState.RUNNING)
    alive = make("alive", state=jobs.JobState.RUNNING)
    ComputeJob.objects.filter(pk__in=[unpublished.pk, lost.pk, published.pk]).update(
        created_at=now - timedelta(minutes=5))
    ComputeJob.objects.filter(pk=stale.pk).update(updated_at=now - timedelta(minutes=30))
    pending, running = jobs.due_for_requeue(ComputeJob, older_than=60, lost_after=3600, stale=600)
    assert set(pending) == {unpublished.pk, lost.pk}
    assert running == [stale.pk]
    assert fresh.pk not in pending and published.pk not in pending and alive.pk not in running
