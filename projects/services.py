"""Writes to campaigns and projects. One function per write: keyword-only, takes the acting
user, one transaction, the changed row locked, permission then state checked, and an audit
record written (``ProjectEvent`` for transitions, django-simple-history for field edits).

Errors: ``PermissionDenied`` (403 / a message), ``WorkflowError`` (409 / a message),
``ValidationError`` (400 / a form error).
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import Union
from members.rules import may, require_perm
from unionproj.errors import WorkflowError
from unionproj.text import quoted

from .attachments import check_upload
from .enums import (
    AWARD_TRANSITIONS,
    EDITABLE_STATES,
    IN_PROGRESS_STATES,
    REASON_REQUIRED,
    REOPEN_FILING,
    REPLICATION_ORDER,
    SUBMIT_REQUIRED,
    TRANSITIONS,
    Action,
    AttachmentKind,
    AwardAction,
    ProjectStatus,
    ReplicationStatus,
)
from .guards import check_transition
from .models import (
    Attachment,
    Campaign,
    ClosingReport,
    ProgressReport,
    Project,
    ProjectEvent,
    ReminderLog,
    ReplicationPlan,
)
from .queries import progress_reminder_projects, recommendations_used

PROJECT_FIELDS = (
    "title", "category", "summary", "objectives", "plan", "expected_outcomes", "budget_requested",
    "contact_name", "contact_phone",
)
CAMPAIGN_FIELDS = (
    "year", "title", "owner_union", "filing_opens", "filing_deadline", "budget", "categories",
    "require_recommendation", "recommendation_quota", "progress_report_due", "closing_report_due",
)


def _locked(project):
    return Project.objects.select_for_update().select_related("campaign", "applicant_union").get(pk=project.pk)


def _clean_categories(categories):
    cleaned = [str(c).strip() for c in (categories or []) if str(c).strip()]
    if len(set(cleaned)) != len(cleaned):
        raise ValidationError({"categories": _("领域名称不能重复。")})
    return cleaned


# --- campaigns ------------------------------------------------------------------------------


@transaction.atomic
def save_campaign(*, actor, campaign=None, **fields):
    """Create or change a campaign (a year's programme). Side effects: a history row.

    Raises ``PermissionDenied`` unless ``actor`` is an admin of the (new) owner union.
    """
    unknown = set(fields) - set(CAMPAIGN_FIELDS)
    if unknown:
        raise TypeError(f"unknown campaign fields: {sorted(unknown)}")
    if campaign is None:
        require_perm(actor, "projects.add_campaign")
        campaign = Campaign()
    else:
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        require_perm(actor, "projects.change_campaign", campaign)
    if "categories" in fields:
        fields["categories"] = _clean_categories(fields["categories"]) or None
        if fields["categories"] is None:
            del fields["categories"]
    for key, value in fields.items():
        setattr(campaign, key, value)
    require_perm(actor, "projects.change_campaign", campaign)
    if campaign.filing_deadline < campaign.filing_opens:
        raise ValidationError({"filing_deadline": _("申报截止日期不能早于开始日期。")})
    if campaign.require_recommendation and not campaign.recommendation_quota:
        raise ValidationError({"recommendation_quota": _("需要区县推荐时，请填写每区县推荐名额。")})
    campaign._history_user = actor
    campaign.save()
    return campaign


# --- projects: filing -----------------------------------------------------------------------


def _record(project, *, actor, action, from_status, reason=""):
    ProjectEvent.objects.create(
        project=project, actor=actor, action=action, from_status=from_status, to_status=project.status, reason=reason
    )


def _check_category(campaign, category):
    if category not in campaign.categories:
        raise ValidationError({"category": _("%(c)s不是本年度的领域。") % {"c": quoted(category)}})


@transaction.atomic
def create_project(*, actor, campaign, files=(), **fields):
    """File a new draft for the actor's own union, with its first attachments (``files``) if
    any. Side effects: a ``create`` event; the files stored (every file is checked before
    anything is written, so a bad one leaves no draft behind).

    Raises ``PermissionDenied`` unless ``actor`` is staff of a union, ``ValidationError`` for an
    unknown category or a bad file.
    """
    checked = [(uploaded, check_upload(uploaded)) for uploaded in files]
    require_perm(actor, "projects.add_project")
    if actor.union_id is None:
        raise PermissionDenied(_("您的账号未关联工会，无法申报项目。"))
    if not actor.union.is_within(campaign.owner_union):
        raise PermissionDenied(_("本单位不在该年度项目的申报范围内。"))
    fields = {k: v for k, v in fields.items() if k in PROJECT_FIELDS}
    _check_category(campaign, fields.get("category", ""))
    project = Project(campaign=campaign, applicant_union=actor.union, created_by=actor, **fields)
    project._history_user = actor
    project.save()
    _record(project, actor=actor, action="create", from_status="")
    for uploaded, check in checked:
        _store_attachment(actor=actor, project=project, uploaded=uploaded, kind=AttachmentKind.PROPOSAL,
                          checked=check)
    return project


@transaction.atomic
def update_project(*, actor, project, files=(), **fields):
    """Change a proposal's fields and add ``files`` to it; only its union's staff, only in
    draft/returned. Every file is checked before anything is written."""
    checked = [(uploaded, check_upload(uploaded)) for uploaded in files]
    project = _locked(project)
    require_perm(actor, "projects.change_project", project)
    if project.status not in EDITABLE_STATES:
        raise WorkflowError(_("项目当前状态为“%(s)s”，不能修改。") % {"s": project.get_status_display()},
                            state=project.status)
    fields = {k: v for k, v in fields.items() if k in PROJECT_FIELDS}
    if "category" in fields:
        _check_category(project.campaign, fields["category"])
    for key, value in fields.items():
        setattr(project, key, value)
    project._history_user = actor
    project.save()
    for uploaded, check in checked:
        _store_attachment(actor=actor, project=project, uploaded=uploaded, kind=AttachmentKind.PROPOSAL,
                          checked=check)
    return project


# The states in which the applicant's staff may add (and delete) files of each kind: the
# proposal's while it is edited, a progress report's while the project is under way, the
# closing material's until the closing report is filed (again after a failed closure).
ATTACHMENT_STATES = {
    AttachmentKind.PROPOSAL: EDITABLE_STATES,
    AttachmentKind.PROGRESS: IN_PROGRESS_STATES,
    AttachmentKind.CLOSING: IN_PROGRESS_STATES | {ProjectStatus.CLOSURE_FAILED},
}
ATTACHMENT_REFUSED = {
    AttachmentKind.PROPOSAL: _("项目已提交，不能再添加或删除申报材料。"),
    AttachmentKind.PROGRESS: _("只有实施中的项目（已立项、已入围、已获奖）可以添加或删除中期报告材料。"),
    AttachmentKind.CLOSING: _("项目当前状态不能添加或删除结项材料。"),
}


def _check_attachment_state(project, kind):
    if project.status not in ATTACHMENT_STATES[kind]:
        raise WorkflowError(ATTACHMENT_REFUSED[kind], state=project.status)


def _store_attachment(*, actor, project, uploaded, kind, checked=None):
    name, content_type = checked or check_upload(uploaded)
    attachment = Attachment(project=project, name=name, size=uploaded.size, content_type=content_type,
                            uploaded_by=actor, kind=kind)
    attachment.file.save(name, uploaded, save=False)
    attachment.save()
    return attachment


@transaction.atomic
def add_attachment(*, actor, project, uploaded, kind=AttachmentKind.PROPOSAL):
    """Attach a file to a project: a proposal's while it is edited, progress or closing
    material while the project is under way (see ``ATTACHMENT_STATES``). The type is checked by
    content; the file is stored under a path the server makes. Raises ``ValidationError`` for a
    bad file, ``WorkflowError`` when the state forbids that kind of file."""
    kind = AttachmentKind(kind)
    project = _locked(project)
    require_perm(actor, "projects.add_attachment", project)
    _check_attachment_state(project, kind)
    return _store_attachment(actor=actor, project=project, uploaded=uploaded, kind=kind)


@transaction.atomic
def delete_attachment(*, actor, attachment):
    project = _locked(attachment.project)
    require_perm(actor, "projects.add_attachment", project)
    _check_attachment_state(project, AttachmentKind(attachment.kind))
    stored = attachment.file.name
    storage = attachment.file.storage
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(stored))


# --- projects: the workflow -----------------------------------------------------------------


def _transition(*, actor, project, action, reason="", check=None):
    """Move ``project`` by ``action``: lock, check permission, state, the transition guards
    (``projects.guards``) and ``check``, write the status and the event. The caller is inside a
    transaction."""
    action = Action(action)
    project = _locked(project)
    require_perm(actor, f"projects.{action.value}_project", project)
    sources, target = TRANSITIONS[action]
    if project.status not in sources:
        raise WorkflowError(
            _("项目当前状态为“%(s)s”，不能执行“%(a)s”。") % {"s": project.get_status_display(), "a": action.label},
            state=project.status,
        )
    # A later app's guard (a roadshow holding the project) refuses like the state does: 409.
    check_transition(project=project, action=action)
    reason = (reason or "").strip()
    if action in REASON_REQUIRED and not reason:
        raise ValidationError({"reason": _("请填写%(a)s的理由。") % {"a": action.label}})
    if check:
        check(project)
    from_status = project.status
    project.status = target
    project._history_user = actor
    project.save(update_fields=["status", "submitted_at", "recommended_by", "updated_at"])
    _record(project, actor=actor, action=action.value, from_status=from_status, reason=reason)
    return project


@transaction.atomic
def submit_project(*, actor, project, today=None):
    """Submit (申报) a draft or a returned proposal; only inside the campaign's filing window."""

    def check(p):
        campaign = p.campaign
        if not may_still_submit(p, today=today):
            raise WorkflowError(
                _("不在申报时间内：本年度申报时间为 %(a)s 至 %(b)s。")
                % {"a": campaign.filing_opens.isoformat(), "b": campaign.filing_deadline.isoformat()},
                state=p.status,
            )
        missing = {name: _("提交申报前请填写“%(f)s”。") % {"f": Project._meta.get_field(name).verbose_name}
                   for name in SUBMIT_REQUIRED if not str(getattr(p, name) or "").strip()}
        if missing:
            raise ValidationError(missing)
        p.submitted_at = timezone.now()

    return _transition(actor=actor, project=project, action=Action.SUBMIT, check=check)


def may_still_submit(project, *, today=None):
    """Whether the filing window is open for ``project``: the campaign's, or the window an admin
    reopened for this returned project (``reopen_filing``)."""
    today = today or timezone.localdate()
    if project.campaign.filing_is_open(today):
        return True
    return (project.status == ProjectStatus.RETURNED and project.resubmit_until is not None
            and project.campaign.filing_opens <= today <= project.resubmit_until)


@transaction.atomic
def reopen_filing(*, actor, project, until, reason, today=None):
    """Let a project returned after the filing deadline be submitted again until ``until`` (补报).

    Only the campaign's admins, only for a ``returned`` project whose campaign window has
    closed, with a reason. Side effects: ``project.resubmit_until`` is set and a
    ``reopen_filing`` event (from ``returned`` to ``returned``) records who, when, until when
    and why. The status does not change: the applicant still submits."""
    today = today or timezone.localdate()
    project = _locked(project)
    require_perm(actor, "projects.reopen_filing_project", project)
    if project.status != ProjectStatus.RETURNED:
        raise WorkflowError(
            _("只有被退回的项目可以重新开放提交；项目当前状态为“%(s)s”。") % {"s": project.get_status_display()},
            state=project.status,
        )
    if project.campaign.filing_is_open(today):
        raise WorkflowError(_("本年度仍在申报时间内，申报单位可以直接提交。"), state=project.status)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写重新开放提交的理由。")})
    if until is None or until < today:
        raise ValidationError({"until": _("补报截止日期不能早于今天。")})
    project.resubmit_until = until
    project._history_user = actor
    project.save(update_fields=["resubmit_until", "updated_at"])
    _record(project, actor=actor, action=REOPEN_FILING, from_status=project.status,
            reason=_("重新开放提交至 %(d)s：%(r)s") % {"d": until.isoformat(), "r": reason})
    return project


@transaction.atomic
def recommend_project(*, actor, project):
    """A county admin recommends (推荐) a project of a union below it, within the quota."""

    def check(p):
        campaign = p.campaign
        if not campaign.require_recommendation:
            raise WorkflowError(_("本年度项目无需区县推荐，由市总直接审核。"), state=p.status)
        # Lock the county while counting, so two recommendations at once cannot both take the
        # last slot.
        Union.objects.select_for_update().filter(pk=actor.union_id).first()
        if campaign.recommendation_quota is not None and (
            recommendations_used(campaign, actor.union) >= campaign.recommendation_quota
        ):
            raise WorkflowError(
                _("推荐名额已用完（每区县 %(n)s 个）。") % {"n": campaign.recommendation_quota}, state=p.status
            )
        p.recommended_by = actor.union

    return _transition(actor=actor, project=project, action=Action.RECOMMEND, check=check)


@transaction.atomic
def return_project(*, actor, project, reason):
    """Return a proposal to its union for revision, with a reason. A county admin may do so
    only before it is recommended; a returned project's recommendation is given back."""

    def check(p):
        if p.status == ProjectStatus.RECOMMENDED and not may(actor, "projects.approve_project", p):
            raise WorkflowError(_("项目已推荐至市总，只能由市总退回。"), state=p.status)
        p.recommended_by = None

    return _transition(actor=actor, project=project, action=Action.RETURN, reason=reason, check=check)


@transaction.atomic
def approve_project(*, actor, project):
    """Approve (立项) a submitted or recommended project."""
    return _transition(actor=actor, project=project, action=Action.APPROVE)


@transaction.atomic
def reject_project(*, actor, project, reason):
    """Reject (不予立项) a submitted or recommended project, with a reason."""
    return _transition(actor=actor, project=project, action=Action.REJECT, reason=reason)


@transaction.atomic
def shortlist_project(*, actor, project):
    """Shortlist (入围) an approved project for the roadshow."""
    return _transition(actor=actor, project=project, action=Action.SHORTLIST)


@transaction.atomic
def file_closing_report(*, actor, project, report, files=()):
    """File the closing report (结项报告) of an approved, shortlisted or awarded project — or
    again after a failed closure: → ``closing``. Staff of the applicant union.

    Side effects: a ``ClosingReport``, one closing ``Attachment`` per file (all files are
    checked before anything is written), the status, a ``ProjectEvent`` and a history row.
    """
    report = (report or "").strip()
    checked = []

    def check(p):
        if not report:
            raise ValidationError({"report": _("请填写结项报告。")})
        checked.extend((f, check_upload(f)) for f in files)

    project = _transition(actor=actor, project=project, action=Action.CLOSING_REPORT, check=check)
    ClosingReport.objects.create(project=project, text=report, filed_by=actor)
    for uploaded, ok in checked:
        _store_attachment(actor=actor, project=project, uploaded=uploaded, kind=AttachmentKind.CLOSING, checked=ok)
    return project


@transaction.atomic
def accept_closure(*, actor, project):
    """Accept a closing report (结项通过): closing → closed; the admin of the campaign. The
    project becomes readable by every union's staff, who may replicate it."""
    return _transition(actor=actor, project=project, action=Action.ACCEPT_CLOSURE)


@transaction.atomic
def fail_closure(*, actor, project, reason):
    """Refuse a closing report with a reason (结项不通过): closing → closure_failed; the admin of
    the campaign. The applicant may file a new closing report."""
    return _transition(actor=actor, project=project, action=Action.FAIL_CLOSURE, reason=reason)


def _required_reason(reason, message):
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": message})
    return reason


def _award_transition(*, actor, project, action, reason="", context=None):
    action = AwardAction(action)
    project = _locked(project)
    require_perm(actor, "projects.award_project", project)
    sources, target = AWARD_TRANSITIONS[action]
    if project.status not in sources:
        raise WorkflowError(
            _("项目当前状态为“%(s)s”，不能执行“%(a)s”。") % {"s": project.get_status_display(), "a": action.label},
            state=project.status,
        )
    check_transition(project=project, action=action, context=context)
    from_status = project.status
    project.status = target
    project._history_user = actor
    project.save(update_fields=["status", "updated_at"])
    _record(project, actor=actor, action=action.value, from_status=from_status, reason=reason)
    return project


@transaction.atomic
def mark_awarded(*, actor, project, context=None):
    """shortlisted → awarded (已获奖), when the roadshow that ranked the project is finalised
    (``evaluations.services.finalize``, which passes ``context={"roadshow": id}`` so that the
    transition guards let its own entry through); the admin of the campaign. Side effects: the
    status, a ``ProjectEvent`` (``award``) and a history row."""
    return _award_transition(actor=actor, project=project, action=AwardAction.AWARD, context=context)


@transaction.atomic
def revoke_award(*, actor, project, reason, context=None):
    """awarded → shortlisted, when an admin reopens the finalised results of the project's
    roadshow (with a reason, which the event keeps). Side effects as :func:`mark_awarded`."""
    return _award_transition(actor=actor, project=project, action=AwardAction.REVOKE_AWARD,
                             reason=_required_reason(reason, _("请填写撤销获奖的理由。")), context=context)


@transaction.atomic
def restore_for_roadshow(*, actor, project, reason, context=None):
    """An admin's recovery: put a project that left the state its roadshow expects (it filed a
    closing report while it was an entry, ``closing`` or ``closure_failed``) back to
    ``shortlisted``, so that the roadshow can be finalised. Called by
    ``evaluations.services.restore_entry`` with ``context={"roadshow": id}``. Outside the
    ``TRANSITIONS`` table on purpose: no button of the project leads there. Side effects: the
    status, a ``ProjectEvent`` (``restore_for_roadshow``, with the reason) and a history row.
    The filed closing report stays on record; it may be filed again after the roadshow."""
    return _award_transition(actor=actor, project=project, action=AwardAction.RESTORE,
                             reason=_required_reason(reason, _("请填写恢复的理由。")), context=context)


@transaction.atomic
def note_roadshow_withdrawal(*, actor, project, reason):
    """Record in the project's history that an admin withdrew it from a roadshow (the status
    does not change: ``from_status`` and ``to_status`` are the same). Called by
    ``evaluations.services.withdraw_entry``. Side effect: a ``ProjectEvent``."""
    project = _locked(project)
    require_perm(actor, "projects.award_project", project)
    _record(project, actor=actor, action=AwardAction.WITHDRAW.value, from_status=project.status, reason=reason)
    return project


TRANSITION_SERVICES = {
    Action.SUBMIT: submit_project,
    Action.RECOMMEND: recommend_project,
    Action.RETURN: return_project,
    Action.APPROVE: approve_project,
    Action.REJECT: reject_project,
    Action.SHORTLIST: shortlist_project,
    Action.CLOSING_REPORT: file_closing_report,
    Action.ACCEPT_CLOSURE: accept_closure,
    Action.FAIL_CLOSURE: fail_closure,
}


def apply_action(*, actor, project, action, reason="", report=""):
    """Run the service of ``action``, passing the reason (or the closing report) to those that
    take one."""
    service = TRANSITION_SERVICES[Action(action)]
    if Action(action) in REASON_REQUIRED:
        return service(actor=actor, project=project, reason=reason)
    if Action(action) == Action.CLOSING_REPORT:
        return service(actor=actor, project=project, report=report)
    return service(actor=actor, project=project)


def bulk_action(*, actor, projects, action, reason=""):
    """Apply one action to several projects, each in its own transaction, so one refusal does
    not undo the others. Returns ``(done, refused)``; ``refused`` is ``[(project, message)]``."""
    done, refused = [], []
    for project in projects:
        try:
            done.append(apply_action(actor=actor, project=project, action=action, reason=reason))
        except (WorkflowError, PermissionDenied) as exc:
            refused.append((project, str(exc)))
        except ValidationError as exc:
            refused.append((project, "; ".join(exc.messages)))
    return done, refused


# --- progress reports (中期报告) ---------------------------------------------------------------


@transaction.atomic
def file_progress_report(*, actor, project, text, files=()):
    """File a progress report of a project under way (approved, shortlisted, awarded); staff of
    the applicant union. Side effects: a ``ProgressReport`` and one progress ``Attachment`` per
    file (all checked first). The status does not change."""
    project = _locked(project)
    require_perm(actor, "projects.add_progress_report", project)
    if project.status not in IN_PROGRESS_STATES:
        raise WorkflowError(
            _("项目当前状态为“%(s)s”，不能提交中期报告。") % {"s": project.get_status_display()}, state=project.status
        )
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("请填写中期报告内容。")})
    checked = [(f, check_upload(f)) for f in files]
    report = ProgressReport.objects.create(project=project, text=text, filed_by=actor)
    for uploaded, ok in checked:
        _store_attachment(actor=actor, project=project, uploaded=uploaded, kind=AttachmentKind.PROGRESS, checked=ok)
    return report


