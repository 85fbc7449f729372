"""The scoring and money events (``EvaluationEvent``) as a part of the audit page
(members.audit): only the rows of roadshows the reader may read (``roadshows_visible_to``),
with actions, states and changes in words — a score change reads "组织管理 20 → 22"."""

from django.db.models import F, Q, TextField
from django.db.models.functions import Cast, Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members.rules import is_admin
from unionproj import audit

from .enums import Aggregation, BudgetPolicy, CardStatus, EntryState, EventAction, RoadshowStatus
from .models import Criterion, EvaluationEvent
from .queries import roadshows_visible_to

KIND = "evaluation"


def rows(user):
    visible = Q(roadshow__in=roadshows_visible_to(user).values("pk"))
    if is_admin(user):
        visible |= Q(roadshow__isnull=True)  # unit rankings: the admins' own jobs
    return EvaluationEvent.objects.order_by().filter(visible).annotate(
        source=audit.text_value(KIND), row_id=F("id"), kind=audit.text_value(KIND),
        actor_name=audit.actor_name(), username=Coalesce(F("actor__username"), audit.text_value()),
        ip=audit.text_value(), path=audit.text_value(), object_label=Coalesce(F("roadshow__title"), audit.text_value()),
        from_value=F("from_state"), to_value=F("to_state"), detail=Cast("data", TextField()),
    ).values_list(*audit.COLUMNS)


# State labels of the objects other apps record ``EvaluationEvent`` rows about (the awards'
# payouts, jobs and objections): ``{object type: () -> {state: label}}``, see register_states.
_OTHER_STATES = {}


def register_states(object_type, labels):
    """``labels()`` gives the state labels of ``object_type`` rows (called when a page is read,
    in the reader's language)."""
    _OTHER_STATES[object_type] = labels


def _states():
    """State labels by the object the row is about (``closed`` is a roadshow's 评分结束 but an
    entry's 已结束)."""
    return {
        "roadshow": dict(RoadshowStatus.choices), "entry": dict(EntryState.choices),
        "scorecard": dict(CardStatus.choices),
        **{object_type: labels() for object_type, labels in _OTHER_STATES.items()},
    }


def _key_labels():
    return {
        "project": _("项目编号"), "order": _("顺序"), "entries": _("路演项目"), "cards": _("评分表"),
        "jurors": _("评委"), "user": _("用户编号"),
        "group": _("评审组"), "name": _("名称"), "weight": _("权重"), "seat": _("评委席位"), "entry": _("路演项目"),
        "automatic": _("自动"), "added": _("新增"), "card_deleted": _("删除评分表"), "juror": _("评委编号"),
        "days": _("公示天数"), "until": _("公示截止"), "union": _("工会编号"), "tier": _("等次"), "amount": _("金额"),
        "awarded": _("获奖项目数"), "total": _("合计"), "budget": _("预算"), "payouts_deleted": _("撤销拨付数"),
        "job": _("任务编号"), "created": _("新增"), "updated": _("更新"), "task_id": _("任务编号"),
        "rubric": _("评分细则"), "aggregation": _("计分方式"), "live": _("现场模式"), "title": _("名称"),
        "date": _("日期"), "budget_policy": _("超预算处理"), "from": _("原设置"), "to": _("新设置"),
    }


# Coded values of a setting, in words (a roadshow's aggregation "trimmed_mean").
_VALUE_LABELS = {"aggregation": dict(Aggregation.choices), "budget_policy": dict(BudgetPolicy.choices)}


def _plain(value):
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, dict):
        return " ".join(str(value[k]) for k in ("name", "amount") if k in value) or "、".join(
            f"{k} {_plain(v)}" for k, v in value.items())
    if isinstance(value, list):
        return "、".join(_plain(v) for v in value) or "—"
    return str(value)


def _points(value):
    """A stored score ("20.0", "22.50") as people write it: 20, 22.5."""
    text = _plain(value)
    return text.rstrip("0").rstrip(".") if "." in text and text.replace(".", "", 1).isdigit() else text


def _score_lines(scores, criteria):
    lines = []
    for criterion_id, value in scores.items():
        name = criteria.get(str(criterion_id), _("评分项 %(id)s") % {"id": criterion_id})
        if isinstance(value, list) and len(value) == 2:
            lines.append(f"{name} {_points(value[0])} → {_points(value[1])}")
        else:
            lines.append(f"{name} {_points(value)}")
    return lines


def _changes(data, criteria, labels):
    if not isinstance(data, dict):
        return [str(data)] if data else []
    lines = []
    for key, value in data.items():
        if key == "scores" and isinstance(value, dict):
            lines += _score_lines(value, criteria)
        elif key == "comment" and value is True:
            lines.append(_("修改了评语"))
        elif isinstance(value, list) and len(value) == 2 and not any(isinstance(v, (list, dict)) for v in value):
            words = _VALUE_LABELS.get(key, {})
            old, new = (words.get(v, v) for v in value)
            lines.append(audit.labelled(labels.get(key, key), f"{_plain(old)} → {_plain(new)}"))
        else:
            words = _VALUE_LABELS.get(key, {})
            lines.append(audit.labelled(labels.get(key, key),
                                       _plain(words.get(value, value) if isinstance(value, str) else value)))
    return lines


def describe(items):
    """Labels and change lines for the page's rows: one query for the criteria named."""
    ids = {str(k) for item in items if isinstance(item["data"], dict)
           for k in (item["data"].get("scores") or {}) if str(k).isdigit()}
    criteria = {str(pk): name for pk, name in Criterion.objects.filter(pk__in=ids).values_list("pk", "name")} \
        if ids else {}
    actions, states, labels = dict(EventAction.choices), _states(), _key_labels()
    for item in items:
        item["action_label"] = str(actions.get(item["action"], item["action"]))
        own = states.get(item["object_type"], {})
        item["from_label"] = str(own.get(item["from_value"], item["from_value"]))
        item["to_label"] = str(own.get(item["to_value"], item["to_value"]))
        item["changes"] = _changes(item["data"], criteria, labels)


SOURCE = audit.AuditSource(kind=KIND, label=gettext_lazy("路演评分与奖补"), rows=rows, describe=describe)
