"""The sign-in pages that revoke (issue 13): logout and a password change end every API token
and every other session of the user; an admin issues a one-time reset link (shown once) and the
user sets a new password with it. The writes are ``members.credentials``."""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import credentials
from .audit import client_ip
from .queries import users_managed_by
from .rules import require_perm


class LogoutView(auth_views.LogoutView):
    """Django's logout, after revoking every token and every other session of the user."""

    def post(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            credentials.revoke_logins(user=request.user, actor=request.user, cause="logout",
                                      ip=client_ip(request) or "")
        return super().post(request, *args, **kwargs)


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's password change; then every token and every other session of the user ends,
    and this session carries on with the new hash."""

    def form_valid(self, form):
        user = form.save()
        credentials.record_password_changed(user=user, ip=client_ip(self.request) or "")
        update_session_auth_hash(self.request, user)
        return redirect(self.get_success_url())


@require_POST
@login_required
def user_reset_password(request, pk):
    """An admin issues a one-time reset link for a user; the page shows it this once."""
    require_perm(request.user, "members.manage_users")
    target = get_object_or_404(users_managed_by(request.user).select_related("union"), pk=pk)
    try:
        reset, code = credentials.issue_password_reset(actor=request.user, user=target, ip=client_ip(request) or "")
    except PermissionDenied as exc:
        messages.error(request, str(exc))
        return redirect("members:user_edit", pk=target.pk)
    link = request.build_absolute_uri(reverse("password_reset_code", args=[code]))
    response = render(request, "members/reset_issued.html", {"target": target, "reset": reset, "link": link})
    response["Cache-Control"] = "no-store"  # shown once: not kept by the browser either
    return response


def password_reset_code(request, code):
    """The user sets a new password with a reset link (no login needed)."""
    reset = credentials.pending_reset(code)
    if reset is None:
        return render(request, "registration/reset_invalid.html", status=404)
    form = SetPasswordForm(reset.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            credentials.redeem_password_reset(code=code, password=form.cleaned_data["new_password1"],
                                              ip=client_ip(request) or "")
        except ValidationError:
            return render(request, "registration/reset_invalid.html", status=404)
        messages.success(request, _("新密码已设置，请用它登录。"))
        return redirect("login")
    # The code in the URL leaves no trace elsewhere: the site's Referrer-Policy is same-origin
    # (``no-referrer`` here would make the browser send ``Origin: null`` and fail CSRF).
    return render(request, "registration/reset_code.html", {"form": form, "target": reset.user})
