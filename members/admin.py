from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.shortcuts import get_object_or_404
from simple_history.admin import SimpleHistoryAdmin

from . import credentials
from .audit import client_ip
from .models import Union, User


@admin.register(Union)
class UnionAdmin(SimpleHistoryAdmin):
    list_display = ("name", "short_name", "level", "parent")
    list_filter = ("level",)
    search_fields = ("name", "short_name")

    def get_readonly_fields(self, request, obj=None):
        # A move goes through members.services.save_union (the union page), which keeps the
        # roadshows' recusals in step or refuses; the admin site would bypass both (issue 13).
        return (*super().get_readonly_fields(request, obj), *(("parent",) if obj is not None else ()))


@admin.register(User)
class UserAdmin(BaseUserAdmin, SimpleHistoryAdmin):
    list_display = ("username", "name", "union", "is_admin_role", "is_county_admin_role", "is_staff_role",
                    "is_juror_role", "is_active")
    list_filter = ("is_admin_role", "is_county_admin_role", "is_staff_role", "is_juror_role", "is_active")
    search_fields = ("username", "name", "phone")
    fieldsets = BaseUserAdmin.fieldsets + (
        ("平台", {"fields": ("name", "phone", "union", "is_admin_role", "is_county_admin_role", "is_staff_role",
                            "is_juror_role", "juror_kind")}),
    )

    def get_readonly_fields(self, request, obj=None):
        # A change of union goes through members.services.save_user (the user page); see UnionAdmin.
        return (*super().get_readonly_fields(request, obj), *(("union",) if obj is not None else ()))

    def user_change_password(self, request, id, form_url=""):
        """The same rule as the pages and the API: no password for a juror seated on a roadshow
        not yet finalised (403); any other change is audited and revokes the user's logins."""
        target = get_object_or_404(User, pk=id)
        credentials.require_may_set_password(request.user, target)
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            target.refresh_from_db()
            credentials.record_admin_password(actor=request.user, user=target, created=False,
                                              ip=client_ip(request) or "")
        return response


# The security audit (issue 8): append-only, so read-only here too.
from .models import AuditLog


@admin.register(AuditLog)
class AuditLogAdmin(admin.ModelAdmin):
    list_display = ("at", "kind", "username", "ip", "path", "reason")
    list_filter = ("kind",)
    search_fields = ("username", "ip", "path", "reason")
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
