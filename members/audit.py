"""The security audit (issue 8): writing ``AuditLog`` rows, and reading them together with the
workflow's own audit tables (``ProjectEvent``, ``EvaluationEvent``) as one read-only list.

Rows are append-only (see ``members.models.AuditLog``). No password is ever stored: a failed
login keeps only the username that was typed.
"""

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time

from django.conf import settings
from django.db import DatabaseError
from django.db.models import CharField, F, Q, TextField, Value
from django.db.models.functions import Cast, Coalesce, NullIf
from django.utils import timezone
from django.utils.translation import gettext as _

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


# --- reading: one list over the audit tables ------------------------------------------------

# The columns every part of the union yields, in this order.
COLUMNS = ("source", "row_id", "at", "kind", "action", "actor_name", "username", "ip", "path", "object_type",
           "object_id", "object_label", "from_value", "to_value", "reason", "detail")


@dataclass(frozen=True)
class AuditSource:
    """An app's audit table as a part of the audit page (registered in its ``AppConfig.ready``,
    so that ``members`` imports none of the apps above it).

    ``rows(user)`` yields ``COLUMNS`` (``values_list``) of the rows about objects ``user`` may
    read — the same visibility as the objects' own pages, so the page never names what the
    object's page answers 404 for. ``describe(items)`` adds human-readable ``action_label``,
    ``from_label``, ``to_label`` and ``changes`` (a list of lines) to the page's rows, in a
    constant number of queries."""

    kind: str
    label: object
    rows: Callable
    describe: Callable = None


_SOURCES = {}


def register_source(source):
    _SOURCES[source.kind] = source


def kind_choices():
    """The kinds of the audit page's filter: ours, then each registered workflow table."""
    return [*AuditKind.choices, *((s.kind, s.label) for s in _SOURCES.values())]


def text_value(value=""):
    return Value(value, output_field=CharField())


def actor_name():
    """A workflow table's ``actor``: their name, else their username."""
    return Coalesce(NullIf(F("actor__name"), text_value()), F("actor__username"), text_value())


def _own_rows():
    return AuditLog.objects.order_by().annotate(
        source=text_value("audit"), row_id=F("id"), action=F("kind"),
        actor_name=Coalesce(NullIf(F("user__name"), text_value()), F("username"), text_value()),
        object_label=text_value(), detail=Cast("data", TextField()),
    ).values_list(*COLUMNS)


def _day_bounds(day, end=False):
    moment = datetime.combine(day, time.max if end else time.min)
    return timezone.make_aware(moment)


def audit_rows(user, *, kind="", username="", date_from=None, date_to=None, q=""):
    """Every audit row ``user`` may read matching the filters, newest first, as tuples of
    ``COLUMNS``: our own ``AuditLog`` and each registered workflow table (project transitions,
    scoring and money events), read-only, each restricted by its source to the rows about
    objects ``user`` may read. One SQL ``UNION ALL``: counting and reading a page are one query
    each, whatever the length."""
    parts = []
    if not kind or kind in AuditKind.values:
        rows = _own_rows()
        if kind:
            rows = rows.filter(kind=kind)
        parts.append(rows)
    parts += [source.rows(user) for source in _SOURCES.values() if kind in ("", source.kind)]
    if not parts:
        return AuditLog.objects.none().values_list(*COLUMNS)
    filtered = []
    for rows in parts:
        if username:
            rows = rows.filter(Q(username__icontains=username) | Q(actor_name__icontains=username))
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


def labelled(label, value):
    """One line of a row's changes: "金额：1000.00" ("Amount: 1000.00")."""
    return _("%(label)s：%(value)s") % {"label": label, "value": value}


def _own_changes(item):
    data = item["data"]
    if not isinstance(data, dict):
        return []
    labels = {"target_username": _("用户名"), "target_ip": _("地址")}
    return [labelled(labels.get(key, key), value) for key, value in data.items() if value not in ("", None)]


def as_dicts(rows):
    """Tuples of ``COLUMNS`` as dicts for people: the kind's label, the action's and the
    states' labels, and the changes (``detail``, stored as JSON) as lines of text."""
    out = []
    labels = dict(kind_choices())
    for row in rows:
        item = dict(zip(COLUMNS, row))
        item["kind_label"] = labels.get(item["kind"], item["kind"])
        item["action_label"] = ""
        # Our own rows say what happened in ``reason`` and ``data`` (an unlock's from/to are the
        # user and the address, already in both).
        own = item["source"] == "audit"
        item["from_label"], item["to_label"] = ("", "") if own else (item["from_value"], item["to_value"])
        try:
            item["data"] = json.loads(item["detail"]) if item["detail"] else {}
        except (TypeError, ValueError):
            item["data"] = item["detail"]
        item["changes"] = _own_changes(item) if own else []
        out.append(item)
    for source in _SOURCES.values():
        mine = [item for item in out if item["source"] == source.kind]
        if mine and source.describe:
            source.describe(mine)
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

