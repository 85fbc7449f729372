"""The import of past years' projects (历史数据导入)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from members.rules import may

from .. import importer
from ..forms import HistoryImportForm


# --- historic import --------------------------------------------------------------------------


@login_required
def history_import(request):
    if not may(request.user, "projects.import_history"):
        raise PermissionDenied(_("只有市总管理员可以导入历史数据。"))
    form = HistoryImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        report = importer.import_history(actor=request.user, file=form.cleaned_data["file"])
        if report.ok:
            messages.success(request, _("已导入 %(p)d 个项目、%(a)d 个获奖记录、%(r)d 个推广计划。") % {
                "p": report.projects, "a": report.awards, "r": report.plans})
        else:
            messages.error(request, _("发现 %(n)d 处错误，未导入任何数据。") % {"n": len(report.errors)})
    return render(request, "projects/history_import.html", {"form": form, "report": report,
                                                            "project_columns": importer.PROJECT_COLUMNS,
                                                            "plan_columns": importer.PLAN_COLUMNS})


@login_required
def history_template(request):
    if not may(request.user, "projects.import_history"):
        raise PermissionDenied(_("只有市总管理员可以导入历史数据。"))
    response = HttpResponse(
        importer.build_template(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = "attachment; filename*=utf-8''history_template.xlsx"
    return response
