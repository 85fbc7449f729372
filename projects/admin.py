from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Attachment, Campaign, Project, ProjectEvent


@admin.register(Campaign)
class CampaignAdmin(SimpleHistoryAdmin):
    list_display = ("year", "title", "owner_union", "filing_opens", "filing_deadline", "budget")


@admin.register(Project)
class ProjectAdmin(SimpleHistoryAdmin):
    """Read-only here: the workflow service is the only writer of a project's status."""

    list_display = ("title", "campaign", "applicant_union", "category", "status")
    list_filter = ("status", "campaign")
    search_fields = ("title",)
    readonly_fields = ("status",)


@admin.register(ProjectEvent)
class ProjectEventAdmin(admin.ModelAdmin):
    list_display = ("project", "action", "from_status", "to_status", "actor", "at")

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


admin.site.register(Attachment)
