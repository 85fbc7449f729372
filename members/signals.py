"""Security signals (issue 8): logins, failed logins, logouts and lockouts go to the audit, and a
login stamps the session with its start for the absolute timeout (``members.middleware``).
Connected in ``MembersConfig.ready``."""

import time

from axes.signals import user_locked_out
from django.contrib.auth.signals import (
    user_logged_in,
    user_logged_out,
    user_login_failed,
)
from django.dispatch import receiver

from . import audit
from .models import AuditKind

# The session key holding the login time (seconds since the epoch).
LOGIN_AT = "_login_at"
# The session key holding when the idle expiry was last pushed ahead (``members.middleware``).
REFRESHED_AT = "_refreshed_at"


@receiver(user_logged_in, dispatch_uid="members.audit.login")
def on_login(sender, request, user, **kwargs):
    session = getattr(request, "session", None)
    if session is not None:
        session[LOGIN_AT] = session[REFRESHED_AT] = time.time()
    audit.record(AuditKind.LOGIN, request=request, user=user)


@receiver(user_login_failed, dispatch_uid="members.audit.login_failed")
def on_login_failed(sender, credentials, request=None, **kwargs):
    # Django has already masked the password; we keep nothing but the username.
    username = str((credentials or {}).get("username") or "")
    audit.record(AuditKind.LOGIN_FAILED, request=request, username=username)


@receiver(user_logged_out, dispatch_uid="members.audit.logout")
def on_logout(sender, request, user, **kwargs):
    if user is not None:
        audit.record(AuditKind.LOGOUT, request=request, user=user)


@receiver(user_locked_out, dispatch_uid="members.audit.lockout")
def on_locked_out(sender, request, username=None, ip_address=None, **kwargs):
    audit.record(AuditKind.LOCKOUT, request=request, username=username or "",
                 reason=f"ip={ip_address or ''}")
