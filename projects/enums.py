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
    """Workflow actions; the values are the API's transition names."""

    SUBMIT = "submit", _("提交申报")
    RECOMMEND = "recommend", _("推荐")
    RETURN = "return", _("退回修改")
    APPROVE = "approve", _("立项")
    REJECT = "reject", _("不予立项")
    SHORTLIST = "shortlist", _("入围")


# The legal transitions: action → (states it may start from, state it leads to).
# Nothing else writes ``Project.status`` (see projects.services.workflow).
TRANSITIONS = {
    Action.SUBMIT: ({ProjectStatus.DRAFT, ProjectStatus.RETURNED}, ProjectStatus.SUBMITTED),
    Action.RECOMMEND: ({ProjectStatus.SUBMITTED}, ProjectStatus.RECOMMENDED),
    Action.RETURN: ({ProjectStatus.SUBMITTED, ProjectStatus.RECOMMENDED}, ProjectStatus.RETURNED),
    Action.APPROVE: ({ProjectStatus.SUBMITTED, ProjectStatus.RECOMMENDED}, ProjectStatus.APPROVED),
    Action.REJECT: ({ProjectStatus.SUBMITTED, ProjectStatus.RECOMMENDED}, ProjectStatus.REJECTED),
    Action.SHORTLIST: ({ProjectStatus.APPROVED}, ProjectStatus.SHORTLISTED),
}


class AwardAction(models.TextChoices):
    """Transitions made by the awards of a roadshow (evaluations' ``finalize`` and its audited
    reopen), never by a button on the project: kept out of ``Action``, whose values are the
    project API's transition names."""

    AWARD = "award", _("评定获奖")
    REVOKE_AWARD = "revoke_award", _("撤销获奖")


AWARD_TRANSITIONS = {
    AwardAction.AWARD: ({ProjectStatus.SHORTLISTED}, ProjectStatus.AWARDED),
    AwardAction.REVOKE_AWARD: ({ProjectStatus.AWARDED}, ProjectStatus.SHORTLISTED),
}

# Actions whose reason is required (it goes to the applicant).
REASON_REQUIRED = {Action.RETURN, Action.REJECT}

EDITABLE_STATES = {ProjectStatus.DRAFT, ProjectStatus.RETURNED}
# States in which a project is in the screening queue of an admin.
SCREENING_STATES = {ProjectStatus.SUBMITTED, ProjectStatus.RECOMMENDED}
