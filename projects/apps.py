from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("项目")

    def ready(self):
        from django.conf import settings

        from unionproj import labels

        # The default categories are shown translated in English (stored ones stay as entered).
        labels.register_defaults(*settings.DEFAULT_CATEGORIES)

        from unionproj import audit

        from .audit import SOURCE

        audit.register_source(SOURCE)
