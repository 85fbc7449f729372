"""The audit row of the evaluations app as one fixed ``INSERT`` (no ORM compilation): every
autosave writes one (:mod:`evaluations.services.scoring`, inside its one write statement on
PostgreSQL), every other service through :func:`evaluations.services.common.record`.

It writes the row ``EvaluationEvent.objects.create`` would write; the scoring tests read the
events back through the ORM.
"""

import functools

from django.db import connection
from django.utils import timezone
from psycopg import sql

from ..models import EvaluationEvent

EVENT_FIELDS = ("roadshow_id", "actor_id", "at", "object_type", "object_id", "action", "from_state", "to_state",
                "reason", "data")
_DATA = EvaluationEvent._meta.get_field("data")


@functools.cache
def insert_event():
    """``INSERT`` one audit row; its values, in order, are :func:`event_params`'."""
    return sql.SQL("INSERT INTO {table} ({fields}) VALUES ({values})").format(
        table=sql.Identifier(EvaluationEvent._meta.db_table),
        fields=sql.SQL(", ").join(map(sql.Identifier, EVENT_FIELDS)),
        values=sql.SQL(", ").join([sql.Placeholder()] * len(EVENT_FIELDS)),
    ).as_string()


def event_params(*, actor, obj, action, roadshow, from_state="", to_state="", reason="", data=None):
    """The values of :func:`insert_event` for one audit row about ``obj``."""
    return [
        roadshow.pk if roadshow is not None else None, actor.pk if actor is not None else None,
        connection.ops.adapt_datetimefield_value(timezone.now()), obj._meta.model_name, obj.pk, str(action),
        from_state or "", to_state or "", reason or "", _DATA.get_db_prep_value(data or {}, connection),
    ]
