"""The security audit (issue 8): writing ``AuditLog`` rows, and reading them together with the
workflow's own audit tables (``ProjectEvent``, ``EvaluationEvent``) as one read-only list.

Rows are append-only (see ``members.models.AuditLog``). No password is ever stored: a failed
login keeps only the username that was typed.
"""

import logging
from datetime import datetime, time

from django.conf import settings
from django.db import DatabaseError
from django.db.models import CharField, F, Q, TextField, Value
from django.db.models.functions import Cast, Coalesce, NullIf
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import AuditKind, AuditLog

log = logging.getLogger(__name__)

# The kinds of the audit page's filter: ours, then the two workflow tables.
SOURCE_PROJECT = "project"
SOURCE_EVALUATION = "evaluation"
KIND_CHOICES = [
    *AuditKind.choices,
    (SOURCE_PROJECT, _("项目流转")),
    (SOURCE_EVALUATION, _("路演评分与奖补")),
]
KIND_LABELS = dict(KIND_CHOICES)


def client_ip(request):
    """The client's address: ``REMOTE_ADDR``, or the header the reverse proxy sets
    (``CLIENT_IP_HEADER``, e.g. ``HTTP_X_REAL_IP``) when the platform runs behind one. Also
    django-axes' ``AXES_CLIENT_IP_CALLABLE``, so lockouts and the audit agree."""
    if request is None:
        return None
    meta = getattr(request, "META", {}) or {}
    header = getattr(settings, "CLIENT_IP_HEADER", "")
    value = (meta.get(header) if header else None) or meta.get("REMOTE_ADDR") or ""
    # X-Forwarded-For may hold a chain: the proxy appends the address it saw last.
    value = value.split(",")[-1].strip()[:45]
    return value or None


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


# --- reading: one list over three tables ----------------------------------------------------

# The columns every part of the union yields, in this order.
COLUMNS = ("source", "row_id", "at", "kind", "action", "actor_name", "username", "ip", "path", "object_type",
           "object_id", "object_label", "from_value", "to_value", "reason", "detail")


def _text(value=""):
    return Value(value, output_field=CharField())


def _actor_name():
    return Coalesce(NullIf(F("actor__name"), _text()), F("actor__username"), _text())


def _audit_rows():
    return AuditLog.objects.order_by().annotate(
        source=_text("audit"), row_id=F("id"), action=F("kind"),
        actor_name=Coalesce(NullIf(F("user__name"), _text()), F("username"), _text()),
        object_label=_text(), detail=Cast("data", TextField()),
    ).values_list(*COLUMNS)


def _project_rows():
    from projects.models import ProjectEvent

    return ProjectEvent.objects.order_by().annotate(
        source=_text(SOURCE_PROJECT), row_id=F("id"), kind=_text(SOURCE_PROJECT),
        actor_name=_actor_name(), username=Coalesce(F("actor__username"), _text()),
        ip=_text(), path=_text(), object_type=_text("project"), object_id=F("project_id"),
        object_label=F("project__title"), from_value=F("from_status"), to_value=F("to_status"),
        detail=Value("", output_field=TextField()),
    ).values_list(*COLUMNS)


def _evaluation_rows():
    from evaluations.models import EvaluationEvent

    return EvaluationEvent.objects.order_by().annotate(
        source=_text(SOURCE_EVALUATION), row_id=F("id"), kind=_text(SOURCE_EVALUATION),
        actor_name=_actor_name(), username=Coalesce(F("actor__username"), _text()),
        ip=_text(), path=_text(), object_label=Coalesce(F("roadshow__title"), _text()),
        from_value=F("from_state"), to_value=F("to_state"), detail=Cast("data", TextField()),
    ).values_list(*COLUMNS)


def _day_bounds(day, end=False):
    moment = datetime.combine(day, time.max if end else time.min)
    return timezone.make_aware(moment)


def audit_rows(*, kind="", user="", date_from=None, date_to=None, q=""):
    """Every audit row matching the filters, newest first, as tuples of ``COLUMNS``: our own
    ``AuditLog`` and the workflow's ``ProjectEvent``/``EvaluationEvent``, read-only. One SQL
    ``UNION ALL``: counting and reading a page are one query each, whatever the length."""
    parts = []
    if not kind or kind in AuditKind.values:
        rows = _audit_rows()
        if kind:
            rows = rows.filter(kind=kind)
        parts.append(rows)
    if kind in ("", SOURCE_PROJECT):
        parts.append(_project_rows())
    if kind in ("", SOURCE_EVALUATION):
        parts.append(_evaluation_rows())
    if not parts:
        return AuditLog.objects.none().values_list(*COLUMNS)
    filtered = []
    for rows in parts:
        if user:
            rows = rows.filter(Q(username__icontains=user) | Q(actor_name__icontains=user))
        if date_from:
            rows = rows.filter(at__gte=_day_bounds(date_from))
        if date_to:
            rows = rows.filter(at__lte=_day_bounds(date_to, end=True))
        if q:
            rows = rows.filter(
                Q(object_label__icontains=q) | Q(reason__icontains=q) | Q(path__icontains=q)
                | Q(action__icontains=q) | Q(detail__icontains=q)
            )
        filtered.append(rows)
    first, *rest = filtered
    combined = first.union(*rest, all=True) if rest else first
    return combined.order_by("-at", "-row_id")


def as_dicts(rows):
    """Tuples of ``COLUMNS`` as dicts with a label for the kind."""
    out = []
    for row in rows:
        item = dict(zip(COLUMNS, row))
        item["kind_label"] = KIND_LABELS.get(item["kind"], item["kind"])
        out.append(item)
    return out


def current_lockouts():
    """django-axes' attempts that are locked now (failures at the limit, within the cool-off)."""
    from axes.helpers import get_cool_off
    from axes.models import AccessAttempt

    attempts = AccessAttempt.objects.filter(failures_since_start__gte=settings.AXES_FAILURE_LIMIT)
    cool_off = get_cool_off()
    if cool_off:
        attempts = attempts.filter(attempt_time__gte=timezone.now() - cool_off)
    return attempts.order_by("-attempt_time")

