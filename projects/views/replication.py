"""Replication plans (复制推广) and the overdue progress reports."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import Union
from members.rules import is_staff_member, may
from unionproj.errors import WorkflowError

from .. import queries, services
from ..enums import ReplicationStatus
from ..forms import ReplicationFilterForm, ReplicationUpdateForm
from ._common import PAGE_SIZE, _add_service_errors


# --- replication plans ------------------------------------------------------------------------

REPLICATION_BADGE = {
    ReplicationStatus.PLANNED: "text-bg-secondary",
    ReplicationStatus.IN_PROGRESS: "text-bg-info",
    ReplicationStatus.DONE: "text-bg-success",
}


@login_required
def replication_list(request):
    """All replication plans the user may read, by year (filters: year, adopting union, status)."""
    user = request.user
    visible = queries.replication_plans_visible_to(user)
    unions = Union.objects.filter(pk__in=visible.values("adopting_union"))
    form = ReplicationFilterForm(request.GET or None, unions=unions)
    plans = form.filter(visible) if form.is_bound else visible
    page = Paginator(plans.order_by("-year", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    for plan in page.object_list:
        plan.badge_class = REPLICATION_BADGE.get(plan.status, "text-bg-secondary")
    per_year = list(visible.order_by().values("year").annotate(n=Count("id")).order_by("-year"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "per_year": per_year, "querystring": query.urlencode(),
               "candidates": queries.closed_projects_to_replicate(user).order_by("-campaign__year", "id")[:20]
               if is_staff_member(user) else []}
    return render(request, "projects/replication_list.html", context)


@login_required
def replication_detail(request, pk):
    plan = get_object_or_404(queries.replication_plans_visible_to(request.user), pk=pk)
    may_change = may(request.user, "projects.change_replicationplan", plan)
    form = None
    if may_change:
        form = ReplicationUpdateForm(request.POST or None, initial={
            "status": plan.status, "plan": plan.plan, "adoption_report": plan.adoption_report})
        if request.method == "POST" and form.is_valid():
            try:
                services.update_replication_plan(
                    actor=request.user, plan=plan, status=form.cleaned_data["status"],
                    plan_text=form.cleaned_data["plan"], adoption_report=form.cleaned_data["adoption_report"])
            except ValidationError as exc:
                _add_service_errors(form, exc)
            except WorkflowError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("推广计划已更新。"))
                return redirect("projects:replication-detail", pk=plan.pk)
    elif request.method == "POST":
        raise PermissionDenied(_("只有推广单位的申报员或其上级管理员可以更新推广计划。"))
    plan.badge_class = REPLICATION_BADGE.get(plan.status, "text-bg-secondary")
    history = list(plan.history.select_related("history_user").order_by("history_date", "history_id"))
    return render(request, "projects/replication_detail.html", {"plan": plan, "form": form, "history": history})


# --- progress reports overdue -----------------------------------------------------------------


@login_required
def overdue_reports(request):
    if not may(request.user, "projects.view_overdue_reports"):
        raise PermissionDenied(_("只有市总管理员和区县管理员可以查看逾期报告。"))
    today = timezone.localdate()
    page = Paginator(queries.overdue_progress_reports(request.user, today=today), PAGE_SIZE).get_page(
        request.GET.get("page"))
    for project in page.object_list:
        project.days_overdue = (today - project.campaign.progress_report_due).days
    return render(request, "projects/overdue_reports.html", {"page": page, "today": today})
