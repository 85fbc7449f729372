"""公示, finalising (定稿) and reopening the results."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from awards import allocation
from evaluations.enums import EventAction
from evaluations.rules import MANAGE_AWARDS
from evaluations.services.common import ROW_LOCK, lock_roadshow, record
from members.rules import require_perm
from projects import services as project_services
from projects.models import Campaign
from unionproj.errors import WorkflowError
from unionproj.money import format_money
from unionproj.text import quoted

from ..enums import PUBLICITY_MAX_DAYS, PayoutStatus
from ..models import Payout, Result
from ._common import move_roadshow
from .planning import remaining_budget
from .tiers import settings_signature, tiers_for

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
    require_perm(actor, MANAGE_AWARDS, roadshow)
    try:
        valid = not isinstance(days, (bool, float)) and 1 <= int(days) <= PUBLICITY_MAX_DAYS
        days = int(days)
    except (TypeError, ValueError):
        valid = False
    if not valid:
        raise ValidationError({"days": _("公示天数须为 1 到 %(n)s 之间的整数。") % {"n": PUBLICITY_MAX_DAYS}})
    from_state = move_roadshow(roadshow, EventAction.PUBLICIZE)
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
    require_perm(actor, MANAGE_AWARDS, roadshow)
    from_state = move_roadshow(roadshow, EventAction.FINALIZE)
    _require_current_results(roadshow)
    unanswered = roadshow.objections.filter(answered_at__isnull=True).count()
    if unanswered:
        raise WorkflowError(_("还有 %(n)s 条异议未答复，不能定稿。") % {"n": unanswered}, state=from_state)
    campaign = Campaign.objects.select_for_update(**ROW_LOCK).get(pk=roadshow.campaign_id)
    awarded = list(Result.objects.filter(roadshow=roadshow).exclude(tier="")
                   .select_related("entry__project").order_by("rank", "entry__order", "entry_id"))
    total = sum((r.amount for r in awarded), allocation.ZERO_MONEY)
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
    require_perm(actor, MANAGE_AWARDS, roadshow)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写撤销定稿的理由。")})
    from_state = move_roadshow(roadshow, EventAction.REOPEN_RESULTS)
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


