"""Awards and subsidy payouts (评定等次 → 以奖代拨): tier rules, the compute job, the what-if
preview, 公示 and objections, finalising, payouts, and the yearly unit ranking.

Every write is keyword-only, takes the acting user, runs in one transaction, locks the
roadshow row first (lock order everywhere: roadshow → campaign → payouts → projects), checks
permission before state (403 before 409) and writes an ``EvaluationEvent`` for every state
and money change. Errors: ``PermissionDenied``, ``WorkflowError`` (state; ``BudgetExceeded``
is one), ``ValidationError``.

The compute job (``request_compute`` → Celery → ``run_job`` → ``compute_results``):

- The ``ComputeJob`` row is written in the request's transaction and the Celery message is
  published on commit, with no retry: when the broker is unreachable the publish fails within
  the producer's short timeouts (settings), the job stays ``pending`` with a note, the request
  answers at once, and ``requeue_pending_jobs`` (a management command, the worker's start-up
  signal and a periodic task) publishes it later. Nothing of the results is written before the
  task runs.
- ``compute_results`` aggregates the submitted cards *before* taking the lock (one SQL
  statement on PostgreSQL, see ``evaluations.sql_aggregation``; GROUP BY queries and Python
  on SQLite):
  once a roadshow is closed its cards cannot change any more (cards are scored and reopened
  only while scoring, and nothing leads back to scoring), so the heavy read needs no lock and
  the progress it reports is visible. Everything that can change while closed — the tier
  rules, the aggregation, the budget policy, the remaining budget — is read under the
  roadshow's lock, where the results are stored (one per entry: update, insert, delete
  stale). Two runs in a row or at once therefore store the same results, once.
"""

import hashlib
import json
import logging
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import F, Q, Sum, Value
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from members.rules import may
from projects import services as project_services
from projects.errors import NOT_ALLOWED, WorkflowError
from projects.models import Campaign
from unionproj.inputs import MAX_INT, clean_text, parse_decimal, parse_int
from unionproj.money import format_money
from unionproj.text import quoted

from .. import aggregation, awards, queries
from ..enums import (
    COMPUTE_STATES,
    PAYOUT_TRANSITIONS,
    PUBLICITY_MAX_DAYS,
    ROADSHOW_TRANSITIONS,
    TIER_STATES,
    UNIT_POINTS,
    UNIT_POINTS_BY_NAME,
    Aggregation,
    EventAction,
    JobKind,
    JobState,
    PayoutStatus,
    RoadshowStatus,
)
from ..models import (
    ComputeJob,
    Entry,
    Payout,
    Result,
    Roadshow,
    TierRule,
    UnitRanking,
)
from ._common import ROW_LOCK, lock_roadshow, record, require, require_status
from .quorum import check_quorum

log = logging.getLogger(__name__)

MANAGE = "evaluations.manage_awards"
NO_VALID_SCORE = queries.NO_VALID_SCORE
MAX_AMOUNT = Decimal("9999999999.99")
MAX_SCORE = Decimal("9999.99")
# A job published but still pending after this long lost its message (e.g. Redis restarted
# without persistence): it is published again. A second delivery is harmless (idempotent).
LOST_AFTER = timedelta(hours=1)

try:  # the errors a publish raises when the broker is unreachable
    from kombu.exceptions import OperationalError as _KombuOperationalError
except ImportError:  # pragma: no cover
    _KombuOperationalError = OSError
try:
    from redis.exceptions import RedisError as _RedisError
except ImportError:  # pragma: no cover
    _RedisError = OSError
BROKER_ERRORS = (_KombuOperationalError, _RedisError, ConnectionError, TimeoutError, OSError)


def _require_awards_admin(actor, roadshow):
    require(actor, MANAGE, roadshow)


def _move(roadshow, action):
    """Apply the roadshow transition ``action`` (state only; the caller saves). Returns the
    state it came from."""
    sources, target = ROADSHOW_TRANSITIONS[action]
    if roadshow.status not in sources:
        raise WorkflowError(
            _("路演展评当前状态为“%(s)s”，不能%(a)s。") % {"s": roadshow.get_status_display(), "a": action.label},
            state=roadshow.status,
        )
    from_state = roadshow.status
    roadshow.status = target
    return from_state


# --- tier rules -----------------------------------------------------------------------------


def _clean_decimal(value, *, places, low, high, message):
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValidationError({"tiers": message})
    try:
        number = parse_decimal(value)  # ASCII digits only; -0 is 0 (unionproj/inputs.py)
        valid = low <= number <= high and number == number.quantize(places)
    except ValueError:
        valid = False
    if not valid:
        raise ValidationError({"tiers": message})
    return number.quantize(places)


