from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    name = "evaluations"
    verbose_name = _("展评")

    def ready(self):
        from projects.guards import register_transition_guard
        from unionproj import append_only, audit, labels

        from . import enums

        # The default names shown translated in English (stored names stay as entered).
        labels.register_defaults(
            *(name for name, *_rest in enums.DEFAULT_CRITERIA),
            enums.DEFAULT_GROUP_NAME, enums.DEFAULT_RUBRIC_NAME,
        )

        # The automatic recusals follow members' changes of the union tree (issue 13).
        from . import receivers  # noqa: F401
        from .services.entries import entry_guard

        # A roadshow not finalised holds its entries' project status (issue 21).
        register_transition_guard(entry_guard, key="evaluations.roadshow_entry")

        from .audit import SOURCE

        audit.register_source(SOURCE)

        # SQLite drops a table's triggers when a migration rebuilds the table: put them back.
        post_migrate.connect(append_only.ensure, sender=self, dispatch_uid="append_only_audit")
