"""The registry of audit sources: each app's audit table as a part of the one audit list (read
by ``dashboards.audit``). ``unionproj`` imports no app: every app registers its own source in
its ``AppConfig.ready`` (``members``: ``AuditLog``; ``projects``: ``ProjectEvent``;
``evaluations``: ``EvaluationEvent``), in the order of ``INSTALLED_APPS``."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import CharField, F, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils.translation import gettext as _

# The columns every part of the union yields, in this order.
COLUMNS = ("source", "row_id", "at", "kind", "action", "actor_name", "username", "ip", "path", "object_type",
           "object_id", "object_label", "from_value", "to_value", "reason", "detail")


@dataclass(frozen=True)
class AuditSource:
    """An app's audit table as a part of the audit page.

    ``rows(user)`` yields ``COLUMNS`` (``values_list``) of the rows about objects ``user`` may
    read — the same visibility as the objects' own pages, so the page never names what the
    object's page answers 404 for. ``describe(items)`` adds human-readable ``action_label``,
    ``from_label``, ``to_label`` and ``changes`` (a list of lines) to the page's rows, in a
    constant number of queries. ``kinds``: the choices of the page's filter when the source's
    rows carry kinds of their own (``members``' security events); without them the source is
    one kind, ``kind``, labelled ``label``."""

    kind: str
    label: object
    rows: Callable
    describe: Callable = None
    kinds: tuple = ()


_SOURCES = {}


def register_source(source):
    _SOURCES[source.kind] = source


def sources():
    """The registered sources, in the order they were registered."""
    return list(_SOURCES.values())


def text_value(value=""):
    return Value(value, output_field=CharField())


def actor_name():
    """A workflow table's ``actor``: their name, else their username."""
    return Coalesce(NullIf(F("actor__name"), text_value()), F("actor__username"), text_value())


def labelled(label, value):
    """One line of a row's changes: "金额：1000.00" ("Amount: 1000.00")."""
    return _("%(label)s：%(value)s") % {"label": label, "value": value}
