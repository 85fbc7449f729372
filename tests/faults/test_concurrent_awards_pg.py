"""Computes and finalises at the same moment on PostgreSQL: the roadshow's row lock and the
unique constraints leave one result set and one payout per award.

PostgreSQL only (SQLite serialises every write); CI runs a PostgreSQL pass.
"""

from decimal import Decimal

import pytest
from django.db import connection

from awards import services as award_services
from awards.models import ComputeJob, Payout, Result
from evaluations.models import EvaluationEvent
from unionproj.errors import WorkflowError
from projects.models import ProjectEvent

from tests.factories import ScoredRoadshowFactory

from .racing import run_in_threads

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql",
                                reason="row locks are tested on PostgreSQL (CI runs a PostgreSQL pass)")

PARALLEL = 6


@pytest.fixture
def closed(transactional_db, people, campaign, tree):
    roadshow = ScoredRoadshowFactory(actor=people["admin"], campaign=campaign, union=tree["county_a"], totals=[
        ["95", "90", "85"], ["80", "80", "80"], ["70", "80", "90"], ["50", "60", "70"], ["66", "67", "68"]]).roadshow
    award_services.save_tiers(actor=people["admin"], roadshow=roadshow, tiers=[
        {"name": "一等", "quota_count": 1, "amount": "10000"}, {"name": "二等", "quota_count": 2, "amount": "5000"}])
    return roadshow


def snapshot(roadshow):
    return sorted(Result.objects.filter(roadshow=roadshow).values_list("entry_id", "final_score", "rank", "tier",
                                                                     "amount"))


def test_parallel_computes_leave_one_result_set(closed, people):
    admin = people["admin"]
    jobs = [ComputeJob.objects.create(roadshow=closed, task_id=f"t{i}", created_by=admin) for i in range(PARALLEL)]
    outcomes = run_in_threads([lambda j=j: award_services.run_job(job_id=j.pk) for j in jobs])
    assert all(not isinstance(o, Exception) for o in outcomes), outcomes
    assert {o.state for o in outcomes} == {"succeeded"}
    assert Result.objects.filter(roadshow=closed).count() == 5
    parallel = snapshot(closed)
    award_services.compute_results(roadshow_id=closed.pk)  # a clean run afterwards changes nothing
    assert snapshot(closed) == parallel
    assert [row[2:] for row in sorted(parallel, key=lambda r: r[2])] == [
        (1, "一等", Decimal("10000.00")), (2, "二等", Decimal("5000.00")), (2, "二等", Decimal("5000.00")),
        (4, "", Decimal("0.00")), (5, "", Decimal("0.00"))]


def test_parallel_finalises_exactly_one_succeeds_with_one_payout_per_award(closed, people):
    admin = people["admin"]
    award_services.compute_results(roadshow_id=closed.pk)
    outcomes = run_in_threads([lambda: award_services.finalize(actor=admin, roadshow=closed)] * PARALLEL)
    assert sum(not isinstance(o, Exception) for o in outcomes) == 1
    assert all(isinstance(o, WorkflowError) for o in outcomes if isinstance(o, Exception)), outcomes
    assert Payout.objects.filter(roadshow=closed).count() == 3
    assert Payout.objects.values("project").distinct().count() == 3
    assert ProjectEvent.objects.filter(action="award").count() == 3
    assert EvaluationEvent.objects.filter(roadshow=closed, action="finalize").count() == 1


def test_compute_racing_finalize_never_changes_finalised_results(closed, people):
    admin = people["admin"]
    award_services.compute_results(roadshow_id=closed.pk)
    before = snapshot(closed)
    job = ComputeJob.objects.create(roadshow=closed, task_id="race", created_by=admin)
    outcomes = run_in_threads([lambda: award_services.finalize(actor=admin, roadshow=closed),
                               lambda: award_services.run_job(job_id=job.pk)])
    assert not isinstance(outcomes[0], Exception)
    assert snapshot(closed) == before
    assert sum(p.amount for p in Payout.objects.all()) == Decimal("20000.00")


def test_parallel_payout_approvals_approve_once(closed, people):
    admin = people["admin"]
    award_services.compute_results(roadshow_id=closed.pk)
    award_services.finalize(actor=admin, roadshow=closed)
    payout = Payout.objects.first()
    outcomes = run_in_threads([lambda: award_services.approve_payout(actor=admin, payout=payout)] * PARALLEL)
    assert sum(not isinstance(o, Exception) for o in outcomes) == 1
    assert EvaluationEvent.objects.filter(object_type="payout", object_id=payout.pk,
                                          action="approve_payout").count() == 1
