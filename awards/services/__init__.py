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
  statement on PostgreSQL, see ``evaluations.sql.aggregation``; GROUP BY queries and Python
  on SQLite):
  once a roadshow is closed its cards cannot change any more (cards are scored and reopened
  only while scoring, and nothing leads back to scoring), so the heavy read needs no lock and
  the progress it reports is visible. Everything that can change while closed — the tier
  rules, the aggregation, the budget policy, the remaining budget — is read under the
  roadshow's lock, where the results are stored (one per entry: update, insert, delete
  stale). Two runs in a row or at once therefore store the same results, once.
"""

from unionproj.jobs import BROKER_ERRORS

from .jobs import publish_job, requeue_pending_jobs, run_job, stale_after
from .objections import RateLimited, answer_objection, answer_objections, dismiss_objections, file_objection
from .payouts import approve_payout, approve_payouts, mark_paid
from .planning import AwardPlan, PlanRow, preview, remaining_budget
from .publicity import finalize, publicize, reopen_results
from .ranking import rank_units, request_unit_ranking, tier_points, top_level_union_id
from .results import compute_results, request_compute
from .tiers import clean_tiers, save_tiers, settings_signature, tiers_for

__all__ = ["AwardPlan", "BROKER_ERRORS", "PlanRow", "RateLimited", "answer_objection", "answer_objections", "approve_payout", "approve_payouts", "clean_tiers", "compute_results", "dismiss_objections", "file_objection", "finalize", "mark_paid", "preview", "publicize", "publish_job", "rank_units", "remaining_budget", "reopen_results", "request_compute", "request_unit_ranking", "requeue_pending_jobs", "run_job", "save_tiers", "settings_signature", "stale_after", "tier_points", "tiers_for", "top_level_union_id"]
