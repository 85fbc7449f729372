"""The security audit (issue 8): writing ``AuditLog`` rows, and ``AuditLog`` as a source of the
one audit list (``unionproj.audit``; the list and its page are ``dashboards``').

Rows are append-only (see ``members.models.AuditLog``). No password is ever stored: a failed
login keeps only the username that was typed.
"""

import logging

from django.db import DatabaseError
from django.db.models import F, TextField
from django.db.models.functions import Cast, Coalesce, NullIf
from django.utils.translation import gettext as _

from unionproj.audit import COLUMNS, AuditSource, labelled, text_value
# client_ip: also django-axes' AXES_CLIENT_IP_CALLABLE ("members.audit.client_ip").
from unionproj.client import client_ip  # noqa: F401 - re-exported

from .models import AuditKind, AuditLog

log = logging.getLogger(__name__)


def record(kind, *, request=None, user=None, username="", object_type="", object_id=None, from_value="",
           to_value="", reason="", data=None, ip=""):
    """Append one row. A failure to write is logged, never raised: the audit must not turn a
    refused request into a server error. ``ip``: the address when a service records without
    the request."""
    if user is None and request is not None:
        candidate = getattr(request, "user", None)
        if candidate is not None and candidate.is_authenticated:
            user = candidate
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    try:
        return AuditLog.objects.create(
            kind=kind,
            user=user,
            username=(username or (user.get_username() if user else ""))[:150],
            ip=(ip or client_ip(request) or "")[:45],
            method=(getattr(request, "method", "") or "")[:10],
            path=(getattr(request, "path", "") or "")[:255],
            object_type=object_type[:40],
            object_id=object_id,
            from_value=str(from_value)[:64],
            to_value=str(to_value)[:64],
            reason=str(reason),
            data=data or {},
        )
    except DatabaseError:
        log.exception("audit row %s for %r could not be written", kind, username)
        return None


# --- AuditLog as a source of the audit list -------------------------------------------------

KIND = "audit"


def rows(user):
    """Every ``AuditLog`` row (the page is for admins; the rows name no project or roadshow)."""
    return AuditLog.objects.order_by().annotate(
        source=text_value(KIND), row_id=F("id"), action=F("kind"),
        actor_name=Coalesce(NullIf(F("user__name"), text_value()), F("username"), text_value()),
        object_label=text_value(), detail=Cast("data", TextField()),
    ).values_list(*COLUMNS)


def describe(items):
    # Our own rows say what happened in ``reason`` and ``data`` (an unlock's from/to are the
    # user and the address, already in both).
    labels = {"target_username": _("用户名"), "target_ip": _("地址")}
    for item in items:
        item["from_label"] = item["to_label"] = ""
        data = item["data"]
        item["changes"] = [labelled(labels.get(key, key), value) for key, value in data.items()
                           if value not in ("", None)] if isinstance(data, dict) else []


SOURCE = AuditSource(kind=KIND, label=AuditLog._meta.verbose_name, rows=rows, describe=describe,
                     kinds=tuple(AuditKind.choices))
