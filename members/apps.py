from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("成员与组织")

    def ready(self):
        # The security audit's receivers (logins, failed logins, logouts, lockouts).
        from . import signals  # noqa: F401

        # Our AuditLog as the first part of the audit list (dashboards.audit).
        from unionproj import audit

        from .audit import SOURCE

        audit.register_source(SOURCE)
