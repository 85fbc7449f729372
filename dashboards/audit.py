"""The security audit read as one list (issue 8): ``members``' own ``AuditLog`` and the
workflow's audit tables (``ProjectEvent``, ``EvaluationEvent``), each registered by its app as
a source in ``unionproj.audit``, read-only; and django-axes' current lockouts."""

import json
from datetime import datetime, time

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from members.models import AuditLog
from unionproj.audit import COLUMNS, sources


def kind_choices():
    """The kinds of the audit page's filter: each source's, in the order they registered
    (``members``' security events first, then each workflow table)."""
    choices = []
    for source in sources():
        choices += list(source.kinds) if source.kinds else [(source.kind, source.label)]
    return choices


def _day_bounds(day, end=False):
    moment = datetime.combine(day, time.max if end else time.min)
    return timezone.make_aware(moment)


def _part(source, user, kind):
    """The source's rows under the kind filter, or None when the kind is none of its own."""
    if not kind:
        return source.rows(user)
    if source.kinds:
        return source.rows(user).filter(kind=kind) if kind in dict(source.kinds) else None
    return source.rows(user) if kind == source.kind else None


def audit_rows(user, *, kind="", username="", date_from=None, date_to=None, q=""):
    """Every audit row ``user`` may read matching the filters, newest first, as tuples of
    ``COLUMNS``: each registered source (security events, project transitions, scoring and
    money events), read-only, each restricted by its source to the rows about objects ``user``
    may read. One SQL ``UNION ALL``: counting and reading a page are one query each, whatever
    the length."""
    parts = [part for source in sources() if (part := _part(source, user, kind)) is not None]
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


def as_dicts(rows):
    """Tuples of ``COLUMNS`` as dicts for people: the kind's label, the changes (``detail``,
    stored as JSON) parsed; each source's ``describe`` then puts the action, the states and
    the changes in words."""
    out = []
    labels = dict(kind_choices())
    for row in rows:
        item = dict(zip(COLUMNS, row))
        item["kind_label"] = labels.get(item["kind"], item["kind"])
        item["action_label"] = ""
        item["from_label"], item["to_label"] = item["from_value"], item["to_value"]
        try:
            item["data"] = json.loads(item["detail"]) if item["detail"] else {}
        except (TypeError, ValueError):
            item["data"] = item["detail"]
        item["changes"] = []
        out.append(item)
    for source in sources():
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
