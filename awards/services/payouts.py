"""Payouts (以奖代拨): pending → approved → paid, one at a time or in bulk."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from evaluations.enums import EventAction
from evaluations.rules import MANAGE_AWARDS
from evaluations.services.common import ROW_LOCK, lock_roadshow, record
from members.rules import require_perm
from unionproj.errors import WorkflowError

from ..enums import PAYOUT_TRANSITIONS, PayoutStatus
from ..models import Payout

# --- payouts --------------------------------------------------------------------------------


def _move_payout(*, actor, payout, action):
    row = Payout.objects.select_related("roadshow").get(pk=payout.pk)
    roadshow = lock_roadshow(row.roadshow)
    require_perm(actor, MANAGE_AWARDS, roadshow)
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




MAX_BULK = 500


@transaction.atomic
def approve_payouts(*, actor, payouts):
    """pending → approved for every payout in ``payouts``, all or none: one transaction, each
    payout through :func:`approve_payout` (locked, permission and state checked, audited), in id
    order so that two bulk approvals lock rows in the same order. Any payout not pending, or of
    a roadshow ``actor`` does not run, refuses the whole batch (``WorkflowError`` 409 /
    ``PermissionDenied`` 403). Returns ``(approved payouts, total amount)``.

    Side effects: those of :func:`approve_payout`, once per payout (an ``approve_payout`` event each)."""
    unique = sorted({p.pk: p for p in payouts}.values(), key=lambda p: p.pk)
    if not unique:
        raise ValidationError({"ids": _("请选择要审批的补贴。")})
    if len(unique) > MAX_BULK:
        raise ValidationError({"ids": _("一次最多审批 %(n)s 笔补贴。") % {"n": MAX_BULK}})
    approved = [approve_payout(actor=actor, payout=payout) for payout in unique]
    return approved, sum((p.amount for p in approved), Decimal("0.00"))
