"""States and choices of the awards (评定等次 → 以奖代拨): compute jobs, payouts with their
transition table, and the defaults of the tier rules and the unit ranking."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from evaluations.enums import SETTINGS_STATES, EventAction, RoadshowStatus
from unionproj.jobs import JobState  # noqa: F401 - the states of every job (shared runner)


class JobKind(models.TextChoices):
    COMPUTE = "compute", _("计算评定结果")
    UNIT_RANKING = "unit_ranking", _("先进单位排名")


class PayoutStatus(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已审批")
    PAID = "paid", _("已拨付")


PAYOUT_TRANSITIONS = {
    EventAction.APPROVE_PAYOUT: ({PayoutStatus.PENDING}, PayoutStatus.APPROVED),
    EventAction.MARK_PAID: ({PayoutStatus.APPROVED}, PayoutStatus.PAID),
}

# Results are computed from a closed roadshow only: its submitted cards can no longer change
# (cards are scored and reopened only while scoring). A finalised roadshow is reopened first.
COMPUTE_STATES = {RoadshowStatus.CLOSED}
# Tier rules may change until the results are published, like the aggregation.
TIER_STATES = SETTINGS_STATES
PUBLICITY_MAX_DAYS = 30

# The default tier rules, for the 16-entry roadshow with a ¥1,000,000 budget of the seeds:
# 特优 1 × 150,000, 一等 3 × 80,000, 二等 4 × 50,000, 三等 6 × 30,000 = 770,000 (77 % of the
# budget, leaving room for the ties a boundary admits). 14 of 16 entries win a tier, as in the
# Wuxi roadshows where nearly every shortlisted project was rewarded (以奖代拨); the two lowest
# get none. For another entry count the counts scale (see ``awards.allocation.default_tiers``).
DEFAULT_TIER_BASE_ENTRIES = 16
DEFAULT_TIERS = (
    (gettext_noop("特优"), 1, "150000.00"),
    (gettext_noop("一等"), 3, "80000.00"),
    (gettext_noop("二等"), 4, "50000.00"),
    (gettext_noop("三等"), 6, "30000.00"),
)

# 工会工作先进单位: points a project earns its union's top-level unit, by tier name; a tier of
# another name earns by its position among the roadshow's rules (1st 5, 2nd 3, 3rd 2, later 1).
UNIT_POINTS_BY_NAME = {"特优": 5, "一等": 3, "二等": 2, "三等": 1}
UNIT_POINTS = (5, 3, 2, 1)