def clean_tiers(tiers):
    """Validate tier rules ``[{name, amount, quota_count?, quota_percent?, min_score?}]``
    (highest tier first; ``evaluations.awards.Tier`` objects are accepted too). Each needs a
    name (unique), an amount ≥ 0 to the fen, and a quota (a count ≥ 1 *or* a percentage in
    (0, 100]) and/or a minimum score. Returns ``[awards.Tier]`` numbered from 1; raises
    ``ValidationError`` under ``tiers`` naming the rule."""
    if not isinstance(tiers, (list, tuple)):
        raise ValidationError({"tiers": _("奖项等次格式不正确。")})
    cleaned, names = [], set()
    for i, item in enumerate(tiers, start=1):
        if isinstance(item, awards.Tier):
            item = item.as_dict()
        if not isinstance(item, dict):
            raise ValidationError({"tiers": _("奖项等次格式不正确。")})
        try:
            name = clean_text(str(item.get("name") or "")).strip()
        except ValidationError as exc:
            raise ValidationError({"tiers": exc.messages}) from None
        if not name or len(name) > 30:
            raise ValidationError({"tiers": _("第 %(i)s 个奖项等次缺少名称（最多 30 字）。") % {"i": i}})
        if name in names:
            raise ValidationError({"tiers": _("奖项等次%(n)s重复。") % {"n": quoted(name)}})
        names.add(name)
        amount = _clean_decimal(item.get("amount"), places=awards.FEN, low=Decimal(0), high=MAX_AMOUNT,
                                message=_("%(n)s的奖补金额须为不小于 0 的金额，精确到分。") % {"n": quoted(name)})
        if amount is None:
            raise ValidationError({"tiers": _("请填写%(n)s的奖补金额。") % {"n": quoted(name)}})
        count = item.get("quota_count")
        if count in (None, ""):
            count = None
        else:
            count = parse_int(count, low=1, high=MAX_INT) if isinstance(count, (int, str)) else None
            if count is None:
                raise ValidationError({"tiers": _("%(n)s的名额须为正整数。") % {"n": quoted(name)}})
        percent = _clean_decimal(item.get("quota_percent"), places=awards.FEN, low=Decimal("0.01"),
                                 high=Decimal(100),
                                 message=_("%(n)s的名额比例须在 0 到 100 之间，最多两位小数。") % {"n": quoted(name)})
        if count is not None and percent is not None:
            raise ValidationError({"tiers": _("%(n)s的名额请只填人数或比例中的一项。") % {"n": quoted(name)}})
        min_score = _clean_decimal(item.get("min_score"), places=aggregation.SCORE_PLACES, low=Decimal(0),
                                   high=MAX_SCORE,
                                   message=_("%(n)s的最低分须为不小于 0 的数，最多两位小数。") % {"n": quoted(name)})
        if count is None and percent is None and min_score is None:
            raise ValidationError({"tiers": _("%(n)s须设置名额或最低分。") % {"n": quoted(name)}})
        cleaned.append(awards.Tier(name=name, amount=amount, order=i, quota_count=count, quota_percent=percent,
                                   min_score=min_score))
    return cleaned


def _tier_of_rule(rule):
    return awards.Tier(name=rule.name, amount=rule.amount, order=rule.order, quota_count=rule.quota_count,
                       quota_percent=rule.quota_percent, min_score=rule.min_score)


def tiers_for(roadshow, entry_count=None):
    """The roadshow's tier rules as ``[awards.Tier]``; the defaults (unsaved) when it has none
    yet, sized for ``entry_count`` (default: its number of entries)."""
    stored = [_tier_of_rule(r) for r in queries.tiers_of(roadshow)]
    if stored:
        return stored
    if entry_count is None:
        entry_count = roadshow.entries.count()
    return awards.default_tiers(entry_count)


def _write_tiers(roadshow, tiers):
    TierRule.objects.filter(roadshow=roadshow).delete()
    TierRule.objects.bulk_create(
        TierRule(roadshow=roadshow, order=t.order, name=t.name, quota_count=t.quota_count,
                 quota_percent=t.quota_percent, min_score=t.min_score, amount=t.amount)
        for t in tiers
    )


@transaction.atomic
def save_tiers(*, actor, roadshow, tiers):
    """Replace the roadshow's tier rules (until the results are published). Computed results
    become stale (finalising asks for a new compute). Side effects: the rules, a
    ``save_tiers`` event with the old and new rules."""
    roadshow = lock_roadshow(roadshow)
    _require_awards_admin(actor, roadshow)
    require_status(roadshow, TIER_STATES, _("结果公示或定稿后不能再修改奖项等次。"))
    cleaned = clean_tiers(tiers)
    before = [t.as_dict() for t in tiers_for(roadshow)] if roadshow.tiers.exists() else []
    _write_tiers(roadshow, cleaned)
    record(actor=actor, obj=roadshow, action=EventAction.SAVE_TIERS, roadshow=roadshow,
           data={"from": before, "to": [t.as_dict() for t in cleaned]})
    return [_tier_of_rule(r) for r in queries.tiers_of(roadshow)]


