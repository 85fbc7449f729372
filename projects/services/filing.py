"""Filing a project: its fields and its attachments, while the project is the applicant's to edit."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from members.rules import require_perm
from unionproj.errors import WorkflowError
from unionproj.text import quoted

from ..attachments import check_upload
from ..enums import EDITABLE_STATES, IN_PROGRESS_STATES, AttachmentKind, ProjectStatus
from ..models import Attachment, Project
from ._common import _locked, _record


PROJECT_FIELDS = (
    "title", "category", "summary", "objectives", "plan", "expected_outcomes", "budget_requested",
    "contact_name", "contact_phone",
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
