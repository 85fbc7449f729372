from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    name = "evaluations"
    verbose_name = _("展评")

    def ready(self):
        from unionproj import append_only

        # The automatic recusals follow members' changes of the union tree (issue 13).
        from . import receivers  # noqa: F401

        # SQLite drops a table's triggers when a migration rebuilds the table: put them back.
        post_migrate.connect(append_only.ensure, sender=self, dispatch_uid="append_only_audit")
