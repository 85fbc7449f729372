from django.db import models
from django.utils.translation import gettext_lazy as _


class UnionLevel(models.TextChoices):
    MUNICIPAL = "municipal", _("市总工会")
    COUNTY = "county", _("市（县）区总工会")
    DIRECT = "direct", _("直属单位工会")
    TOWN = "town", _("镇街工会")
    GRASSROOTS = "grassroots", _("基层工会")


class Role(models.TextChoices):
    ADMIN = "admin", _("市总管理员")
    COUNTY_ADMIN = "county_admin", _("区县管理员")
    STAFF = "staff", _("申报员")
    JUROR = "juror", _("评委")


class JurorKind(models.TextChoices):
    MODEL_WORKER = "model_worker", _("劳模先进")
    WORKER_REP = "worker_rep", _("职工代表")
    UNION_LEADER = "union_leader", _("工会负责人")
    EXPERT = "expert", _("专家")
