"""States and choices of the roadshow scoring capability, with the explicit tables of the legal
transitions. Nothing outside ``evaluations.services`` writes a ``status``/``state`` field."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop


class Aggregation(models.TextChoices):
    MEAN = "mean", _("平均分")
    TRIMMED_MEAN = "trimmed_mean", _("去掉一个最高分和一个最低分后的平均分")
    ZSCORE = "zscore", _("标准分（Z 分数）")


class RoadshowStatus(models.TextChoices):
    SETUP = "setup", _("筹备中")
    SCORING = "scoring", _("评分中")
    CLOSED = "closed", _("评分结束")
    PUBLICITY = "publicity", _("公示中")
    FINALIZED = "finalized", _("已定稿")


class BudgetPolicy(models.TextChoices):
    SCALE = "scale", _("按预算等比例核减")
    REFUSE = "refuse", _("超出预算时不予计算")


class EntryState(models.TextChoices):
    WAITING = "waiting", _("等待路演")
    OPEN = "open", _("正在评分")
    CLOSED = "closed", _("已结束")


class CardStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")


class EventAction(models.TextChoices):
    """What an ``EvaluationEvent`` row records."""

    CREATE = "create", _("创建")
    UPDATE = "update", _("修改")
    ADD_ENTRY = "add_entry", _("添加路演项目")
    REMOVE_ENTRY = "remove_entry", _("移除路演项目")
    REORDER = "reorder", _("调整路演顺序")
    ADD_JUROR = "add_juror", _("添加评委")
    REMOVE_JUROR = "remove_juror", _("移除评委")
    SAVE_GROUP = "save_group", _("保存评审组")
    SET_GROUP = "set_group", _("调整评委分组")
    RECUSE = "recuse", _("回避")
    UNRECUSE = "unrecuse", _("取消回避")
    START = "start", _("开始评分")
    CLOSE = "close", _("结束评分")
    OPEN_ENTRY = "open_entry", _("开始项目评分")
    CLOSE_ENTRY = "close_entry", _("结束项目评分")
    SAVE_DRAFT = "save_draft", _("保存评分草稿")
    SUBMIT = "submit", _("提交评分")
    REOPEN = "reopen", _("退回评分表")
    # Awards (评定等次 → 以奖代拨)
    SAVE_TIERS = "save_tiers", _("设置奖项等次")
    REQUEST_COMPUTE = "request_compute", _("提交计算任务")
    COMPUTE = "compute", _("计算评定结果")
    PUBLICIZE = "publicize", _("公示")
    OBJECT = "object", _("提出异议")
    ANSWER = "answer", _("答复异议")
    DISMISS = "dismiss", _("驳回异议")
    FINALIZE = "finalize", _("定稿")
    REOPEN_RESULTS = "reopen_results", _("撤销定稿")
    CREATE_PAYOUT = "create_payout", _("生成拨付")
    DELETE_PAYOUT = "delete_payout", _("撤销拨付")
    APPROVE_PAYOUT = "approve_payout", _("审批拨付")
    MARK_PAID = "mark_paid", _("确认已拨付")
    # An admin's recovery of an entry whose project left the state the roadshow expects.
    RESTORE_ENTRY = "restore_entry", _("恢复路演项目状态")
    WITHDRAW_ENTRY = "withdraw_entry", _("撤出路演项目")


# action → (states it may start from, state it leads to). The later capabilities (公示, 定稿)
# add their rows here.
ROADSHOW_TRANSITIONS = {
    EventAction.START: ({RoadshowStatus.SETUP}, RoadshowStatus.SCORING),
    EventAction.CLOSE: ({RoadshowStatus.SCORING}, RoadshowStatus.CLOSED),
    EventAction.PUBLICIZE: ({RoadshowStatus.CLOSED}, RoadshowStatus.PUBLICITY),
    EventAction.FINALIZE: ({RoadshowStatus.CLOSED, RoadshowStatus.PUBLICITY}, RoadshowStatus.FINALIZED),
    # Only with a reason, and only while no payout has been approved (awards.services.publicity).
    EventAction.REOPEN_RESULTS: ({RoadshowStatus.FINALIZED}, RoadshowStatus.CLOSED),
}

# A closed entry may be opened again (e.g. after an admin reopened a card in live mode).
ENTRY_TRANSITIONS = {
    EventAction.OPEN_ENTRY: ({EntryState.WAITING, EntryState.CLOSED}, EntryState.OPEN),
    EventAction.CLOSE_ENTRY: ({EntryState.OPEN}, EntryState.CLOSED),
}

CARD_TRANSITIONS = {
    EventAction.SUBMIT: ({CardStatus.DRAFT}, CardStatus.SUBMITTED),
    EventAction.REOPEN: ({CardStatus.SUBMITTED}, CardStatus.DRAFT),
}

# A roadshow not finalised yet holds the status of its entries' projects (issue 21).
UNFINISHED_STATES = {RoadshowStatus.SETUP, RoadshowStatus.SCORING, RoadshowStatus.CLOSED, RoadshowStatus.PUBLICITY}
# An entry may be withdrawn (recovery) until its roadshow's results are published.
WITHDRAW_STATES = {RoadshowStatus.SETUP, RoadshowStatus.SCORING, RoadshowStatus.CLOSED}

# Setup (entries, jury, groups, recusals) may change only before scoring starts.
SETUP_STATES = {RoadshowStatus.SETUP}
# Manual recusals may still be added while scoring (a conflict discovered in the hall).
RECUSAL_STATES = {RoadshowStatus.SETUP, RoadshowStatus.SCORING}
# The running order may change until scoring is over.
REORDER_STATES = {RoadshowStatus.SETUP, RoadshowStatus.SCORING}
# Aggregation and budget policy may change until the results are published.
SETTINGS_STATES = {RoadshowStatus.SETUP, RoadshowStatus.SCORING, RoadshowStatus.CLOSED}

DEFAULT_RUBRIC_NAME = gettext_noop("默认评分标准")
# The seeds' four dimensions (total 100).
DEFAULT_CRITERIA = (
    (gettext_noop("组织管理"), "组织领导有力，管理制度健全，工作机制完善。", "25"),
    (gettext_noop("创新程度"), "理念、内容、方法和载体有创新，特色鲜明。", "25"),
    (gettext_noop("工作成效"), "目标达成，职工受益面广，社会反响好。", "30"),
    (gettext_noop("可复制性"), "经验做法可复制、可推广。", "20"),
)
DEFAULT_GROUP_NAME = gettext_noop("评审组")