def settings_signature(method, policy, tiers):
    """A digest of what results are computed from; stored with them to tell stale results."""
    payload = json.dumps({"aggregation": method, "budget_policy": policy, "tiers": [t.as_dict() for t in tiers]},
                         sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()


# --- planning (reads only) ------------------------------------------------------------------


def remaining_budget(roadshow, campaign=None):
    """The campaign's budget minus the payouts of its *other* roadshows (payouts exist only
    for finalised roadshows)."""
    campaign = campaign or roadshow.campaign
    spent = (Payout.objects.filter(roadshow__campaign_id=campaign.pk).exclude(roadshow_id=roadshow.pk)
             .aggregate(s=Sum("amount"))["s"]) or Decimal(0)
    return awards.quantize_money(campaign.budget - spent)


@dataclass
class PlanRow:
    """One entry's planned result; an entry without a submitted card has no score, rank or
    tier (无有效评分) and is listed after the ranked ones, in running order."""

    entry: object
    final_score: Decimal | None
    rank: int | None
    tier: awards.Tier | None
    amount: Decimal
    card_count: int
    per_criterion: dict
    untrimmed: bool = False
    spread: Decimal | None = None

    @property
    def project(self):
        return self.entry.project

    @property
    def note(self):
        if self.final_score is None:
            return str(NO_VALID_SCORE)
        return _("有效评分表不足 3 份，按平均分计算。") if self.untrimmed else ""


@dataclass
class AwardPlan:
    """The ranking, tiers and payouts as computed (stored by ``compute_results``, shown by
    ``preview``)."""

    roadshow: Roadshow
    aggregation: str
    budget_policy: str
    tiers: list
    rows: list = field(default_factory=list)
    budget: Decimal = Decimal("0.00")       # the remaining budget planned against
    requested: Decimal = Decimal("0.00")    # the tiers' amounts added up
    total: Decimal = Decimal("0.00")        # what is paid (≤ budget)
    scaled: bool = False

    def summary(self):
        """JSON-ready figures (decimals as strings), for the job's result and the audit row."""
        return {
            "roadshow": self.roadshow.pk, "aggregation": self.aggregation, "budget_policy": self.budget_policy,
            "entries": len(self.rows), "awarded": sum(1 for r in self.rows if r.tier is not None),
            "unscored": sum(1 for r in self.rows if r.final_score is None),
            "budget": str(self.budget), "requested": str(self.requested), "total": str(self.total),
            "scaled": self.scaled, "tiers": [t.as_dict() for t in self.tiers],
        }


def _plan(roadshow, *, method, tiers, policy, budget, scores=None, averages=None, entries=None):
    if scores is None:
        scores, averages = queries.award_scores(roadshow, method)
    ranked = aggregation.rank_entries(scores)
    if tiers is None:
        tiers = tiers_for(roadshow, len(ranked))
    tier_of = awards.assign_tiers({s.entry: s.score for s, _rank in ranked}, tiers)
    payout_plan = awards.payouts({e: t.amount for e, t in tier_of.items() if t is not None}, budget, policy)
    if entries is None:
        entries = queries.entries_of(roadshow)
    entries = {e.pk: e for e in sorted(entries, key=lambda e: (e.order, e.pk))}
    rows = [
        PlanRow(entry=entries[s.entry], final_score=s.score, rank=rank, tier=tier_of[s.entry],
                amount=payout_plan.amounts.get(s.entry, awards.ZERO_MONEY), card_count=s.card_count,
                per_criterion=averages.get(s.entry, {}), untrimmed=s.untrimmed, spread=s.spread)
        for s, rank in ranked if s.entry in entries
    ]
    # Entries nobody scored stay in the results, unranked (issue 13): never dropped.
    rows += [PlanRow(entry=entry, final_score=None, rank=None, tier=None, amount=awards.ZERO_MONEY, card_count=0,
                     per_criterion={}) for pk, entry in entries.items() if pk not in scores]
    return AwardPlan(roadshow=roadshow, aggregation=method, budget_policy=policy, tiers=list(tiers), rows=rows,
                     budget=payout_plan.budget, requested=payout_plan.requested, total=payout_plan.total,
                     scaled=payout_plan.scaled)


def preview(*, actor, roadshow, aggregation=None, tiers=None):
    """What-if: the ranking, tiers and payouts under another aggregation and/or other tier
    rules (``[{name, amount, quota_count?, quota_percent?, min_score?}]``), against the
    remaining budget and the roadshow's budget policy. Admin only; **writes nothing**.
    Raises ``ValidationError`` for bad input and ``BudgetExceeded`` under ``refuse``."""
    roadshow = Roadshow.objects.select_related("campaign__owner_union").get(pk=roadshow.pk)
    _require_awards_admin(actor, roadshow)
    method = aggregation or roadshow.aggregation
    if method not in Aggregation.values:
        raise ValidationError({"aggregation": _("未知的计分方法。")})
    cleaned = clean_tiers(tiers) if tiers is not None else None
    return _plan(roadshow, method=method, tiers=cleaned, policy=roadshow.budget_policy,
                 budget=remaining_budget(roadshow))


# --- the compute job ------------------------------------------------------------------------


def _new_job(*, actor, kind, roadshow=None, year=None):
    job = ComputeJob.objects.create(kind=kind, roadshow=roadshow, year=year, task_id=str(uuid.uuid4()),
                                    created_by=actor)
    transaction.on_commit(lambda: publish_job(job.pk), robust=True)
    return job


def publish_job(job_id, states=(JobState.PENDING,)):
    """Publish the Celery message of a pending job (or of a job in one of ``states``: a stale
    ``running`` one, see :func:`requeue_pending_jobs`), with no retry (the producer's timeouts
    are short, see settings). Returns ``True`` when published; on a broker error the job keeps
    its state with a note and ``False`` is returned. In the embedded default (eager Celery) the
    job runs right here."""
    from .. import tasks  # tasks import the services

    job = ComputeJob.objects.filter(pk=job_id, state__in=list(states)).first()
    if job is None:
        return False
    task = tasks.TASKS[job.kind]
    try:
        task.apply_async(kwargs={"job_id": job.pk}, task_id=job.task_id, retry=False)
    except BROKER_ERRORS as exc:
        log.warning("compute job %s not published, the broker is unreachable: %r", job.pk, exc)
        ComputeJob.objects.filter(pk=job.pk, state=JobState.PENDING).update(
            note=_("任务队列暂时无法连接：任务已保存，队列恢复后将自动执行。"), updated_at=timezone.now())
        # A stale running job keeps its old ``updated_at``: it stays due for the next requeue.
        ComputeJob.objects.filter(pk=job.pk, state=JobState.RUNNING).update(
            note=_("任务队列暂时无法连接：任务已保存，队列恢复后将自动执行。"))
        return False
    ComputeJob.objects.filter(pk=job.pk).update(enqueued_at=timezone.now())
    return True


def request_compute(*, actor, roadshow, override_reason=None):
    """Ask for the roadshow's results to be computed (closed roadshows only; a finalised one
    is reopened first). Refused (``QuorumNotMet``) while an entry is below quorum and no
    override covers it, unless ``override_reason`` is given (see ``services.quorum``). Returns
    the ``ComputeJob`` at once — ``pending``, or already done in the embedded default — whose
    ``task_id`` the API hands out. Side effects: the job row, a ``request_compute`` event (with
    the override reason), a ``QuorumOverride``, and on commit the Celery message (see
    :func:`publish_job`)."""
    with transaction.atomic():
        roadshow = lock_roadshow(roadshow)
        _require_awards_admin(actor, roadshow)
        require_status(roadshow, COMPUTE_STATES, _("只有评分结束（未定稿）的路演展评可以计算结果。"))
        reason, below = check_quorum(actor=actor, roadshow=roadshow, action=EventAction.REQUEST_COMPUTE,
                                     state=roadshow.status, override_reason=override_reason)
        job = _new_job(actor=actor, kind=JobKind.COMPUTE, roadshow=roadshow)
        record(actor=actor, obj=job, action=EventAction.REQUEST_COMPUTE, roadshow=roadshow, to_state=job.state,
               reason=reason, data={"task_id": job.task_id, "below_quorum": below})
    job.refresh_from_db()
    return job


RESULT_FIELDS = ["final_score", "rank", "tier", "tier_order", "amount", "per_criterion", "card_count", "spread", "note",
                 "computed_at"]


_UPSERT_PG = """
INSERT INTO evaluations_result (roadshow_id, entry_id, final_score, rank, tier, tier_order, amount, per_criterion,
                                card_count, spread, note, computed_at)
SELECT %s, v.* , %s::timestamptz
FROM unnest(%s::bigint[], %s::numeric[], %s::int[], %s::text[], %s::int[], %s::numeric[], %s::jsonb[], %s::int[],
            %s::numeric[], %s::text[])
     AS v(entry_id, final_score, rank, tier, tier_order, amount, per_criterion, card_count, spread, note)
ON CONFLICT (roadshow_id, entry_id) DO UPDATE SET
    final_score = EXCLUDED.final_score, rank = EXCLUDED.rank, tier = EXCLUDED.tier,
    tier_order = EXCLUDED.tier_order, amount = EXCLUDED.amount, per_criterion = EXCLUDED.per_criterion,
    card_count = EXCLUDED.card_count, spread = EXCLUDED.spread, note = EXCLUDED.note,
    computed_at = EXCLUDED.computed_at
"""


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
        columns = ["final_score", "rank", "tier", "tier_order", "amount", "per_criterion", "card_count", "spread",
                   "note"]
        arrays = [[entry for entry, _v in values]]
        for column in columns:
            arrays.append([json.dumps(v[column], ensure_ascii=False) if column == "per_criterion" else v[column]
                           for _e, v in values])
        with connection.cursor() as cursor:
            cursor.execute(_UPSERT_PG, [roadshow.pk, now, *arrays])
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
    scores, averages = queries.award_scores(roadshow, method)  # cards are frozen once closed: no lock
    report(60)
    actor = job.created_by if job is not None else None
    with transaction.atomic():
        roadshow = lock_roadshow(roadshow)
        require_status(roadshow, COMPUTE_STATES, message)
        if roadshow.aggregation != method:  # changed meanwhile: aggregate again, under the lock
            scores, averages = queries.award_scores(roadshow, roadshow.aggregation)
        entry_count = len(scores)
        tiers = tiers_for(roadshow, entry_count)
        if not roadshow.tiers.exists():
            _write_tiers(roadshow, tiers)
            record(actor=actor, obj=roadshow, action=EventAction.SAVE_TIERS, roadshow=roadshow,
                   reason=_("使用默认奖项等次"), data={"from": [], "to": [t.as_dict() for t in tiers]})
        plan = _plan(roadshow, method=roadshow.aggregation, tiers=tiers, policy=roadshow.budget_policy,
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


def _set_progress(job_id, percent):
    # Every report touches ``updated_at`` (even one below the progress a killed earlier run
    # reached): a running job that stops reporting is taken for dead (requeue_pending_jobs).
    ComputeJob.objects.filter(pk=job_id).update(progress=Greatest(F("progress"), Value(percent)),
                                                updated_at=timezone.now())


def _finish(job, state, *, result=None, error=""):
    job.state, job.error, job.finished_at = state, error, timezone.now()
    if state == JobState.SUCCEEDED:
        job.progress, job.result = 100, result
    job.save(update_fields=["state", "error", "finished_at", "progress", "result", "updated_at"])


def run_job(*, job_id):
    """Run a compute job (what the Celery tasks call): ``pending``/``running`` → ``running`` →
    ``succeeded`` with the summary, or ``failed`` with a clear error. A job already finished is
    left alone (a message delivered twice); a ``running`` one is run again (its worker died: the
    broker redelivered the message). Domain errors fail the job quietly; anything else fails
    it and is raised again for Celery to log. Returns the job (``None`` if unknown)."""
    with transaction.atomic():
        job = ComputeJob.objects.select_for_update(**ROW_LOCK).filter(pk=job_id).first()
        if job is None or job.state in (JobState.SUCCEEDED, JobState.FAILED):
            return job
        job.state, job.attempts, job.started_at, job.error = JobState.RUNNING, job.attempts + 1, timezone.now(), ""
        job.progress = max(job.progress, 1)
        job.save(update_fields=["state", "attempts", "started_at", "error", "progress", "updated_at"])

    def progress(percent):
        _set_progress(job.pk, percent)

    try:
        if job.kind == JobKind.COMPUTE:
            result = compute_results(roadshow_id=job.roadshow_id, job=job, progress=progress).summary()
        else:
            result = rank_units(year=job.year, progress=progress)
    except (WorkflowError, ValidationError, PermissionDenied, ObjectDoesNotExist) as exc:
        error = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        _finish(job, JobState.FAILED, error=error)
        _record_failure(job, error)
        return job
    except Exception as exc:
        error = _("计算出错：%(e)s") % {"e": exc.__class__.__name__}
        _finish(job, JobState.FAILED, error=error)
        _record_failure(job, f"{error} {exc}")
        raise
    _finish(job, JobState.SUCCEEDED, result=result)
    return job


def _record_failure(job, error):
    if job.roadshow_id is not None:
        record(actor=job.created_by, obj=job, action=EventAction.COMPUTE, roadshow=job.roadshow,
               from_state=JobState.RUNNING, to_state=JobState.FAILED, reason=error)


def stale_after():
    """How long a ``running`` job may go without reporting progress before it is taken for
    dead (its worker was killed): ``settings.COMPUTE_JOB_STALE_SECONDS``, default 600 s."""
    return timedelta(seconds=getattr(settings, "COMPUTE_JOB_STALE_SECONDS", 600))


def requeue_pending_jobs(*, older_than=60, lost_after=LOST_AFTER, stale=None):
    """Publish again the jobs still ``pending`` — never published (the broker was down) and
    older than ``older_than`` seconds, or published more than ``lost_after`` ago (the message
    was lost) — and the jobs ``running`` whose last progress report (``updated_at``, touched by
    every report) is older than ``stale`` (default :func:`stale_after`): their worker died, and
    Redis would redeliver the unacknowledged message only after the visibility timeout (hours).
    A second run of a job that was merely slow is harmless: the task is idempotent. Returns how
    many were published. Run by ``manage.py requeue_pending_jobs``, by the worker when it
    starts and by a periodic task."""
    now = timezone.now()
    stale = stale_after() if stale is None else stale
    if not isinstance(stale, timedelta):
        stale = timedelta(seconds=stale)
    if not isinstance(lost_after, timedelta):
        lost_after = timedelta(seconds=lost_after)
    due = (Q(enqueued_at__isnull=True, created_at__lte=now - timedelta(seconds=older_than))
           | Q(enqueued_at__lte=now - lost_after))
    published = 0
    for job_id in ComputeJob.objects.filter(due, state=JobState.PENDING).order_by("created_at").values_list(
            "pk", flat=True):
        published += publish_job(job_id)
    for job_id in (ComputeJob.objects.filter(state=JobState.RUNNING, updated_at__lte=now - stale)
                   .order_by("created_at").values_list("pk", flat=True)):
        published += publish_job(job_id, states=(JobState.RUNNING,))
    return published


# --- 公示 and objections ----------------------------------------------------------------------


def _require_current_results(roadshow):
    """Results exist and were computed from the roadshow's settings as they are now."""
    if not roadshow.results.exists():
        raise WorkflowError(_("尚未计算评定结果，请先计算。"), state=roadshow.status)
    current = settings_signature(roadshow.aggregation, roadshow.budget_policy, tiers_for(roadshow))
    if roadshow.results_signature != current:
        raise WorkflowError(_("计分方法、奖项等次或预算处理方式已修改，请重新计算结果。"), state=roadshow.status)


@transaction.atomic
def publicize(*, actor, roadshow, days):
    """closed → publicity (公示) for ``days`` days (1–30): the computed results become readable
    by every union's staff, who may object until ``publicity_until``. Side effects: status,
    ``publicity_until``, a ``publicize`` event."""
    roadshow = lock_roadshow(roadshow)
    _require_awards_admin(actor, roadshow)
    try:
        valid = not isinstance(days, (bool, float)) and 1 <= int(days) <= PUBLICITY_MAX_DAYS
        days = int(days)
    except (TypeError, ValueError):
        valid = False
    if not valid:
        raise ValidationError({"days": _("公示天数须为 1 到 %(n)s 之间的整数。") % {"n": PUBLICITY_MAX_DAYS}})
    from_state = _move(roadshow, EventAction.PUBLICIZE)
    _require_current_results(roadshow)
    roadshow.publicity_until = timezone.now() + timedelta(days=days)
    roadshow.save(update_fields=["status", "publicity_until"])
    record(actor=actor, obj=roadshow, action=EventAction.PUBLICIZE, roadshow=roadshow, from_state=from_state,
           to_state=roadshow.status, data={"days": days, "until": roadshow.publicity_until.isoformat()})
    return roadshow


# --- finalising -----------------------------------------------------------------------------


@transaction.atomic
def finalize(*, actor, roadshow, at=None):
    """closed or publicity → finalized (定稿): the results are published to the applicants,
    every project with a tier moves to ``awarded`` and gets one ``pending`` payout of its
    result's amount. Needs current results and every objection answered; the awards must still
    fit the campaign's remaining budget (another roadshow may have been finalised since the
    compute: then recompute). A second finalise is 409; the payout's unique constraint backs
    the roadshow lock. Side effects: status, ``finalized_at`` (now, or ``at``: the demo's story
    date, kept in the event's data too), project transitions (``ProjectEvent``), payouts, a
    ``create_payout`` event each and a ``finalize`` event."""
    roadshow = lock_roadshow(roadshow)
    _require_awards_admin(actor, roadshow)
    from_state = _move(roadshow, EventAction.FINALIZE)
    _require_current_results(roadshow)
    unanswered = roadshow.objections.filter(answered_at__isnull=True).count()
    if unanswered:
        raise WorkflowError(_("还有 %(n)s 条异议未答复，不能定稿。") % {"n": unanswered}, state=from_state)
    campaign = Campaign.objects.select_for_update(**ROW_LOCK).get(pk=roadshow.campaign_id)
    awarded = list(Result.objects.filter(roadshow=roadshow).exclude(tier="")
                   .select_related("entry__project").order_by("rank", "entry__order", "entry_id"))
    total = sum((r.amount for r in awarded), awards.ZERO_MONEY)
    budget = remaining_budget(roadshow, campaign)
    if total > budget:
        raise WorkflowError(
            _("奖补总额 %(t)s 元超出本年度剩余预算 %(b)s 元（其他路演已定稿），请重新计算结果。")
            % {"t": format_money(total), "b": format_money(budget)},
            state=from_state)
    for result in awarded:
        project = project_services.mark_awarded(actor=actor, project=result.entry.project,
                                               context={"roadshow": roadshow.pk})
        payout, created = Payout.objects.get_or_create(
            project=project,
            defaults={"roadshow": roadshow, "result": result, "tier": result.tier, "amount": result.amount},
        )
        if not created:
            raise WorkflowError(_("项目%(p)s已有补贴拨付记录。") % {"p": quoted(project)}, state=from_state)
        record(actor=actor, obj=payout, action=EventAction.CREATE_PAYOUT, roadshow=roadshow,
               to_state=payout.status, data={"project": project.pk, "tier": payout.tier, "amount": str(payout.amount)})
    roadshow.finalized_at = at or timezone.now()
    roadshow.save(update_fields=["status", "finalized_at"])
    record(actor=actor, obj=roadshow, action=EventAction.FINALIZE, roadshow=roadshow, from_state=from_state,
           to_state=roadshow.status, data={"awarded": len(awarded), "total": str(total), "budget": str(budget),
                                           "finalized_at": roadshow.finalized_at.isoformat()})
    return roadshow


@transaction.atomic
def reopen_results(*, actor, roadshow, reason):
    """finalized → closed, with a reason, so that the results can be recomputed. Refused (409)
    once any payout of the roadshow is approved or paid: money has moved. The pending payouts
    are deleted and the awarded projects go back to ``shortlisted`` (a ``revoke_award``
    project event with the reason); the stored results stay until the next compute. Side
    effects: those, a ``delete_payout`` event per payout and a ``reopen_results`` event."""
    roadshow = lock_roadshow(roadshow)
    _require_awards_admin(actor, roadshow)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写撤销定稿的理由。")})
    from_state = _move(roadshow, EventAction.REOPEN_RESULTS)
    payouts = list(Payout.objects.select_for_update(**ROW_LOCK).filter(roadshow=roadshow)
                   .select_related("project").order_by("pk"))
    moved = [p for p in payouts if p.status != PayoutStatus.PENDING]
    if moved:
        raise WorkflowError(_("已有 %(n)s 笔补贴已审批或已拨付，不能撤销定稿。") % {"n": len(moved)}, state=from_state)
    for payout in payouts:
        record(actor=actor, obj=payout, action=EventAction.DELETE_PAYOUT, roadshow=roadshow,
               from_state=payout.status, reason=reason,
               data={"project": payout.project_id, "tier": payout.tier, "amount": str(payout.amount)})
        project_services.revoke_award(actor=actor, project=payout.project, reason=reason,
                                      context={"roadshow": roadshow.pk})
    Payout.objects.filter(pk__in=[p.pk for p in payouts]).delete()
    roadshow.finalized_at = None
    roadshow.publicity_until = None
    roadshow.save(update_fields=["status", "finalized_at", "publicity_until"])
    record(actor=actor, obj=roadshow, action=EventAction.REOPEN_RESULTS, roadshow=roadshow, from_state=from_state,
           to_state=roadshow.status, reason=reason, data={"payouts_deleted": len(payouts)})
    return roadshow


# --- payouts --------------------------------------------------------------------------------


def _move_payout(*, actor, payout, action):
    row = Payout.objects.select_related("roadshow").get(pk=payout.pk)
    roadshow = lock_roadshow(row.roadshow)
    _require_awards_admin(actor, roadshow)
    payout = Payout.objects.select_for_update(**ROW_LOCK).select_related("project__applicant_union").get(pk=payout.pk)
    sources, target = PAYOUT_TRANSITIONS[action]
    if payout.status not in sources:
        message = (_("补贴尚未审批，不能确认已拨付。") if action == EventAction.MARK_PAID and
                   payout.status == PayoutStatus.PENDING else
                   _("补贴当前状态为“%(s)s”，不能%(a)s。") % {"s": payout.get_status_display(), "a": action.label})
        raise WorkflowError(message, state=payout.status)
    from_state = payout.status
    payout.status = target
    return roadshow, payout, from_state


@transaction.atomic
def approve_payout(*, actor, payout, at=None):
    """pending → approved, by an admin of the campaign. Side effects: ``approved_by/at`` (now,
    or ``at``: the demo's story date), an ``approve_payout`` event with the amount and date."""
    roadshow, payout, from_state = _move_payout(actor=actor, payout=payout, action=EventAction.APPROVE_PAYOUT)
    payout.approved_by, payout.approved_at = actor, at or timezone.now()
    payout.save(update_fields=["status", "approved_by", "approved_at"])
    record(actor=actor, obj=payout, action=EventAction.APPROVE_PAYOUT, roadshow=roadshow, from_state=from_state,
           to_state=payout.status, data={"project": payout.project_id, "amount": str(payout.amount),
                                         "approved_at": payout.approved_at.isoformat()})
    return payout


@transaction.atomic
def mark_paid(*, actor, payout):
    """approved → paid (已拨付), by an admin of the campaign; paid before approved is 409.
    Side effects: ``paid_by/at``, a ``mark_paid`` event with the amount."""
    roadshow, payout, from_state = _move_payout(actor=actor, payout=payout, action=EventAction.MARK_PAID)
    payout.paid_by, payout.paid_at = actor, timezone.now()
    payout.save(update_fields=["status", "paid_by", "paid_at"])
    record(actor=actor, obj=payout, action=EventAction.MARK_PAID, roadshow=roadshow, from_state=from_state,
           to_state=payout.status, data={"project": payout.project_id, "amount": str(payout.amount)})
    return payout


# --- 工会工作先进单位 ---------------------------------------------------------------------------


def top_level_union_id(path):
    """The union directly under the root on ``path`` ("/root/top/…/"): the county or direct
    unit a union belongs to; the root itself for the root."""
    ids = [int(p) for p in path.strip("/").split("/") if p]
    return ids[1] if len(ids) > 1 else ids[0]


def tier_points(tier, tier_order):
    """A tier's points for the unit ranking: by name (特优 5, 一等 3, 二等 2, 三等 1), else by the
    rule's position."""
    if tier in UNIT_POINTS_BY_NAME:
        return UNIT_POINTS_BY_NAME[tier]
    if tier_order is None:
        return 0
    return UNIT_POINTS[tier_order - 1] if 1 <= tier_order <= len(UNIT_POINTS) else 1


def rank_units(*, year, progress=None):
    """Rank the top-level units (市(县)区总工会 and direct units) by the points of their
    projects' tiers in the year's finalised roadshows (:func:`tier_points`); equal points share a
    rank. Replaces the year's ``UnitRanking`` rows. The year's campaigns are locked meanwhile,
    so two rankings of one year at once run one after the other. Returns a summary."""
    report = progress or (lambda percent: None)
    with transaction.atomic():
        list(Campaign.objects.select_for_update(**ROW_LOCK).filter(year=year).order_by("pk").values_list("pk"))
        rows = (Result.objects.filter(roadshow__campaign__year=year, roadshow__status=RoadshowStatus.FINALIZED,
                                      tier_order__isnull=False)
                .values_list("tier", "tier_order", "entry__project_id", "entry__project__applicant_union__path")
                .order_by("entry__project_id"))
        points, breakdown = {}, {}
        for tier, tier_order, project_id, path in rows:
            unit = top_level_union_id(path)
            points[unit] = points.get(unit, 0) + tier_points(tier, tier_order)
            detail = breakdown.setdefault(unit, {"tiers": {}, "projects": []})
            detail["tiers"][tier] = detail["tiers"].get(tier, 0) + 1
            detail["projects"].append(project_id)
        report(50)
        ranked = aggregation.rank({unit: Decimal(p) for unit, p in points.items()})
        UnitRanking.objects.filter(year=year).delete()
        now = timezone.now()
        UnitRanking.objects.bulk_create(
            UnitRanking(year=year, union_id=r.key, points=int(r.score), rank=r.rank, breakdown=breakdown[r.key],
                        computed_at=now)
            for r in ranked
        )
    report(95)
    return {"year": year, "units": len(ranked),
            "top": [{"union": r.key, "points": int(r.score), "rank": r.rank} for r in ranked[:10]]}


def request_unit_ranking(*, actor, year):
    """Ask for the year's unit ranking (admins). Returns the ``ComputeJob`` (see
    :func:`request_compute` for how it reaches the worker)."""
    if not may(actor, "evaluations.rank_units"):
        raise PermissionDenied(NOT_ALLOWED)
    try:
        year = int(year)
        valid = 2000 <= year <= 2100
    except (TypeError, ValueError):
        valid = False
    if not valid:
        raise ValidationError({"year": _("年度无效。")})
    with transaction.atomic():
        job = _new_job(actor=actor, kind=JobKind.UNIT_RANKING, year=year)
    job.refresh_from_db()
    return job


__all__ = [
    "BROKER_ERRORS",
    "AwardPlan",
    "PlanRow",
    "approve_payout",
    "clean_tiers",
    "compute_results",
    "finalize",
    "mark_paid",
    "preview",
    "publicize",
    "publish_job",
    "rank_units",
    "remaining_budget",
    "reopen_results",
    "request_compute",
    "request_unit_ranking",
    "requeue_pending_jobs",
    "run_job",
    "save_tiers",
    "settings_signature",
    "stale_after",
    "tiers_for",
    "top_level_union_id",
]