def send_progress_reminders(*, today=None, within_days=None):
    """Mail the staff of every union whose project's progress report is due within
    ``within_days`` (setting ``PROGRESS_REMINDER_DAYS``) or overdue, and not filed yet: one mail
    per user per day, listing that user's projects.

    Idempotent per day: a ``ReminderLog`` row (unique per user and day) is written with the mail;
    a second run the same day (or two at once) sends nothing more. Returns the number of mails.
    """
    today = today or timezone.localdate()
    within_days = settings.PROGRESS_REMINDER_DAYS if within_days is None else within_days
    projects = progress_reminder_projects(today=today, within_days=within_days)
    by_user = {}
    for project in projects:
        for user in project.applicant_union.staff_to_remind:
            by_user.setdefault(user, []).append(project)
    sent = 0
    for user, due in by_user.items():
        try:
            with transaction.atomic():
                ReminderLog.objects.create(kind="progress", user=user, day=today, projects=[p.pk for p in due])
                lines = [
                    _("《%(t)s》（%(c)s）中期报告截止日期：%(d)s") % {
                        "t": p.title, "c": p.campaign.title, "d": p.campaign.progress_report_due.isoformat()}
                    for p in due
                ]
                subject = _("中期报告提醒：%(n)d 个项目待提交") % {"n": len(due)}
                body = _("%(name)s，您好：\n\n以下项目的中期报告尚未提交，请尽快登录平台提交：\n\n%(lines)s\n") % {
                    "name": user.display_name, "lines": "\n".join(lines)}
                send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
        except IntegrityError:
            continue  # already reminded today
        sent += 1
    return sent


