"""The project list and the filing form (create, edit, submit)."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from members.models import Union
from members.rules import is_admin, is_county_admin, is_staff_member, may
from unionproj.errors import WorkflowError
from unionproj.text import quoted
from unionproj.inputs import parse_id

from .. import queries, services
from ..enums import EDITABLE_STATES
from ..forms import ProjectFilterForm, ProjectForm, category_choices
from ._common import (
    LONG_TEXT_FIELDS,
    PAGE_SIZE,
    _add_service_errors,
    _error_text,
    _go,
    _open_campaigns_for,
    _visible_project_or_404,
    _with_badges,
)


# --- list -----------------------------------------------------------------------------------


def _filer_defaults(user, open_campaigns):
    """What a filer's list opens on: the projects of the own union line, in the campaign open for
    filing now; other years and other unions' closed projects (项目库) are behind the filters."""
    if not (is_staff_member(user) and user.union_id) or is_admin(user) or is_county_admin(user):
        return {}
    defaults = {"scope": "mine"}
    if open_campaigns:
        defaults["campaign"] = str(max(open_campaigns, key=lambda c: (c.year, c.pk)).pk)
    return defaults


@login_required
def project_list(request):
    user = request.user
    # A row shows neither the summary nor the plan: leave the long texts in the database.
    visible = queries.project_list(user).defer(*LONG_TEXT_FIELDS)
    campaigns = queries.campaigns_visible_to(user)
    # The unions with a visible project: one EXISTS probe per union (it stops at the first
    # project), not a pass over every visible project as ``pk IN (…applicant_union)`` was.
    unions = Union.objects.filter(Exists(queries.projects_visible_to(user).filter(applicant_union=OuterRef("pk"))))
    open_campaigns = list(_open_campaigns_for(user))
    asked = request.GET.copy()
    asked.pop("page", None)
    # A bare ?page=N keeps the defaults: its links are made from them.
    data = asked or _filer_defaults(user, open_campaigns)
    form = ProjectFilterForm(data or None, campaigns=campaigns, unions=unions,
                             categories=category_choices(campaigns), union=user.union)
    projects = form.filter(visible) if form.is_bound else visible
    page = Paginator(projects.order_by("-created_at", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    _with_badges(page.object_list)
    context = {
        "form": form,
        "page": page,
        "filtered": form.is_bound and any(v for k, v in asked.items()),
        "defaults_applied": not asked and bool(data),
        "querystring": data.urlencode() if hasattr(data, "urlencode") else urlencode(data),
        "open_campaigns": open_campaigns,
    }
    template = "projects/_project_results.html" if getattr(request, "htmx", False) else "projects/project_list.html"
    return render(request, template, context)


def _save_and_maybe_submit(request, *, project):
    """After a draft is saved: submit it when asked; report the outcome. Returns the redirect."""
    if request.POST.get("intent") != "submit":
        messages.success(request, _("草稿已保存。"))
        return _go(request, "projects:detail", pk=project.pk)
    try:
        services.submit_project(actor=request.user, project=project)
    except (WorkflowError, ValidationError) as exc:
        messages.warning(request, _("草稿已保存，但未能提交：%(e)s") % {"e": _error_text(exc)})
        return _go(request, "projects:edit", pk=project.pk)
    messages.success(request, _("项目%(t)s已提交申报。") % {"t": quoted(project.title)})
    return _go(request, "projects:detail", pk=project.pk)


@login_required
def project_create(request):
    campaign_id = parse_id(request.GET.get("campaign") or request.POST.get("campaign"))
    if campaign_id is None:
        raise Http404(_("请从年度项目页面进入申报。"))
    campaign = get_object_or_404(queries.campaigns_visible_to(request.user), pk=campaign_id)
    if not may(request.user, "projects.add_project"):
        raise PermissionDenied(_("只有申报员可以申报项目。"))
    form = ProjectForm(request.POST or None, request.FILES or None, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        try:
            project = services.create_project(actor=request.user, campaign=campaign,
                                              files=form.cleaned_data["files"], **form.service_fields())
        except ValidationError as exc:
            _add_service_errors(form, exc)
        else:
            return _save_and_maybe_submit(request, project=project)
    return render(request, "projects/project_form.html", {"form": form, "campaign": campaign, "project": None})


@login_required
def project_edit(request, pk):
    project = _visible_project_or_404(request.user, pk)
    if not may(request.user, "projects.change_project", project):
        raise PermissionDenied(_("只有申报单位的申报员可以修改项目。"))
    if project.status not in EDITABLE_STATES:
        messages.error(request, _("项目当前状态为“%(s)s”，不能修改。") % {"s": project.get_status_display()})
        return redirect("projects:detail", pk=project.pk)
    form = ProjectForm(request.POST or None, request.FILES or None, instance=project, campaign=project.campaign)
    if request.method == "POST" and form.is_valid():
        try:
            project = services.update_project(actor=request.user, project=project,
                                              files=form.cleaned_data["files"], **form.service_fields())
        except ValidationError as exc:
            _add_service_errors(form, exc)
        except WorkflowError as exc:
            messages.error(request, str(exc))
            return redirect("projects:detail", pk=project.pk)
        else:
            return _save_and_maybe_submit(request, project=project)
    return render(request, "projects/project_form.html",
                  {"form": form, "campaign": project.campaign, "project": project,
                   "window_closed": not services.may_still_submit(project)})
