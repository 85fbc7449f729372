"""The compute job: request, run, store the results, requeue pending jobs."""

import logging

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from evaluations import queries as scoring_queries
from evaluations.enums import EventAction
from evaluations.models import Entry, Roadshow
from evaluations.rules import MANAGE_AWARDS
from evaluations.services.common import lock_roadshow, record, require_status
from evaluations.services.quorum import check_quorum
from members.rules import require_perm

from .. import sql
from ..enums import COMPUTE_STATES, JobKind
from ..models import Result
from .jobs import new_job
from .jobs import register as register_job
from .planning import plan_awards, remaining_budget
from .tiers import settings_signature, tiers_for, write_tiers

log = logging.getLogger(__name__)


# --- the compute job ------------------------------------------------------------------------


def request_compute(*, actor, roadshow, override_reason=None):
    """Ask for the roadshow's results to be computed (closed roadshows only; a finalised one
    is reopened first). Refused (``QuorumNotMet``) while an entry is below quorum and no
    override covers it, unless ``override_reason`` is given (see ``services.quorum``). Returns
    the ``ComputeJob`` at once — ``pending``, or already done in the embedded default — whose
    ``task_id`` the API hands out. Side effects: the job row, a ``request_compute`` event (with
    the override reason), a ``QuorumOverride``, and on commit the Celery message (see
    :func:`~awards.services.jobs.publish_job`)."""
    with transaction.atomic():
        roadshow = lock_roadshow(roadshow)
        require_perm(actor, MANAGE_AWARDS, roadshow)
        require_status(roadshow, COMPUTE_STATES, _("只有评分结束（未定稿）的路演展评可以计算结果。"))
        reason, below = check_quorum(actor=actor, roadshow=roadshow, action=EventAction.REQUEST_COMPUTE,
                                     state=roadshow.status, override_reason=override_reason)
        job = new_job(actor=actor, kind=JobKind.COMPUTE, roadshow=roadshow)
        record(actor=actor, obj=job, action=EventAction.REQUEST_COMPUTE, roadshow=roadshow, to_state=job.state,
               reason=reason, data={"task_id": job.task_id, "below_quorum": below})
    job.refresh_from_db()
    return job


RESULT_FIELDS = ["final_score", "rank", "tier", "tier_order", "amount", "per_criterion", "card_count", "spread", "note",
                 "computed_at"]


def _result_values(row):
    return {
        "final_score": row.final_score, "rank": row.rank,
        "tier": row.tier.name if row.tier else "", "tier_order": row.tier.order if row.tier else None,
        "amount": row.amount, "per_criterion": {str(k): str(v) for k, v in sorted(row.per_criterion.items())},
        "card_count": row.card_count, "spread": row.spread, "note": row.note,
    }


def _store(roadshow, plan, now):
    """One result per planned row, inserted or updated in place (``INSERT … ON CONFLICT
    (roadshow, entry) DO UPDATE``: one statement on PostgreSQL, from arrays; a statement per
    1,000 rows elsewhere — ``bulk_update`` built a CASE per field per row and took seconds for
    2,500 entries), and the stale ones (of entries no longer planned) deleted.
    Returns ``(created, updated, deleted)``."""
    existing = set(Result.objects.filter(roadshow=roadshow).values_list("entry_id", flat=True))
    values = [(row.entry.pk, _result_values(row)) for row in plan.rows]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            sql.upsert_results(cursor, roadshow_id=roadshow.pk, computed_at=now, values=values)
    else:
        Result.objects.bulk_create(
            [Result(roadshow=roadshow, entry_id=entry, computed_at=now, **v) for entry, v in values],
            batch_size=1000, update_conflicts=True, unique_fields=["roadshow", "entry"], update_fields=RESULT_FIELDS)
    planned = {entry for entry, _v in values}
    stale = existing - planned
    if stale:
        Result.objects.filter(roadshow=roadshow, entry_id__in=stale).delete()
    return len(planned - existing), len(planned & existing), len(stale)


def compute_results(*, roadshow_id, job=None, progress=None):
    """The compute task's body: final scores, ranks, tiers and payouts of a closed roadshow,
    stored as one ``Result`` per entry — an entry without a submitted card too, with no score,
    rank or tier (无有效评分) — (idempotent; see the module docstring).

    ``progress(percent)`` is called as it goes. Creates the default tier rules when the
    roadshow has none. Raises ``WorkflowError`` unless closed, ``BudgetExceeded`` under
    ``refuse`` (nothing written). Side effects: the results, the roadshow's
    ``results_signature``, a ``compute`` event with the totals. Returns the ``AwardPlan``."""
    report = progress or (lambda percent: None)
    message = _("只有评分结束（未定稿）的路演展评可以计算结果。")
    roadshow = Roadshow.objects.select_related("campaign").get(pk=roadshow_id)
    require_status(roadshow, COMPUTE_STATES, message)
    report(10)
    method = roadshow.aggregation
    scores, averages = scoring_queries.award_scores(roadshow, method)  # cards are frozen once closed: no lock
    report(60)
    actor = job.created_by if job is not None else None
    with transaction.atomic():
        roadshow = lock_roadshow(roadshow)
        require_status(roadshow, COMPUTE_STATES, message)
        if roadshow.aggregation != method:  # changed meanwhile: aggregate again, under the lock
            scores, averages = scoring_queries.award_scores(roadshow, roadshow.aggregation)
        entry_count = len(scores)
        tiers = tiers_for(roadshow, entry_count)
        if not roadshow.tiers.exists():
            write_tiers(roadshow, tiers)
            record(actor=actor, obj=roadshow, action=EventAction.SAVE_TIERS, roadshow=roadshow,
                   reason=_("使用默认奖项等次"), data={"from": [], "to": [t.as_dict() for t in tiers]})
        plan = plan_awards(roadshow, method=roadshow.aggregation, tiers=tiers, policy=roadshow.budget_policy,
                     budget=remaining_budget(roadshow), scores=scores, averages=averages,
                     entries=Entry.objects.filter(roadshow=roadshow).only("pk", "order"))  # stored by id
        report(80)
        created, updated, deleted = _store(roadshow, plan, timezone.now())
        roadshow.results_signature = settings_signature(plan.aggregation, plan.budget_policy, plan.tiers)
        roadshow.save(update_fields=["results_signature"])
        summary = plan.summary()
        record(actor=actor, obj=roadshow, action=EventAction.COMPUTE, roadshow=roadshow,
               data={**summary, "job": job.pk if job else None, "created": created, "updated": updated,
                     "deleted": deleted,
                     "amounts": {str(r.entry.pk): str(r.amount) for r in plan.rows if r.tier is not None}})
    report(95)
    return plan


register_job(JobKind.COMPUTE, lambda job, progress: compute_results(
    roadshow_id=job.roadshow_id, job=job, progress=progress).summary())
