"""What the project pages share: page sizes, labels of actions and states, and the helpers that
turn the services' errors into messages."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, resolve_url
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members.rules import is_admin, is_county_admin, may

from .. import queries
from ..enums import REOPEN_FILING, Action, AwardAction, ProjectStatus
from ..models import Campaign, Project


PAGE_SIZE = 25
LONG_TEXT_FIELDS = ("summary", "objectives", "plan", "expected_outcomes")
SCREENING_PAGE_SIZE = 50

can_screen = is_admin | is_county_admin

# What a done action is called in a message ("项目“…”已立项。").
DONE = {
    Action.SUBMIT: gettext_lazy("已提交申报"),
    Action.RECOMMEND: gettext_lazy("已推荐"),
    Action.RETURN: gettext_lazy("已退回修改"),
    Action.APPROVE: gettext_lazy("已立项"),
    Action.REJECT: gettext_lazy("已不予立项"),
    Action.SHORTLIST: gettext_lazy("已入围"),
    Action.CLOSING_REPORT: gettext_lazy("已提交结项报告"),
    Action.ACCEPT_CLOSURE: gettext_lazy("已结项"),
    Action.FAIL_CLOSURE: gettext_lazy("结项未通过"),
}
EVENT_LABELS = {
    "create": gettext_lazy("创建草稿"), "import": gettext_lazy("历史数据导入"),
    **{a.value: a.label for a in AwardAction},
    REOPEN_FILING: gettext_lazy("重新开放提交"),
    **{a.value: a.label for a in Action},
}
# Steps that cannot be undone by the one who takes them are confirmed in the browser.
CONFIRM = {
    Action.SUBMIT: gettext_lazy("确认提交申报？提交后不能修改。"),
    Action.RECOMMEND: gettext_lazy("确认推荐该项目？"),
    Action.RETURN: gettext_lazy("确认退回该项目？"),
    Action.APPROVE: gettext_lazy("确认立项？"),
    Action.REJECT: gettext_lazy("确认不予立项？此操作不可撤销。"),
    Action.SHORTLIST: gettext_lazy("确认该项目入围？"),
    Action.CLOSING_REPORT: gettext_lazy("确认提交结项报告？"),
    Action.ACCEPT_CLOSURE: gettext_lazy("确认结项通过？通过后各单位均可查看并复制推广该项目。"),
    Action.FAIL_CLOSURE: gettext_lazy("确认结项不通过？"),
}
# The closing report has a form of its own (text and files), not a button.
OWN_FORM_ACTIONS = {Action.CLOSING_REPORT}
BADGE = {
    ProjectStatus.DRAFT: "text-bg-secondary",
    ProjectStatus.RETURNED: "text-bg-warning",
    ProjectStatus.SUBMITTED: "text-bg-primary",
    ProjectStatus.RECOMMENDED: "text-bg-info",
    ProjectStatus.APPROVED: "text-bg-success",
    ProjectStatus.REJECTED: "text-bg-danger",
    ProjectStatus.SHORTLISTED: "text-bg-success",
    ProjectStatus.AWARDED: "text-bg-success",
    ProjectStatus.CLOSING: "text-bg-info",
    ProjectStatus.CLOSED: "text-bg-dark",
    ProjectStatus.CLOSURE_FAILED: "text-bg-danger",
}


def _with_badges(projects):
    for project in projects:
        project.badge_class = BADGE.get(project.status, "text-bg-secondary")
    return projects


def _error_text(exc):
    if isinstance(exc, ValidationError):
        return ";".join(exc.messages)
    return str(exc)


def _add_service_errors(form, exc):
    """Put a service's ``ValidationError`` on the form's fields (or on the form)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _safe_next(request, default):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return default


def _visible_project_or_404(user, pk):
    try:
        return queries.get_visible_project(user, pk)
    except Project.DoesNotExist:
        raise Http404(_("项目不存在或您无权查看。")) from None


def _open_campaigns_for(user):
    if not may(user, "projects.add_project"):
        return Campaign.objects.none()
    today = timezone.localdate()
    return queries.campaigns_visible_to(user).filter(filing_opens__lte=today, filing_deadline__gte=today)


def _go(request, to, *args, **kwargs):
    """Redirect. A form the page sends itself to show an upload's progress (``X-Upload-Progress``,
    static/js/app.js) gets the address as JSON and goes there, so the messages still show."""
    url = resolve_url(to, *args, **kwargs)
    if request.headers.get("X-Upload-Progress"):
        return JsonResponse({"redirect": url})
    return redirect(url)


def _form_errors_to_messages(request, form):
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
