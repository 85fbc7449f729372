"""The project transitions (``ProjectEvent``) as a part of the audit page (unionproj.audit):
only the rows of projects the reader may read (``visible_projects_q``: another union's draft
stays private), with the actions and states in words."""

from django.db.models import F, TextField, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from unionproj import audit

from .enums import Action, AwardAction, ProjectStatus
from .models import ProjectEvent
from .queries import projects_visible_to

KIND = "project"


def rows(user):
    return ProjectEvent.objects.order_by().filter(project__in=projects_visible_to(user).values("pk")).annotate(
        source=audit.text_value(KIND), row_id=F("id"), kind=audit.text_value(KIND),
        actor_name=audit.actor_name(), username=Coalesce(F("actor__username"), audit.text_value()),
        ip=audit.text_value(), path=audit.text_value(), object_type=audit.text_value("project"),
        object_id=F("project_id"), object_label=F("project__title"), from_value=F("from_status"),
        to_value=F("to_status"), detail=Value("", output_field=TextField()),
    ).values_list(*audit.COLUMNS)


def describe(items):
    actions = {"create": _("创建项目"), **dict(Action.choices), **dict(AwardAction.choices)}
    states = dict(ProjectStatus.choices)
    for item in items:
        item["action_label"] = str(actions.get(item["action"], item["action"]))
        item["from_label"] = str(states.get(item["from_value"], item["from_value"]))
        item["to_label"] = str(states.get(item["to_value"], item["to_value"]))


SOURCE = audit.AuditSource(kind=KIND, label=gettext_lazy("项目流转"), rows=rows, describe=describe)
