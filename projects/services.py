"""Writes to campaigns and projects. One function per write: keyword-only, takes the acting
user, one transaction, the changed row locked, permission then state checked, and an audit
record written (``ProjectEvent`` for transitions, django-simple-history for field edits).

Errors: ``PermissionDenied`` (403 / a message), ``WorkflowError`` (409 / a message),
``ValidationError`` (400 / a form error).
"""

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import Union

from .attachments import check_upload
from .enums import (
    AWARD_TRANSITIONS,
    EDITABLE_STATES,
    REASON_REQUIRED,
    TRANSITIONS,
    Action,
    AwardAction,
    ProjectStatus,
)
from .errors import NOT_ALLOWED, WorkflowError
from .models import Attachment, Campaign, Project, ProjectEvent
from .queries import recommendations_used

PROJECT_FIELDS = (
    "title", "category", "summary", "objectives", "plan", "expected_outcomes", "budget_requested",
    "contact_name", "contact_phone",
)
CAMPAIGN_FIELDS = (
    "year", "title", "owner_union", "filing_opens", "filing_deadline", "budget", "categories",
    "require_recommendation", "recommendation_quota",
)


def _require(actor, perm, obj=None):
    # Ask the rules themselves, not ``User.has_perm``, which lets a superuser do anything: a
    # superuser holds every *admin* power (the rules grant it), but filing a union's proposal or
    # a county's recommendation is not one, and would write nonsense (no union, no county).
    if not (actor.is_active and rules.has_perm(perm, actor, obj)):
        raise PermissionDenied(NOT_ALLOWED)


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
        _require(actor, "projects.add_campaign")
        campaign = Campaign()
    else:
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        _require(actor, "projects.change_campaign", campaign)
    if "categories" in fields:
        fields["categories"] = _clean_categories(fields["categories"]) or None
        if fields["categories"] is None:
            del fields["categories"]
    for key, value in fields.items():
        setattr(campaign, key, value)
    _require(actor, "projects.change_campaign", campaign)
    if campaign.filing_deadline < campaign.filing_opens:
        raise ValidationError({"filing_deadline": _("申报截止日期不能早于开始日期。")})
    if campaign.require_recommendation and not campaign.recommendation_quota:
        raise ValidationError({"recommendation_quota": _("需要区县推荐时,请填写每区县推荐名额。")})
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
        raise ValidationError({"category": _("“%(c)s”不是本年度的领域。") % {"c": category}})


@transaction.atomic
def create_project(*, actor, campaign, **fields):
    """File a new draft for the actor's own union. Side effects: a ``create`` event.

    Raises ``PermissionDenied`` unless ``actor`` is staff of a union, ``ValidationError`` for an
    unknown category.
    """
    _require(actor, "projects.add_project")
    if actor.union_id is None:
        raise PermissionDenied(_("您的账号未关联工会,无法申报项目。"))
    if not actor.union.is_within(campaign.owner_union):
        raise PermissionDenied(_("本单位不在该年度项目的申报范围内。"))
    fields = {k: v for k, v in fields.items() if k in PROJECT_FIELDS}
    _check_category(campaign, fields.get("category", ""))
    project = Project(campaign=campaign, applicant_union=actor.union, created_by=actor, **fields)
    project._history_user = actor
    project.save()
    _record(project, actor=actor, action="create", from_status="")
    return project


@transaction.atomic
def update_project(*, actor, project, **fields):
    """Change a proposal's fields; only its union's staff, only in draft/returned."""
    project = _locked(project)
    _require(actor, "projects.change_project", project)
    if project.status not in EDITABLE_STATES:
        raise WorkflowError(_("项目当前状态为“%(s)s”,不能修改。") % {"s": project.get_status_display()},
                            state=project.status)
    fields = {k: v for k, v in fields.items() if k in PROJECT_FIELDS}
    if "category" in fields:
        _check_category(project.campaign, fields["category"])
    for key, value in fields.items():
        setattr(project, key, value)
    project._history_user = actor
    project.save()
    return project


@transaction.atomic
def add_attachment(*, actor, project, uploaded):
    """Attach a file to a proposal being edited. The type is checked by content; the file is
    stored under a path the server makes. Raises ``ValidationError`` for a bad file."""
    project = _locked(project)
    _require(actor, "projects.add_attachment", project)
    if project.status not in EDITABLE_STATES:
        raise WorkflowError(_("项目已提交,不能再添加附件。"), state=project.status)
    name, content_type = check_upload(uploaded)
    attachment = Attachment(project=project, name=name, size=uploaded.size, content_type=content_type,
                            uploaded_by=actor)
    attachment.file.save(name, uploaded, save=False)
    attachment.save()
    return attachment


