"""Project pages: list, filing form, project page, attachments and screening.

Views are thin: they read through ``projects.queries`` (so what is not yours is 404), write
through ``projects.services`` and turn its errors into messages (``WorkflowError``,
``ValidationError``) or a 403 page (``PermissionDenied``, left to Django).
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from members.models import Union
from members.rules import is_admin, is_county_admin, is_staff_member, may, require_perm
from unionproj.errors import WorkflowError
from unionproj.text import quoted
from unionproj.inputs import parse_id

from . import importer, queries, services
from .enums import (
    EDITABLE_STATES,
    IN_PROGRESS_STATES,
    REASON_REQUIRED,
    REOPEN_FILING,
    TRANSITIONS,
    Action,
    AttachmentKind,
    AwardAction,
    ProjectStatus,
    ReplicationStatus,
)
from .forms import (
    AttachmentForm,
    BulkActionForm,
    ClosingReportForm,
    HistoryImportForm,
    ProgressReportForm,
    ProjectFilterForm,
    ProjectForm,
    ReasonForm,
    ReopenFilingForm,
    ReplicationFilterForm,
    ReplicationPlanForm,
    ReplicationUpdateForm,
    ScreeningFilterForm,
    category_choices,
)
from .models import Attachment, Campaign, Project

PAGE_SIZE = 25
LONG_TEXT_FIELDS = ("summary", "objectives", "plan", "expected_outcomes")
SCREENING_PAGE_SIZE = 50

can_screen = is_admin | is_county_admin

# What a done action is called in a message ("项目“…”已立项。").
DONE = {
    Action.SUBMIT: gettext_lazy("已提交申报"),
    Action.RECOMMEND: gettext_lazy("已推荐"),
    Action.RETURN: gettext_lazy("已退回修改"),
    Action.APPROVE: gettext_lazy("已立项"),
    Action.REJECT: gettext_lazy("已不予立项"),
    Action.SHORTLIST: gettext_lazy("已入围"),
    Action.CLOSING_REPORT: gettext_lazy("已提交结项报告"),
    Action.ACCEPT_CLOSURE: gettext_lazy("已结项"),
    Action.FAIL_CLOSURE: gettext_lazy("结项未通过"),
}
EVENT_LABELS = {
    "create": gettext_lazy("创建草稿"), "import": gettext_lazy("历史数据导入"),
    **{a.value: a.label for a in AwardAction},
    REOPEN_FILING: gettext_lazy("重新开放提交"),
    **{a.value: a.label for a in Action},
}
# Steps that cannot be undone by the one who takes them are confirmed in the browser.
CONFIRM = {
    Action.SUBMIT: gettext_lazy("确认提交申报？提交后不能修改。"),
    Action.RECOMMEND: gettext_lazy("确认推荐该项目？"),
    Action.RETURN: gettext_lazy("确认退回该项目？"),
    Action.APPROVE: gettext_lazy("确认立项？"),
    Action.REJECT: gettext_lazy("确认不予立项？此操作不可撤销。"),
    Action.SHORTLIST: gettext_lazy("确认该项目入围？"),
    Action.CLOSING_REPORT: gettext_lazy("确认提交结项报告？"),
    Action.ACCEPT_CLOSURE: gettext_lazy("确认结项通过？通过后各单位均可查看并复制推广该项目。"),
    Action.FAIL_CLOSURE: gettext_lazy("确认结项不通过？"),
}
# The closing report has a form of its own (text and files), not a button.
OWN_FORM_ACTIONS = {Action.CLOSING_REPORT}
BADGE = {
    ProjectStatus.DRAFT: "text-bg-secondary",
    ProjectStatus.RETURNED: "text-bg-warning",
    ProjectStatus.SUBMITTED: "text-bg-primary",
    ProjectStatus.RECOMMENDED: "text-bg-info",
    ProjectStatus.APPROVED: "text-bg-success",
    ProjectStatus.REJECTED: "text-bg-danger",
    ProjectStatus.SHORTLISTED: "text-bg-success",
    ProjectStatus.AWARDED: "text-bg-success",
    ProjectStatus.CLOSING: "text-bg-info",
    ProjectStatus.CLOSED: "text-bg-dark",
    ProjectStatus.CLOSURE_FAILED: "text-bg-danger",
}


def _with_badges(projects):
    for project in projects:
        project.badge_class = BADGE.get(project.status, "text-bg-secondary")
    return projects


def _error_text(exc):
    if isinstance(exc, ValidationError):
        return ";".join(exc.messages)
    return str(exc)


def _add_service_errors(form, exc):
    """Put a service's ``ValidationError`` on the form's fields (or on the form)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _safe_next(request, default):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return default


def _visible_project_or_404(user, pk):
    try:
        return queries.get_visible_project(user, pk)
    except Project.DoesNotExist:
        raise Http404(_("项目不存在或您无权查看。")) from None


def _open_campaigns_for(user):
    if not may(user, "projects.add_project"):
        return Campaign.objects.none()
    today = timezone.localdate()
    return queries.campaigns_visible_to(user).filter(filing_opens__lte=today, filing_deadline__gte=today)


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


