"""Payout writes on several payouts at once (the payouts page's 批量审批 and
``POST /api/v1/payouts/approve/``). One payout's steps are in ``awards``."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .awards import approve_payout

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
