from django.db import models
from django.utils.translation import gettext_lazy as _


class ProjectStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    RETURNED = "returned", _("退回修改")
    SUBMITTED = "submitted", _("已申报")
    RECOMMENDED = "recommended", _("已推荐")
    APPROVED = "approved", _("已立项")
    REJECTED = "rejected", _("未立项")
    SHORTLISTED = "shortlisted", _("已入围")
    AWARDED = "awarded", _("已获奖")
    CLOSING = "closing", _("结项审核中")
    CLOSED = "closed", _("已结项")
    CLOSURE_FAILED = "closure_failed", _("结项未通过")


class Action(models.TextChoices):
    """Workflow actions. The API's transition URL is the value with ``_`` written ``-``
    (``closing_report`` → ``/projects/{id}/closing-report/``)."""

    SUBMIT = "submit", _("提交申报")
    RECOMMEND = "recommend", _("推荐")
    RETURN = "return", _("退回修改")
    APPROVE = "approve", _("立项")
    REJECT = "reject", _("不予立项")
    SHORTLIST = "shortlist", _("入围")
    # After the award: closure (结项)
    CLOSING_REPORT = "closing_report", _("提交结项报告")
    ACCEPT_CLOSURE = "accept_closure", _("结项通过")
    FAIL_CLOSURE = "fail_closure", _("结项不通过")


# The legal transitions: action → (states it may start from, state it leads to).
# Nothing else writes ``Project.status`` (see projects.services.workflow).
TRANSITIONS = {
    Action.SUBMIT: ({ProjectStatus.DRAFT, ProjectStatus.RETURNED}, ProjectStatus.SUBMITTED),
    Action.RECOMMEND: ({ProjectStatus.SUBMITTED}, ProjectStatus.RECOMMENDED),
    Action.RETURN: ({ProjectStatus.SUBMITTED, ProjectStatus.RECOMMENDED}, ProjectStatus.RETURNED),
    Action.APPROVE: ({ProjectStatus.SUBMITTED, ProjectStatus.RECOMMENDED}, ProjectStatus.APPROVED),
    Action.REJECT: ({ProjectStatus.SUBMITTED, ProjectStatus.RECOMMENDED}, ProjectStatus.REJECTED),
    Action.SHORTLIST: ({ProjectStatus.APPROVED}, ProjectStatus.SHORTLISTED),
    # A failed closure may be reported again (with the missing material): the admin's reason
    # says what is missing, and the project must not be stuck for ever.
    Action.CLOSING_REPORT: (
        {ProjectStatus.APPROVED, ProjectStatus.SHORTLISTED, ProjectStatus.AWARDED, ProjectStatus.CLOSURE_FAILED},
        ProjectStatus.CLOSING,
    ),
    Action.ACCEPT_CLOSURE: ({ProjectStatus.CLOSING}, ProjectStatus.CLOSED),
    Action.FAIL_CLOSURE: ({ProjectStatus.CLOSING}, ProjectStatus.CLOSURE_FAILED),
}


class AwardAction(models.TextChoices):
    """Transitions made by the awards of a roadshow (evaluations' ``finalize`` and its audited
    reopen), never by a button on the project: kept out of ``Action``, whose values are the
    project API's transition names."""

    AWARD = "award", _("评定获奖")
    REVOKE_AWARD = "revoke_award", _("撤销获奖")
    # An admin's recovery of a roadshow whose entry left the state the roadshow expects.
    RESTORE = "restore_for_roadshow", _("恢复为已入围（路演）")
    WITHDRAW = "withdraw_from_roadshow", _("撤出路演")


AWARD_TRANSITIONS = {
    AwardAction.AWARD: ({ProjectStatus.SHORTLISTED}, ProjectStatus.AWARDED),
    AwardAction.REVOKE_AWARD: ({ProjectStatus.AWARDED}, ProjectStatus.SHORTLISTED),
    # Not from ``closed``: a closed project is readable by all and may already be replicated.
    AwardAction.RESTORE: ({ProjectStatus.CLOSING, ProjectStatus.CLOSURE_FAILED}, ProjectStatus.SHORTLISTED),
}

# Actions whose reason is required (it goes to the applicant).
REASON_REQUIRED = {Action.RETURN, Action.REJECT, Action.FAIL_CLOSURE}

EDITABLE_STATES = {ProjectStatus.DRAFT, ProjectStatus.RETURNED}
# States in which a project is in the screening queue of an admin.
SCREENING_STATES = {ProjectStatus.SUBMITTED, ProjectStatus.RECOMMENDED}

# Only a closed project is replicated by other unions (复制推广).
REPLICABLE_STATES = {ProjectStatus.CLOSED}
# Projects under way (立项 and after, not yet closing): they file progress reports (中期报告).
IN_PROGRESS_STATES = {ProjectStatus.APPROVED, ProjectStatus.SHORTLISTED, ProjectStatus.AWARDED}
# Projects counted as approved (立项) in figures: every state an approved project can reach.
APPROVED_OR_LATER = {
    ProjectStatus.APPROVED, ProjectStatus.SHORTLISTED, ProjectStatus.AWARDED, ProjectStatus.CLOSING,
    ProjectStatus.CLOSED, ProjectStatus.CLOSURE_FAILED,
}
SHORTLISTED_OR_LATER = {ProjectStatus.SHORTLISTED, ProjectStatus.AWARDED}
# What a proposal must hold before it can be submitted (a draft may lack any but the title and
# the category); the filing form marks these fields with *.
SUBMIT_REQUIRED = ("title", "category", "summary")
# The event of an admin reopening the filing window for one returned project (no status change).
REOPEN_FILING = "reopen_filing"


class AttachmentKind(models.TextChoices):
    PROPOSAL = "proposal", _("申报材料")
    PROGRESS = "progress", _("中期报告材料")
    CLOSING = "closing", _("结项材料")


class ReplicationStatus(models.TextChoices):
    PLANNED = "planned", _("计划中")
    IN_PROGRESS = "in_progress", _("实施中")
    DONE = "done", _("已完成")


# A plan moves forward only: planned → in progress → done (planned → done too).
REPLICATION_ORDER = {ReplicationStatus.PLANNED: 0, ReplicationStatus.IN_PROGRESS: 1, ReplicationStatus.DONE: 2}