# --- filing form ----------------------------------------------------------------------------


def _go(request, to, *args, **kwargs):
    """Redirect. A form the page sends itself to show an upload's progress (``X-Upload-Progress``,
    static/js/app.js) gets the address as JSON and goes there, so the messages still show."""
    url = resolve_url(to, *args, **kwargs)
    if request.headers.get("X-Upload-Progress"):
        return JsonResponse({"redirect": url})
    return redirect(url)


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


# --- project page ---------------------------------------------------------------------------


def available_actions(user, project):
    """The workflow actions ``user`` may take on ``project`` now: allowed to and legal from here."""
    actions = []
    for action in Action:
        if action in OWN_FORM_ACTIONS:
            continue
        sources, _target = TRANSITIONS[action]
        if project.status not in sources or not may(user, f"projects.{action.value}_project", project):
            continue
        # Buttons the service would refuse anyway are not offered (it still decides).
        if action == Action.RECOMMEND and not project.campaign.require_recommendation:
            continue
        if (action == Action.RETURN and project.status == ProjectStatus.RECOMMENDED
                and not may(user, "projects.approve_project", project)):
            continue
        actions.append(action)
    return actions


def _action_buttons(actions):
    return [
        {"value": a.value, "label": a.label, "confirm": CONFIRM[a], "needs_reason": a in REASON_REQUIRED,
         "style": "btn-outline-danger" if a in (Action.REJECT, Action.RETURN, Action.FAIL_CLOSURE) else "btn-primary"}
        for a in actions
    ]


@login_required
def project_detail(request, pk):
    user = request.user
    project = _visible_project_or_404(user, pk)
    project.badge_class = BADGE.get(project.status, "text-bg-secondary")
    events = list(queries.history(project))
    for event in events:
        event.label = EVENT_LABELS.get(event.action, event.action)
    editable = project.status in EDITABLE_STATES and may(user, "projects.change_project", project)
    actions = _action_buttons(available_actions(user, project))
    attachments = list(project.attachments.all())
    may_close = (project.status in TRANSITIONS[Action.CLOSING_REPORT][0]
                 and may(user, "projects.closing_report_project", project))
    may_progress = project.status in IN_PROGRESS_STATES and may(user, "projects.add_progress_report", project)
    plans = list(queries.replication_plans_of(project))
    # Offered once per union: a second plan of the same union would be refused.
    may_replicate = (
        project.status == ProjectStatus.CLOSED and may(user, "projects.replicate_project", project)
        and not any(p.adopting_union_id == user.union_id for p in plans)
    )
    returned = project.status == ProjectStatus.RETURNED
    window_closed = returned and not services.may_still_submit(project)
    if window_closed:
        # Submitting would be refused: do not offer it, say what can be done instead.
        actions = [a for a in actions if a["value"] != Action.SUBMIT]
    context = {
        "project": project,
        "events": events,
        "return_event": next((e for e in reversed(events) if e.action == Action.RETURN), None) if returned else None,
        "window_closed": window_closed,
        "reopen_form": (ReopenFilingForm() if window_closed
                        and may(user, "projects.reopen_filing_project", project) else None),
        "attachments": [a for a in attachments if a.kind == AttachmentKind.PROPOSAL],
        "progress_attachments": [a for a in attachments if a.kind == AttachmentKind.PROGRESS],
        "closing_attachments": [a for a in attachments if a.kind == AttachmentKind.CLOSING],
        "progress_reports": list(queries.progress_reports(project)),
        "closing_reports": list(queries.closing_reports(project)),
        "replication_plans": plans,
        "editable": editable,
        "simple_actions": [a for a in actions if not a["needs_reason"]],
        "reason_actions": [a for a in actions if a["needs_reason"]],
        "attachment_form": AttachmentForm() if editable else None,
        "reason_form": ReasonForm(),
        "closing_form": ClosingReportForm() if may_close else None,
        "progress_form": ProgressReportForm() if may_progress else None,
        "replicate_form": ReplicationPlanForm() if may_replicate else None,
    }
    return render(request, "projects/project_detail.html", context)


@require_POST
@login_required
def project_reopen_filing(request, pk):
    project = _visible_project_or_404(request.user, pk)
    require_perm(request.user, "projects.reopen_filing_project", project)
    form = ReopenFilingForm(request.POST)
    if not form.is_valid():
        _form_errors_to_messages(request, form)
        return redirect("projects:detail", pk=project.pk)
    try:
        services.reopen_filing(actor=request.user, project=project, **form.cleaned_data)
    except (WorkflowError, ValidationError) as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("已为本项目重新开放提交，截止 %(d)s。") % {"d": form.cleaned_data["until"].isoformat()})
    return redirect("projects:detail", pk=project.pk)


def _form_errors_to_messages(request, form):
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


