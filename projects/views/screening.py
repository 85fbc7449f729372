"""Screening (审核): the queue, the approved and closing tabs, and bulk actions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from members.rules import is_admin, is_county_admin

from .. import queries, services
from ..enums import REASON_REQUIRED, Action, ProjectStatus
from ..forms import BulkActionForm, ReasonForm, ScreeningFilterForm
from ..models import Project
from ._common import BADGE, DONE, SCREENING_PAGE_SIZE, _safe_next, can_screen
from .detail import _action_buttons, available_actions


# --- screening ------------------------------------------------------------------------------

TABS = ("queue", "approved", "closing")


def _screening_rows(user, projects):
    """Rows of a screening table, each with the actions the user may take on it now."""
    rows = []
    for project in projects:
        project.badge_class = BADGE.get(project.status, "text-bg-secondary")
        actions = available_actions(user, project)
        note = ""
        if (project.status == ProjectStatus.SUBMITTED and not project.campaign.require_recommendation
                and is_county_admin(user) and not is_admin(user)):
            # Nothing to recommend: say so here, before a bulk "推荐" fails on it.
            note = _("本年度不需要区县推荐，由%(owner)s直接审核；您仍可退回修改。") % {
                "owner": project.campaign.owner_union.name}
        rows.append({
            "project": project,
            "note": note,
            "simple_actions": _action_buttons([a for a in actions if a not in REASON_REQUIRED]),
            "reason_actions": _action_buttons([a for a in actions if a in REASON_REQUIRED]),
        })
    return rows


@login_required
def screening(request):
    user = request.user
    if not can_screen(user):
        raise PermissionDenied(_("只有市总管理员和区县管理员可以审核项目。"))
    tab = request.GET.get("tab") if request.GET.get("tab") in TABS else "queue"
    campaigns = queries.campaigns_visible_to(user)
    form = ScreeningFilterForm(request.GET or None, campaigns=campaigns)
    queue = queries.screening_queue(user)
    # Admins shortlist (入围) approved projects of their campaigns.
    approved = (queries.project_list(user).filter(status=ProjectStatus.APPROVED) if is_admin(user)
                else Project.objects.none())
    # ... and decide on closing reports (结项审核).
    closing = (queries.project_list(user).filter(status=ProjectStatus.CLOSING) if is_admin(user)
               else Project.objects.none())
    queue = form.filter(queue)
    approved = form.filter(approved, with_status=False)
    closing = form.filter(closing, with_status=False)
    counts = {"queue": queue.count(), "approved": approved.count() if is_admin(user) else 0,
              "closing": closing.count() if is_admin(user) else 0}
    shown = {"queue": queue, "approved": approved, "closing": closing}[tab]
    # The permission predicates read the campaign's owner union; fetch it with the rows.
    shown = shown.select_related("campaign__owner_union", "applicant_union").order_by("submitted_at", "id")
    page = Paginator(shown, SCREENING_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    if tab == "approved":
        bulk_actions = [Action.SHORTLIST]
    elif tab == "closing":
        bulk_actions = [Action.ACCEPT_CLOSURE]
    else:
        bulk_actions = [Action.APPROVE, Action.RETURN, Action.REJECT] if is_admin(user) else []
        if is_county_admin(user):
            bulk_actions += [a for a in (Action.RECOMMEND, Action.RETURN) if a not in bulk_actions]
    context = {
        "form": form,
        "tab": tab,
        "counts": counts,
        "show_approved_tab": is_admin(user),
        "page": page,
        "rows": _screening_rows(user, page.object_list),
        "querystring": query.urlencode(),
        "bulk_choices": [(a.value, a.label) for a in bulk_actions],
        "here": request.get_full_path(),
        "reason_form": ReasonForm(),
    }
    return render(request, "projects/screening.html", context)


@require_POST
@login_required
def screening_bulk(request):
    user = request.user
    if not can_screen(user):
        raise PermissionDenied(_("只有市总管理员和区县管理员可以审核项目。"))
    back = _safe_next(request, reverse("projects:screening"))
    form = BulkActionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    action = Action(form.cleaned_data["action"])
    ids = form.cleaned_data["projects"]
    projects = list(queries.projects_visible_to(user).filter(pk__in=ids).order_by("id"))
    done, refused = services.bulk_action(actor=user, projects=projects, action=action,
                                         reason=form.cleaned_data["reason"])
    missing = len(ids) - len(projects)
    if done:
        messages.success(request, _("%(n)d 个项目%(done)s。") % {"n": len(done), "done": DONE[action]})
    if refused or missing:
        reasons = [f"“{p.title}”:{message}" for p, message in refused]
        if missing:
            reasons.append(_("%(n)d 个项目不存在或您无权查看") % {"n": missing})
        messages.error(request, _("%(n)d 个未处理：%(reasons)s") % {
            "n": len(refused) + missing, "reasons": ";".join(reasons)})
    return redirect(back)
