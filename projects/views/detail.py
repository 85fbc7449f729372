"""The project page: its actions, the forms it posts (reopen filing, closing and progress reports,
replication) and its attachments."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from members.rules import may, require_perm
from unionproj.errors import WorkflowError
from unionproj.text import quoted

from .. import queries, services
from ..enums import (
    EDITABLE_STATES,
    IN_PROGRESS_STATES,
    REASON_REQUIRED,
    REPLICABLE_STATES,
    TRANSITIONS,
    Action,
    AttachmentKind,
    ProjectStatus,
)
from ..forms import (
    AttachmentForm,
    ClosingReportForm,
    ProgressReportForm,
    ReasonForm,
    ReopenFilingForm,
    ReplicationPlanForm,
)
from ..models import Attachment
from ..panels import panels_for
from ._common import (
    BADGE,
    CONFIRM,
    DONE,
    EVENT_LABELS,
    OWN_FORM_ACTIONS,
    _error_text,
    _form_errors_to_messages,
    _go,
    _visible_project_or_404,
    safe_next,
)

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


def action_buttons(actions):
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
    actions = action_buttons(available_actions(user, project))
    attachments = list(project.attachments.all())
    may_close = (project.status in TRANSITIONS[Action.CLOSING_REPORT][0]
                 and may(user, "projects.closing_report_project", project))
    may_progress = project.status in IN_PROGRESS_STATES and may(user, "projects.add_progress_report", project)
    plans = list(queries.replication_plans_of(project))
    # Offered once per union: a second plan of the same union would be refused.
    may_replicate = (
        project.status in REPLICABLE_STATES and may(user, "projects.replicate_project", project)
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
        "panels": panels_for(request, project),
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


@require_POST
@login_required
def project_action(request, pk, action):
    project = _visible_project_or_404(request.user, pk)
    try:
        action = Action(action)
    except ValueError:
        raise Http404(_("没有这个操作。")) from None
    back = safe_next(request, reverse("projects:detail", args=[project.pk]))
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