@require_POST
@login_required
def project_closing_report(request, pk):
    project = _visible_project_or_404(request.user, pk)
    require_perm(request.user, "projects.closing_report_project", project)
    form = ClosingReportForm(request.POST, request.FILES)
    if not form.is_valid():
        _form_errors_to_messages(request, form)
        return redirect("projects:detail", pk=project.pk)
    try:
        services.file_closing_report(actor=request.user, project=project, report=form.cleaned_data["report"],
                                     files=form.cleaned_data["files"])
    except (WorkflowError, ValidationError) as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("项目%(t)s已提交结项报告，等待市总审核。") % {"t": quoted(project.title)})
    return redirect("projects:detail", pk=project.pk)


@require_POST
@login_required
def project_progress_report(request, pk):
    project = _visible_project_or_404(request.user, pk)
    require_perm(request.user, "projects.add_progress_report", project)
    form = ProgressReportForm(request.POST, request.FILES)
    if not form.is_valid():
        _form_errors_to_messages(request, form)
        return redirect("projects:detail", pk=project.pk)
    try:
        services.file_progress_report(actor=request.user, project=project, text=form.cleaned_data["text"],
                                      files=form.cleaned_data["files"])
    except (WorkflowError, ValidationError) as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("中期报告已提交。"))
    return redirect("projects:detail", pk=project.pk)


@require_POST
@login_required
def project_replicate(request, pk):
    project = _visible_project_or_404(request.user, pk)
    form = ReplicationPlanForm(request.POST)
    if not form.is_valid():
        _form_errors_to_messages(request, form)
        return redirect("projects:detail", pk=project.pk)
    try:
        plan = services.create_replication_plan(actor=request.user, source_project=project,
                                                plan=form.cleaned_data["plan"])
    except (WorkflowError, ValidationError) as exc:
        messages.error(request, _error_text(exc))
        return redirect("projects:detail", pk=project.pk)
    messages.success(request, _("推广计划已提交。"))
    return redirect("projects:replication-detail", pk=plan.pk)


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


# --- historic import --------------------------------------------------------------------------


@login_required
def history_import(request):
    if not may(request.user, "projects.import_history"):
        raise PermissionDenied(_("只有市总管理员可以导入历史数据。"))
    form = HistoryImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        report = importer.import_history(actor=request.user, file=form.cleaned_data["file"])
        if report.ok:
            messages.success(request, _("已导入 %(p)d 个项目、%(a)d 个获奖记录、%(r)d 个推广计划。") % {
                "p": report.projects, "a": report.awards, "r": report.plans})
        else:
            messages.error(request, _("发现 %(n)d 处错误，未导入任何数据。") % {"n": len(report.errors)})
    return render(request, "projects/history_import.html", {"form": form, "report": report,
                                                            "project_columns": importer.PROJECT_COLUMNS,
                                                            "plan_columns": importer.PLAN_COLUMNS})


@login_required
def history_template(request):
    if not may(request.user, "projects.import_history"):
        raise PermissionDenied(_("只有市总管理员可以导入历史数据。"))
    response = HttpResponse(
        importer.build_template(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = "attachment; filename*=utf-8''history_template.xlsx"
    return response


@require_POST
@login_required
def project_action(request, pk, action):
    project = _visible_project_or_404(request.user, pk)
    try:
        action = Action(action)
    except ValueError:
        raise Http404(_("没有这个操作。")) from None
    back = _safe_next(request, reverse("projects:detail", args=[project.pk]))
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.apply_action(actor=request.user, project=project, action=action, reason=reason)
    except (WorkflowError, ValidationError) as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("项目%(t)s%(done)s。") % {"t": quoted(project.title), "done": DONE[action]})
    return redirect(back)


# --- attachments ----------------------------------------------------------------------------


@require_POST
@login_required
def attachment_upload(request, pk):
    project = _visible_project_or_404(request.user, pk)
    require_perm(request.user, "projects.add_attachment", project)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return _go(request, "projects:detail", pk=project.pk)
    try:
        attachment = services.add_attachment(actor=request.user, project=project, uploaded=form.cleaned_data["file"])
    except (WorkflowError, ValidationError) as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("附件%(n)s已上传。") % {"n": quoted(attachment.name)})
    return _go(request, "projects:detail", pk=project.pk)


def _visible_attachment_or_404(user, pk):
    visible = queries.projects_visible_to(user).values("pk")
    return get_object_or_404(Attachment.objects.select_related("project"), pk=pk, project_id__in=visible)


@login_required
def attachment_download(request, pk):
    attachment = _visible_attachment_or_404(request.user, pk)
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404(_("附件文件已丢失。")) from None
    # as_attachment: never shown inline; Django encodes a Chinese name as filename*=utf-8''….
    return FileResponse(handle, as_attachment=True, filename=attachment.name,
                        content_type=attachment.content_type or "application/octet-stream")


@require_POST
@login_required
def attachment_delete(request, pk):
    attachment = _visible_attachment_or_404(request.user, pk)
    project = attachment.project
    try:
        services.delete_attachment(actor=request.user, attachment=attachment)
    except WorkflowError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("附件%(n)s已删除。") % {"n": quoted(attachment.name)})
    return redirect("projects:detail", pk=project.pk)


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