# --- replication plans (复制推广) ----------------------------------------------------------------


@transaction.atomic
def create_replication_plan(*, actor, source_project, plan, adopting_union=None, year=None):
    """Another union adopts a closed project (复制推广计划).

    ``adopting_union`` defaults to the actor's union; staff may file only for their own union,
    admins for a union of their subtree. Refused: a project that is not closed (``WorkflowError``),
    the project's own union or a union that already has a plan for it (``ValidationError``).
    Side effects: the plan (status ``planned``, ``year`` this year unless given) and a history row.
    """
    require_perm(actor, "projects.add_replicationplan")
    adopting_union = adopting_union or actor.union
    if adopting_union is None:
        raise ValidationError({"adopting_union": _("请选择推广单位。")})
    if not may(actor, "projects.file_replicationplan_for", adopting_union):
        raise PermissionDenied(_("您只能为本单位提交推广计划。"))
    source = _locked(source_project)
    if source.status != ProjectStatus.CLOSED:
        raise WorkflowError(
            _("只有已结项的项目可以复制推广，该项目当前状态为“%(s)s”。") % {"s": source.get_status_display()},
            state=source.status,
        )
    if adopting_union.pk == source.applicant_union_id:
        raise ValidationError({"adopting_union": _("不能推广本单位自己的项目。")})
    plan = (plan or "").strip()
    if not plan:
        raise ValidationError({"plan": _("请填写推广计划。")})
    if ReplicationPlan.objects.filter(source_project=source, adopting_union=adopting_union).exists():
        raise ValidationError({"adopting_union": _("该单位已提交过这个项目的推广计划。")})
    obj = ReplicationPlan(source_project=source, adopting_union=adopting_union, plan=plan, created_by=actor,
                          year=year or timezone.localdate().year)
    obj._history_user = actor
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError:  # the same plan filed at the same moment
        raise ValidationError({"adopting_union": _("该单位已提交过这个项目的推广计划。")}) from None
    return obj


