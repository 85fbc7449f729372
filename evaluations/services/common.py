"""Helpers of the scoring services, used by the awards' services too: row locks, state checks,
the audit row (``EvaluationEvent``, which records the awards' changes as well)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from unionproj import prepared
from unionproj.errors import WorkflowError

from ..models import Roadshow
from ..sql.events import event_params, insert_event

# Every row lock is FOR NO KEY UPDATE of the named table only. A plain FOR UPDATE would also
# block the FOR KEY SHARE lock PostgreSQL takes on a row whenever another row referencing it is
# inserted: a submit holding its card's lock and writing an event that references the roadshow
# then deadlocks with a close holding the roadshow's lock and waiting for the cards.
ROW_LOCK = {"no_key": True, "of": ("self",)}


def lock_roadshow(roadshow):
    """The roadshow row, locked, read afresh (its status is decided under the lock)."""
    return Roadshow.objects.select_for_update(**ROW_LOCK).select_related("campaign__owner_union").get(
        pk=roadshow.pk)


def require_status(roadshow, allowed, message=None):
    if roadshow.status not in allowed:
        raise WorkflowError(
            message or _("路演展评当前状态为“%(s)s”，不能执行此操作。") % {"s": roadshow.get_status_display()},
            state=roadshow.status,
        )


def record(*, actor, obj, action, roadshow, from_state="", to_state="", reason="", data=None):
    """Write one audit row about ``obj`` (the row ``EvaluationEvent.objects.create`` would
    write, without building the model and its query: :func:`evaluations.sql.events.insert_event`)."""
    with prepared.cursor() as cursor:
        cursor.execute(insert_event(), event_params(actor=actor, obj=obj, action=action, roadshow=roadshow,
                                                    from_state=from_state, to_state=to_state, reason=reason,
                                                    data=data))


def clean_text(value, *, field, empty, too_long, limit=2000):
    """``value`` stripped; ``ValidationError`` under ``field`` when it is empty (``empty``) or
    longer than ``limit`` (``too_long``, formatted with ``n``)."""
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: empty})
    if len(value) > limit:
        raise ValidationError({field: too_long % {"n": limit}})
    return value
