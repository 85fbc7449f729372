"""Signals of members.

Sent by members (issue 13): ``user_union_changed`` and ``union_parent_changed``, by
``members.services`` inside the transaction of the change, after the row (and a moved union's
subtree paths) is written. The apps above members that keep something derived from the union tree
(the automatic recusals of ``evaluations``) connect receivers that bring it up to date in the
same transaction, or refuse the change by raising ``unionproj.errors.StateConflict``: the whole
change is then rolled back, and the page shows the message (the API answers 409).

Received by members (issue 8): logins, failed logins, logouts and lockouts go to the audit, and a
login stamps the session with its start for the absolute timeout (``members.middleware``).
Connected in ``MembersConfig.ready``."""

import time

from axes.signals import user_locked_out
from django.contrib.auth.signals import (
    user_logged_in,
    user_logged_out,
    user_login_failed,
)
from django.dispatch import Signal, receiver

from . import audit
from .models import AuditKind

# A user's union changed. kwargs: ``actor`` (may be None), ``user`` (saved, with its new union),
# ``old_union`` (a Union or None).
user_union_changed = Signal()
# A union moved to another parent. kwargs: ``actor``, ``union`` (saved; its subtree's paths are
# already the new ones), ``old_parent``.
union_parent_changed = Signal()

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