@transaction.atomic
def update_replication_plan(*, actor, plan, status=None, plan_text=None, adoption_report=None):
    """Report on a replication plan: its text, its status (forward only: planned → in progress →
    done) and the adoption report (推广成效). The adopting union's staff or an admin above it.
    Side effects: a history row (django-simple-history keeps who changed what, when)."""
    plan = ReplicationPlan.objects.select_for_update().select_related("adopting_union").get(pk=plan.pk)
    require_perm(actor, "projects.change_replicationplan", plan)
    if status is not None and status != plan.status:
        status = ReplicationStatus(status)
        if REPLICATION_ORDER[status] < REPLICATION_ORDER[ReplicationStatus(plan.status)]:
            raise WorkflowError(
                _("推广计划已是“%(s)s”，不能退回“%(t)s”。") % {"s": plan.get_status_display(), "t": status.label},
                state=plan.status,
            )
        plan.status = status
    if plan_text is not None:
        if not plan_text.strip():
            raise ValidationError({"plan": _("请填写推广计划。")})
        plan.plan = plan_text.strip()
    if adoption_report is not None:
        plan.adoption_report = adoption_report.strip()
    if plan.status == ReplicationStatus.DONE and not plan.adoption_report:
        raise ValidationError({"adoption_report": _("推广完成时请填写推广成效报告。")})
    plan._history_user = actor
    plan.save()
    return plan