@transaction.atomic
def delete_attachment(*, actor, attachment):
    project = _locked(attachment.project)
    _require(actor, "projects.add_attachment", project)
    if project.status not in EDITABLE_STATES:
        raise WorkflowError(_("项目已提交,不能再删除附件。"), state=project.status)
    stored = attachment.file.name
    storage = attachment.file.storage
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(stored))


# --- projects: the workflow -----------------------------------------------------------------


def _transition(*, actor, project, action, reason="", check=None):
    """Move ``project`` by ``action``: lock, check permission, state and ``check``, write the
    status and the event. The caller is inside a transaction."""
    action = Action(action)
    project = _locked(project)
    _require(actor, f"projects.{action.value}_project", project)
    sources, target = TRANSITIONS[action]
    if project.status not in sources:
        raise WorkflowError(
            _("项目当前状态为“%(s)s”,不能执行“%(a)s”。") % {"s": project.get_status_display(), "a": action.label},
            state=project.status,
        )
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
        if not campaign.filing_is_open(today):
            raise WorkflowError(
                _("不在申报时间内:本年度申报时间为 %(a)s 至 %(b)s。")
                % {"a": campaign.filing_opens.isoformat(), "b": campaign.filing_deadline.isoformat()},
                state=p.status,
            )
        if not p.title.strip() or not p.summary.strip():
            raise ValidationError({"summary": _("提交前请填写项目名称和项目简介。")})
        p.submitted_at = timezone.now()

    return _transition(actor=actor, project=project, action=Action.SUBMIT, check=check)


@transaction.atomic
def recommend_project(*, actor, project):
    """A county admin recommends (推荐) a project of a union below it, within the quota."""

    def check(p):
        campaign = p.campaign
        if not campaign.require_recommendation:
            raise WorkflowError(_("本年度项目无需区县推荐,由市总直接审核。"), state=p.status)
        # Lock the county while counting, so two recommendations at once cannot both take the
        # last slot.
        Union.objects.select_for_update().filter(pk=actor.union_id).first()
        if campaign.recommendation_quota is not None and (
            recommendations_used(campaign, actor.union) >= campaign.recommendation_quota
        ):
            raise WorkflowError(
                _("推荐名额已用完(每区县 %(n)s 个)。") % {"n": campaign.recommendation_quota}, state=p.status
            )
        p.recommended_by = actor.union

    return _transition(actor=actor, project=project, action=Action.RECOMMEND, check=check)


@transaction.atomic
def return_project(*, actor, project, reason):
    """Return a proposal to its union for revision, with a reason. A county admin may do so
    only before it is recommended; a returned project's recommendation is given back."""

    def check(p):
        if p.status == ProjectStatus.RECOMMENDED and not actor.has_perm("projects.approve_project", p):
            raise WorkflowError(_("项目已推荐至市总,只能由市总退回。"), state=p.status)
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


def _award_transition(*, actor, project, action, reason=""):
    action = AwardAction(action)
    project = _locked(project)
    _require(actor, "projects.award_project", project)
    sources, target = AWARD_TRANSITIONS[action]
    if project.status not in sources:
        raise WorkflowError(
            _("项目当前状态为“%(s)s”,不能执行“%(a)s”。") % {"s": project.get_status_display(), "a": action.label},
            state=project.status,
        )
    from_status = project.status
    project.status = target
    project._history_user = actor
    project.save(update_fields=["status", "updated_at"])
    _record(project, actor=actor, action=action.value, from_status=from_status, reason=reason)
    return project


@transaction.atomic
def mark_awarded(*, actor, project):
    """shortlisted → awarded (已获奖), when the roadshow that ranked the project is finalised
    (``evaluations.services.finalize``); the admin of the campaign. Side effects: the status,
    a ``ProjectEvent`` (``award``) and a history row."""
    return _award_transition(actor=actor, project=project, action=AwardAction.AWARD)


@transaction.atomic
def revoke_award(*, actor, project, reason):
    """awarded → shortlisted, when an admin reopens the finalised results of the project's
    roadshow (with a reason, which the event keeps). Side effects as :func:`mark_awarded`."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写撤销获奖的理由。")})
    return _award_transition(actor=actor, project=project, action=AwardAction.REVOKE_AWARD, reason=reason)


TRANSITION_SERVICES = {
    Action.SUBMIT: submit_project,
    Action.RECOMMEND: recommend_project,
    Action.RETURN: return_project,
    Action.APPROVE: approve_project,
    Action.REJECT: reject_project,
    Action.SHORTLIST: shortlist_project,
}


def apply_action(*, actor, project, action, reason=""):
    """Run the service of ``action``, passing the reason to those that take one."""
    service = TRANSITION_SERVICES[Action(action)]
    if Action(action) in REASON_REQUIRED:
        return service(actor=actor, project=project, reason=reason)
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
