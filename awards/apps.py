from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AwardsConfig(AppConfig):
    name = "awards"
    verbose_name = _("评定与奖补")

    def ready(self):
        from django.utils.translation import gettext as _

        from evaluations.audit import register_states
        from projects.panels import register_panel
        from unionproj import labels

        from . import enums, panels

        # The default tier names shown translated in English (stored names stay as entered).
        labels.register_defaults(*(name for name, *_rest in enums.DEFAULT_TIERS))

        # The audit page words the states of what the awards record events about.
        register_states("payout", lambda: dict(enums.PayoutStatus.choices))
        register_states("computejob", lambda: dict(enums.JobState.choices))
        register_states("objection", lambda: {"open": _("待答复"), "answered": _("已答复")})

        # A project's page shows its tier and subsidy once the roadshow is final.
        register_panel(panels.project_award)
