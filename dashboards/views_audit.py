"""The audit pages (issue 8), for admins only: the append-only audit as one list (security
events, project transitions, scoring and money events) with filters, and the current
django-axes lockouts with an unlock button."""

from axes.models import AccessAttempt
from axes.utils import reset
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from members import audit as security_audit
from members.models import AuditKind
from members.rules import require_perm
from unionproj.inputs import CleanInputMixin
from unionproj.text import quoted

from . import audit

PER_PAGE = 50
# The same permission as the member pages (members.rules.is_admin: superuser or 市总管理员).
ADMIN_PERM = "members.manage_users"


class AuditFilterForm(CleanInputMixin, forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("类别"), required=False,
                             choices=lambda: [("", gettext_lazy("全部")), *audit.kind_choices()])
    user = forms.CharField(label=gettext_lazy("用户"), required=False, max_length=150)
    date_from = forms.DateField(label=gettext_lazy("起始日期"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=gettext_lazy("截止日期"), required=False,
                              widget=forms.DateInput(attrs={"type": "date"}))
    q = forms.CharField(label=gettext_lazy("关键词"), required=False, max_length=100)


@login_required
def audit_list(request):
    require_perm(request.user, ADMIN_PERM)
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    # The same visibility as the objects: a row about a project or roadshow the reader may not
    # open (another union's draft) is not listed, whatever the filter.
    rows = audit.audit_rows(
        request.user, kind=filters.get("kind") or "", username=(filters.get("user") or "").strip(),
        date_from=filters.get("date_from"), date_to=filters.get("date_to"), q=(filters.get("q") or "").strip(),
    )
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "dashboards/audit_list.html", {
        "form": form, "page": page, "rows": audit.as_dicts(page.object_list),
        "lockout_count": audit.current_lockouts().count(),
    })


@login_required
def lockout_list(request):
    require_perm(request.user, ADMIN_PERM)
    return render(request, "dashboards/lockout_list.html", {"lockouts": list(audit.current_lockouts()[:200])})


@require_POST
@login_required
def unlock(request, pk):
    require_perm(request.user, ADMIN_PERM)
    attempt = get_object_or_404(AccessAttempt, pk=pk)
    username, ip = attempt.username or "", attempt.ip_address or ""
    # Exactly the locked pair (username + address): other addresses keep their own count.
    reset(ip=ip or None, username=username or None)
    security_audit.record(AuditKind.UNLOCK, request=request, object_type="lockout", from_value=username, to_value=ip,
                          reason=_("管理员 %(admin)s 解除了 %(user)s（%(ip)s）的登录锁定")
                          % {"admin": request.user.get_username(), "user": username, "ip": ip},
                          data={"target_username": username, "target_ip": ip})
    messages.success(request, _("已解除%(user)s的登录锁定。") % {"user": quoted(username)})
    return redirect("audit:lockouts")
