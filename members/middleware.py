"""Security middleware (issue 8).

``SessionLimitsMiddleware``: the two session timeouts. Idle: a signed-in request pushes the
session's expiry ``SESSION_COOKIE_AGE`` ahead — by marking the session modified, so Django's
session middleware saves it and sends the cookie again — at most once every
``SESSION_REFRESH_SECONDS`` (a write per request would double the writes of a juror's
autosave). Absolute: a session ends ``SESSION_ABSOLUTE_SECONDS`` after the login however busy
it has been, with a message on the login page.

``AuditDeniedMiddleware``: every 403 answer (a page, the API, a CSRF failure) goes to the audit
with the path and the user.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.utils.translation import gettext as _

from . import audit
from .models import AuditKind
from .signals import LOGIN_AT, REFRESHED_AT

AUTH_SESSION_KEY = "_auth_user_id"


class SessionLimitsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and AUTH_SESSION_KEY in session:
            started = session.get(LOGIN_AT)
            now = time.time()
            if started is None:
                # A session from before this check existed: its clock starts now.
                session[LOGIN_AT] = now
            elif now - float(started) > settings.SESSION_ABSOLUTE_SECONDS:
                audit.record(AuditKind.SESSION_EXPIRED, request=request, reason=_("超过会话最长时限"))
                logout(request)
                messages.warning(request, _("登录时间已超过上限，为保护账号安全请重新登录。"))
                if request.method == "GET" and not request.path.startswith("/api/") and not getattr(request, "htmx", False):
                    return redirect_to_login(request.get_full_path())
                return self.get_response(request)
            refreshed = session.get(REFRESHED_AT)
            if refreshed is None or now - float(refreshed) >= settings.SESSION_REFRESH_SECONDS:
                session[REFRESHED_AT] = now  # modified: saved with a fresh expiry after the view
        return self.get_response(request)


class AuditDeniedMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 403:
            audit.record(AuditKind.DENIED, request=request, reason=_("拒绝访问 %(path)s") % {"path": request.path})
        return response
