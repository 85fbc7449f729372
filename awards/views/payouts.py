"""Payouts (以奖代拨): the list with filters and totals, approve, mark paid, bulk approve."""


from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from evaluations import queries as scoring_queries
from evaluations.rules import MANAGE_AWARDS
from evaluations.views.common import SERVICE_ERRORS, report
from members.rules import may
from projects.queries import campaigns_visible_to
from unionproj.inputs import parse_id
from unionproj.money import format_money

from .. import queries, services
from ..enums import PayoutStatus
from ..forms import PayoutFilterForm
from ._common import PAYOUT_BADGE, PAYOUTS_PER_PAGE

# --- payouts --------------------------------------------------------------------------------


@login_required
def payout_list(request):
    user = request.user
    if not may(user, "awards.view_payouts"):
        raise PermissionDenied(_("您无权查看补贴拨付。"))
    campaigns = list(campaigns_visible_to(user).order_by("-year", "-id"))
    form = PayoutFilterForm(request.GET or None, campaigns=campaigns)
    payouts = queries.payouts_visible_to(user).select_related("roadshow__campaign")
    if form.is_valid():
        if form.cleaned_data.get("campaign"):
            payouts = payouts.filter(roadshow__campaign_id=form.cleaned_data["campaign"])
        if form.cleaned_data.get("status"):
            payouts = payouts.filter(status=form.cleaned_data["status"])
    totals = queries.payout_totals(payouts)
    page = Paginator(payouts, PAYOUTS_PER_PAGE).get_page(request.GET.get("page"))
    administered = set(scoring_queries.roadshows_administered_by(user).filter(
        pk__in={p.roadshow_id for p in page.object_list}).values_list("pk", flat=True)) if page.object_list else set()
    for payout in page.object_list:
        payout.badge_class = PAYOUT_BADGE.get(payout.status, "text-bg-light")
        payout.manageable = payout.roadshow_id in administered
    query = request.GET.copy()
    query.pop("page", None)
    bulk = any(p.manageable and p.status == PayoutStatus.PENDING for p in page.object_list)
    return render(request, "awards/payouts.html",
                  {"page": page, "form": form, "totals": totals, "query": query.urlencode(), "bulk": bulk})


def _payout_step(request, pk, service, done):
    payout = queries.payouts_visible_to(request.user).filter(pk=pk).first()
    if payout is None:
        raise Http404(_("拨付记录不存在。"))
    if not may(request.user, MANAGE_AWARDS, payout.roadshow):
        raise PermissionDenied(_("只有本次路演的管理员可以执行此操作。"))
    try:
        service(actor=request.user, payout=payout)
    except SERVICE_ERRORS as exc:
        report(request, exc)
    else:
        messages.success(request, done % {"p": payout.project.title})
    back = request.POST.get("next") or ""
    return redirect(back if back.startswith("/payouts/") else reverse("evaluations:payouts"))


@require_POST
@login_required
def payout_approve(request, pk):
    return _payout_step(request, pk, services.approve_payout, _("已审批补贴：%(p)s。"))


@require_POST
@login_required
def payout_mark_paid(request, pk):
    return _payout_step(request, pk, services.mark_paid, _("已确认拨付补贴：%(p)s。"))


@require_POST
@login_required
def payout_bulk_approve(request):
    """批量审批: the ticked pending payouts approved in one transaction (all or none), each
    audited; the page asked one confirmation naming the total. Not an admin, 403 (before the
    form); a payout the user cannot see, 404; one of a roadshow they do not run, 403."""
    if not may(request.user, "evaluations.approve_payouts"):
        raise PermissionDenied(_("只有管理员可以审批补贴。"))
    raw = request.POST.getlist("ids")
    ids = {parse_id(v) for v in raw}
    back = request.POST.get("next") or ""
    back = back if back.startswith("/payouts/") else reverse("evaluations:payouts")
    if None in ids or len(ids) != len(set(raw)):
        messages.error(request, _("所选补贴有误，请重新选择。"))
        return redirect(back)
    payouts = list(queries.payouts_visible_to(request.user).filter(pk__in=ids))
    if len(payouts) != len(ids):
        raise Http404(_("拨付记录不存在。"))
    try:
        approved, total = services.approve_payouts(actor=request.user, payouts=payouts)
    except SERVICE_ERRORS as exc:
        report(request, exc)
    else:
        messages.success(request, _("已审批 %(n)s 笔补贴，合计 %(t)s 元。") % {"n": len(approved),
                                                                       "t": format_money(total)})
    return redirect(back)


