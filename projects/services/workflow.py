"""Every change of ``Project.status``: the transitions of ``TRANSITIONS`` (submit, recommend,
return, approve, reject, shortlist, closure) and those an award sets (``AWARD_TRANSITIONS``).
Each locks the project, asks the rule, then the state and the transition guards, and writes a
``ProjectEvent``."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import Union
from members.rules import may, require_perm
from unionproj.errors import WorkflowError

from ..attachments import check_upload
from ..enums import (
    AWARD_TRANSITIONS,
    REASON_REQUIRED,
    REOPEN_FILING,
    SUBMIT_REQUIRED,
    TRANSITIONS,
    Action,
    AttachmentKind,
    AwardAction,
    ProjectStatus,
)
from ..guards import check_transition
from ..models import ClosingReport, Project
from ..queries import recommendations_used
from ._common import _locked, _record
from .filing import _store_attachment


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
