"""Setting up a roadshow and driving its states: rubric, roadshow, running order, jury, groups,
recusals, start/close, and opening/closing entries in live mode.

Every function is keyword-only, takes the acting user, runs in one transaction, locks the
roadshow (and what it changes), checks permission before state (403 before 409), and writes an
``EvaluationEvent``. Errors: ``PermissionDenied``, ``WorkflowError`` (state), ``ValidationError``.

Lock order, everywhere: roadshow → entry → cards, so that services never deadlock each other.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from members.rules import is_juror
from projects.enums import ProjectStatus
from projects.models import Project
from unionproj.errors import WorkflowError
from unionproj.inputs import parse_decimal
from unionproj.text import quoted

from ..enums import (
    DEFAULT_CRITERIA,
    DEFAULT_GROUP_NAME,
    DEFAULT_RUBRIC_NAME,
    ENTRY_TRANSITIONS,
    RECUSAL_STATES,
    REORDER_STATES,
    ROADSHOW_TRANSITIONS,
    SETTINGS_STATES,
    SETUP_STATES,
    Aggregation,
    BudgetPolicy,
    CardStatus,
    EntryState,
    EventAction,
    RoadshowStatus,
)
from ..models import Criterion, Entry, JurorGroup, JurySeat, Recusal, Roadshow, Rubric, Scorecard
from ..queries import unfinished_entries_of_project
from ._common import ROW_LOCK, lock_roadshow, record, require, require_status
from .quorum import check_quorum, clean_min_cards
from .recusals import sync_automatic_recusals

MAX_POINTS_LIMIT = Decimal("999.9")


# --- rubrics --------------------------------------------------------------------------------


def default_rubric():
    """The global default rubric (组织管理 25 / 创新程度 25 / 工作成效 30 / 可复制性 20), created on
    first use. Safe under concurrent first use: the database allows one default."""
    rubric = Rubric.objects.filter(is_default=True).first()
    if rubric is not None:
        return rubric
    try:
        with transaction.atomic():
            rubric = Rubric.objects.create(name=DEFAULT_RUBRIC_NAME, is_default=True)
            Criterion.objects.bulk_create(
                Criterion(rubric=rubric, name=name, description=description, max_points=Decimal(points), order=i)
                for i, (name, description, points) in enumerate(DEFAULT_CRITERIA, start=1)
            )
    except IntegrityError:
        rubric = Rubric.objects.get(is_default=True)
    return rubric


def rubric_for(campaign, category=None):
    """The rubric a campaign uses for ``category``: the campaign's rubric for that category,
    else the campaign's own rubric, else the default."""
    if campaign is not None:
        rubrics = {r.category: r for r in Rubric.objects.filter(campaign=campaign)}
        if category and category in rubrics:
            return rubrics[category]
        if None in rubrics:
            return rubrics[None]
    return default_rubric()


def _clean_criteria(criteria):
    """Validate ``[{name, max_points, description?}]``; returns cleaned dicts in order."""
    if not criteria:
        raise ValidationError({"criteria": _("请至少设置一个评分项。")})
    cleaned, names = [], set()
    for i, item in enumerate(criteria, start=1):
        name = str(item.get("name") or "").strip()
        if not name:
            raise ValidationError({"criteria": _("第 %(i)s 个评分项缺少名称。") % {"i": i}})
        if name in names:
            raise ValidationError({"criteria": _("评分项%(n)s重复。") % {"n": quoted(name)}})
        names.add(name)
        try:
            points = parse_decimal(item.get("max_points"))
            valid = 0 < points <= MAX_POINTS_LIMIT and points == points.quantize(Decimal("0.1"))
        except ValueError:
            valid = False
        if not valid:
            raise ValidationError({"criteria": _("评分项%(n)s的满分须为大于 0 的数，最多一位小数。") % {"n": quoted(name)}})
        cleaned.append({"name": name, "description": str(item.get("description") or ""),
                        "max_points": points.quantize(Decimal("0.1")), "order": i})
    return cleaned


def _make_rubric(*, name, criteria, campaign=None, category=None):
    rubric = Rubric.objects.create(name=name, campaign=campaign, category=category)
    Criterion.objects.bulk_create(Criterion(rubric=rubric, **c) for c in _clean_criteria(criteria))
    return rubric


@transaction.atomic
def create_rubric(*, actor, campaign, name, criteria, category=None):
    """Give a campaign (or one of its categories) its own rubric.

    Raises ``PermissionDenied`` unless ``actor`` administers the campaign, ``ValidationError``
    for bad criteria, an unknown category, or when the campaign/category already has one.
    """
    require(actor, "evaluations.add_roadshow", campaign)
    name = str(name or "").strip()
    if not name:
        raise ValidationError({"name": _("请填写名称。")})
    category = _campaign_category(campaign, category)
    taken = ValidationError({"category": _("该领域已有评分标准。") if category else _("本年度已有评分标准。")})
    if Rubric.objects.filter(campaign=campaign, category=category).exists():
        raise taken
    try:
        with transaction.atomic():
            return _make_rubric(name=name, criteria=criteria, campaign=campaign, category=category)
    except IntegrityError:  # the same rubric created at the same moment: the constraint decides
        raise taken from None


def _campaign_category(campaign, category):
    """``category`` stripped (``None`` when blank); ``ValidationError`` unless it is one of the
    campaign's categories."""
    category = str(category or "").strip() or None
    if category is not None and category not in campaign.categories:
        raise ValidationError({"category": _("%(c)s不是本年度的领域。") % {"c": quoted(category)}})
    return category


# --- roadshows ------------------------------------------------------------------------------


@transaction.atomic
def create_roadshow(*, actor, campaign, title, date, venue="", aggregation=Aggregation.TRIMMED_MEAN, live=False,
                    budget_policy=BudgetPolicy.SCALE, criteria=None, category=None):
    """Create a roadshow in ``setup`` with one juror group (weight 1).

    The criteria are ``criteria`` when given (a rubric is made for this roadshow), else the
    campaign's rubric for ``category`` (see :func:`rubric_for`), else the default rubric.
    ``category`` must be one of the campaign's categories (``ValidationError``). One
    roadshow scores on one rubric, so that totals are comparable; a campaign scoring categories
    on different rubrics runs one roadshow per category. Side effects: a ``create`` event.
    """
    require(actor, "evaluations.add_roadshow", campaign)
    if aggregation not in Aggregation.values:
        raise ValidationError({"aggregation": _("未知的计分方法。")})
    if budget_policy not in BudgetPolicy.values:
        raise ValidationError({"budget_policy": _("未知的超预算处理方式。")})
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("请填写名称。")})
    category = _campaign_category(campaign, category)
    if criteria:
        rubric = _make_rubric(name=_("%(t)s评分标准") % {"t": title}, criteria=criteria)
    else:
        rubric = rubric_for(campaign, category)
    roadshow = Roadshow.objects.create(
        campaign=campaign, title=title, date=date, venue=venue, rubric=rubric, aggregation=aggregation,
        live=bool(live), budget_policy=budget_policy, created_by=actor,
    )
    JurorGroup.objects.create(roadshow=roadshow, name=DEFAULT_GROUP_NAME, weight=Decimal(1))
    record(actor=actor, obj=roadshow, action=EventAction.CREATE, roadshow=roadshow, to_state=roadshow.status,
           data={"rubric": rubric.pk, "aggregation": aggregation, "live": bool(live)})
    return roadshow


ROADSHOW_FIELDS = {"title", "date", "venue", "aggregation", "live", "budget_policy", "min_cards"}


@transaction.atomic
def update_roadshow(*, actor, roadshow, **fields):
    """Change a roadshow's settings. ``live`` and the quorum ``min_cards`` (empty: the default
    rule, see ``evaluations.quorum``) only in setup; ``aggregation`` and ``budget_policy``
    until the results are published; the rest any time.
    Side effects: an ``update`` event with the changed values."""
    unknown = set(fields) - ROADSHOW_FIELDS
    if unknown:
        raise TypeError(f"unknown roadshow fields: {sorted(unknown)}")
    roadshow = lock_roadshow(roadshow)
    require(actor, "evaluations.change_roadshow", roadshow)
    if "live" in fields and bool(fields["live"]) != roadshow.live:
        require_status(roadshow, SETUP_STATES, _("评分开始后不能切换现场亮分模式。"))
    if "min_cards" in fields:
        fields["min_cards"] = clean_min_cards(fields["min_cards"])
        if fields["min_cards"] != roadshow.min_cards:
            require_status(roadshow, SETUP_STATES, _("评分开始后不能修改最少有效评分表数。"))
    if {"aggregation", "budget_policy"} & set(fields):
        require_status(roadshow, SETTINGS_STATES)
    if "aggregation" in fields and fields["aggregation"] not in Aggregation.values:
        raise ValidationError({"aggregation": _("未知的计分方法。")})
    if "budget_policy" in fields and fields["budget_policy"] not in BudgetPolicy.values:
        raise ValidationError({"budget_policy": _("未知的超预算处理方式。")})
    if "title" in fields and not str(fields["title"] or "").strip():
        raise ValidationError({"title": _("请填写名称。")})
    changed = {}
    for key, value in fields.items():
        if getattr(roadshow, key) != value:
            changed[key] = [str(getattr(roadshow, key)), str(value)]
            setattr(roadshow, key, value)
    if changed:
        roadshow.save(update_fields=list(fields))
        record(actor=actor, obj=roadshow, action=EventAction.UPDATE, roadshow=roadshow, data=changed)
    return roadshow


# --- entries --------------------------------------------------------------------------------


def _entry_in(roadshow, entry):
    if entry.roadshow_id != roadshow.pk:
        raise ValidationError({"entry": _("该项目不在本次路演中。")})


@transaction.atomic
def add_entry(*, actor, roadshow, project, order=None):
    """Put a shortlisted project of the roadshow's campaign on the running order (at the end
    unless ``order`` is given). Setup only. Side effects: automatic recusals for the entry, an
    ``add_entry`` event."""
    roadshow = lock_roadshow(roadshow)
    require(actor, "evaluations.change_roadshow", roadshow)
    require_status(roadshow, SETUP_STATES, _("评分开始后不能再添加路演项目。"))
    if project.campaign_id != roadshow.campaign_id:
        raise ValidationError({"project": _("该项目不属于本年度项目。")})
    # The project's row is locked (roadshow → project) and its status read afresh: a closing
    # report filed or another roadshow's add at the same moment waits, then sees this entry.
    project = Project.objects.select_for_update(**ROW_LOCK).get(pk=project.pk)
    other = unfinished_entries_of_project(project, exclude_roadshow=roadshow.pk).first()
    if other is not None:
        raise WorkflowError(
            _("项目%(p)s已是路演展评%(r)s的路演项目，该路演尚未定稿，不能同时参加另一场路演。")
            % {"p": quoted(project.title), "r": quoted(other.roadshow.title)},
            state=project.status,
        )
    if project.status != ProjectStatus.SHORTLISTED:
        raise ValidationError({"project": _("只有已入围的项目可以参加路演。")})
    if roadshow.entries.filter(project=project).exists():
        raise ValidationError({"project": _("该项目已在本次路演中。")})
    if order is None:
        order = (roadshow.entries.aggregate(m=Max("order"))["m"] or 0) + 1
    entry = Entry.objects.create(roadshow=roadshow, project=project, order=order)
    record(actor=actor, obj=entry, action=EventAction.ADD_ENTRY, roadshow=roadshow, to_state=entry.state,
           data={"project": project.pk, "order": order})
    sync_automatic_recusals(roadshow=roadshow, actor=actor)
    return entry


@transaction.atomic
def remove_entry(*, actor, entry):
    """Take an entry off the running order (setup only; its recusals go with it)."""
    roadshow = lock_roadshow(entry.roadshow)
    require(actor, "evaluations.change_roadshow", roadshow)
    require_status(roadshow, SETUP_STATES, _("评分开始后不能移除路演项目。"))
    entry = Entry.objects.select_for_update(**ROW_LOCK).get(pk=entry.pk, roadshow=roadshow)
    record(actor=actor, obj=entry, action=EventAction.REMOVE_ENTRY, roadshow=roadshow, from_state=entry.state,
           data={"project": entry.project_id})
    entry.delete()


@transaction.atomic
def reorder_entries(*, actor, roadshow, entry_ids):
    """Set the running order: ``entry_ids`` lists every entry of the roadshow once, first
    first. Allowed until scoring is over. Side effects: a ``reorder`` event."""
    roadshow = lock_roadshow(roadshow)
    require(actor, "evaluations.change_roadshow", roadshow)
    require_status(roadshow, REORDER_STATES, _("评分结束后不能调整路演顺序。"))
    try:
        entry_ids = [int(i) for i in entry_ids]
    except (TypeError, ValueError):
        raise ValidationError({"entries": _("路演顺序无效。")}) from None
    entries = {e.pk: e for e in Entry.objects.select_for_update(**ROW_LOCK).filter(roadshow=roadshow)}
    if len(entry_ids) != len(set(entry_ids)) or set(entry_ids) != set(entries):
        raise ValidationError({"entries": _("路演顺序须列出本次路演的全部项目，且每个项目一次。")})
    for position, pk in enumerate(entry_ids, start=1):
        entries[pk].order = position
    Entry.objects.bulk_update(entries.values(), ["order"])
    record(actor=actor, obj=roadshow, action=EventAction.REORDER, roadshow=roadshow, data={"entries": entry_ids})
    return [entries[pk] for pk in entry_ids]


# --- jury -----------------------------------------------------------------------------------


def _default_group(roadshow):
    return roadshow.groups.order_by("id").first()


def _group_in(roadshow, group):
    if group is not None and group.roadshow_id != roadshow.pk:
        raise ValidationError({"group": _("该评审组不属于本次路演。")})


@transaction.atomic
def add_juror(*, actor, roadshow, user, group=None):
    """Seat a juror of the jury pool (an active user with the juror role) on the roadshow, in
    ``group`` or the roadshow's first group. Setup only. Side effects: the juror's automatic
    recusals, an ``add_juror`` event."""
    roadshow = lock_roadshow(roadshow)
    require(actor, "evaluations.change_roadshow", roadshow)
    require_status(roadshow, SETUP_STATES, _("评分开始后不能再添加评委。"))
    if not (is_juror(user) and user.is_active):
        raise ValidationError({"user": _("%(u)s不在评委库中。") % {"u": quoted(user)}})
    if roadshow.seats.filter(user=user).exists():
        raise ValidationError({"user": _("%(u)s已是本次路演的评委。") % {"u": quoted(user)}})
    _group_in(roadshow, group)
    seat = JurySeat.objects.create(roadshow=roadshow, user=user, group=group or _default_group(roadshow))
    record(actor=actor, obj=seat, action=EventAction.ADD_JUROR, roadshow=roadshow,
           data={"user": user.pk, "group": seat.group_id})
    sync_automatic_recusals(roadshow=roadshow, actor=actor)
    return seat


@transaction.atomic
def remove_juror(*, actor, seat):
    """Unseat a juror (setup only; the seat's recusals go with it)."""
    roadshow = lock_roadshow(seat.roadshow)
    require(actor, "evaluations.change_roadshow", roadshow)
    require_status(roadshow, SETUP_STATES, _("评分开始后不能移除评委。"))
    seat = JurySeat.objects.get(pk=seat.pk, roadshow=roadshow)
    record(actor=actor, obj=seat, action=EventAction.REMOVE_JUROR, roadshow=roadshow, data={"user": seat.user_id})
    seat.delete()


def _clean_weight(weight):
    try:
        weight = parse_decimal(weight)
        valid = 0 < weight <= 99 and weight == weight.quantize(Decimal("0.0001"))
    except ValueError:
        valid = False
    if not valid:
        raise ValidationError({"weight": _("权重须为大于 0 的数，最多四位小数。")})
    return weight


@transaction.atomic
def save_juror_group(*, actor, roadshow, name, weight, group=None):
    """Create or change a weighted juror group (setup only). Weights are relative: an entry's
    score is the weighted mean of its groups' aggregates (see ``evaluations.aggregation``)."""
    roadshow = lock_roadshow(roadshow)
    require(actor, "evaluations.change_roadshow", roadshow)
    require_status(roadshow, SETUP_STATES, _("评分开始后不能调整评审组。"))
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("请填写评审组名称。")})
    weight = _clean_weight(weight)
    if roadshow.groups.filter(name=name).exclude(pk=group.pk if group else None).exists():
        raise ValidationError({"name": _("已有同名的评审组。")})
    if group is None:
        group = JurorGroup(roadshow=roadshow)
    else:
        _group_in(roadshow, group)
    group.name, group.weight = name, weight
    group.save()
    record(actor=actor, obj=group, action=EventAction.SAVE_GROUP, roadshow=roadshow,
           data={"name": name, "weight": str(weight)})
    return group


@transaction.atomic
def set_juror_group(*, actor, seat, group):
    """Move a juror into another group of the same roadshow (setup only)."""
    roadshow = lock_roadshow(seat.roadshow)
    require(actor, "evaluations.change_roadshow", roadshow)
    require_status(roadshow, SETUP_STATES, _("评分开始后不能调整评委分组。"))
    seat = JurySeat.objects.select_for_update(**ROW_LOCK).get(pk=seat.pk, roadshow=roadshow)
    if group is None:
        raise ValidationError({"group": _("请选择评审组。")})
    _group_in(roadshow, group)
    previous = seat.group_id
    seat.group = group
    seat.save(update_fields=["group"])
    record(actor=actor, obj=seat, action=EventAction.SET_GROUP, roadshow=roadshow,
           data={"user": seat.user_id, "from": previous, "to": group.pk})
    return seat


# --- recusals -------------------------------------------------------------------------------


@transaction.atomic
def add_manual_recusal(*, actor, seat, entry, reason):
    """Recuse a juror from an entry by hand, with a reason. In setup, or while scoring: then
    the juror's draft card for the entry is deleted (a submitted card must be reopened first).
    Side effects: a ``recuse`` event."""
    roadshow = lock_roadshow(seat.roadshow)
    require(actor, "evaluations.change_roadshow", roadshow)
    require_status(roadshow, RECUSAL_STATES, _("评分结束后不能再设置回避。"))
    _entry_in(roadshow, entry)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写回避理由。")})
    if Recusal.objects.filter(seat=seat, entry=entry).exists():
        raise ValidationError({"entry": _("该评委已回避此项目。")})
    entry = Entry.objects.select_for_update(**ROW_LOCK).get(pk=entry.pk)
    card = Scorecard.objects.select_for_update(**ROW_LOCK).filter(entry=entry, juror_id=seat.user_id).first()
    if card is not None:
        if card.status == CardStatus.SUBMITTED:
            raise WorkflowError(_("该评委已提交此项目的评分，请先退回评分表再设置回避。"), state=card.status)
        card.delete()
    recusal = Recusal.objects.create(seat=seat, entry=entry, automatic=False, reason=reason, created_by=actor)
    record(actor=actor, obj=recusal, action=EventAction.RECUSE, roadshow=roadshow, reason=reason,
           data={"seat": seat.pk, "entry": entry.pk, "automatic": False, "card_deleted": card is not None})
    return recusal


@transaction.atomic
def remove_manual_recusal(*, actor, recusal):
    """Withdraw a manual recusal. While scoring, the juror gets a draft card for the entry.
    Automatic recusals follow the union rule and cannot be withdrawn by hand."""
    roadshow = lock_roadshow(recusal.entry.roadshow)
    require(actor, "evaluations.change_roadshow", roadshow)
    require_status(roadshow, RECUSAL_STATES, _("评分结束后不能再取消回避。"))
    recusal = Recusal.objects.select_related("seat").get(pk=recusal.pk)
    if recusal.automatic:
        raise ValidationError({"recusal": _("自动回避由工会隶属关系决定，不能手动取消。")})
    card = None
    if roadshow.status == RoadshowStatus.SCORING:
        card, _created = Scorecard.objects.get_or_create(entry_id=recusal.entry_id, juror_id=recusal.seat.user_id)
    record(actor=actor, obj=recusal, action=EventAction.UNRECUSE, roadshow=roadshow,
           data={"seat": recusal.seat_id, "entry": recusal.entry_id, "automatic": False,
                 "card": card.pk if card else None})
    recusal.delete()


# --- roadshow states ------------------------------------------------------------------------


def _move(roadshow, action):
    sources, target = ROADSHOW_TRANSITIONS[action]
    if roadshow.status not in sources:
        raise WorkflowError(
            _("路演展评当前状态为“%(s)s”，不能%(a)s。") % {"s": roadshow.get_status_display(), "a": action.label},
            state=roadshow.status,
        )
    from_state = roadshow.status
    roadshow.status = target
    return from_state


@transaction.atomic
def start_roadshow(*, actor, roadshow):
    """setup → scoring. Recomputes the automatic recusals, then gives every non-recused juror a
    draft card for every entry (one bulk insert). Needs at least one entry and one juror.
    Side effects: the cards, a ``start`` event with their number."""
    roadshow = lock_roadshow(roadshow)
    require(actor, "evaluations.change_roadshow", roadshow)
    from_state = _move(roadshow, EventAction.START)
    seats = list(roadshow.seats.all())
    entries = list(roadshow.entries.all())
    if not entries or not seats:
        raise WorkflowError(_("请先添加路演项目和评委。"), state=from_state)
    sync_automatic_recusals(roadshow=roadshow, actor=actor)
    recused = set(Recusal.objects.filter(entry__roadshow=roadshow).values_list("seat_id", "entry_id"))
    cards = Scorecard.objects.bulk_create(
        Scorecard(entry=entry, juror_id=seat.user_id)
        for entry in entries for seat in seats if (seat.pk, entry.pk) not in recused
    )
    roadshow.started_at = timezone.now()
    roadshow.save(update_fields=["status", "started_at"])
    record(actor=actor, obj=roadshow, action=EventAction.START, roadshow=roadshow, from_state=from_state,
           to_state=roadshow.status, data={"cards": len(cards), "entries": len(entries), "jurors": len(seats)})
    return roadshow


@transaction.atomic
def close_roadshow(*, actor, roadshow, override_reason=None):
    """scoring → closed. Draft cards stay drafts and do not count. An open entry is closed.
    The roadshow's cards are locked first, so saves in flight finish before it closes and
    later ones see it closed. Refused (``QuorumNotMet``) while an entry is below quorum,
    unless ``override_reason`` is given (see ``services.quorum``). Side effects: a ``close``
    event with the card counts (and the override reason), a ``QuorumOverride``."""
    roadshow = lock_roadshow(roadshow)
    require(actor, "evaluations.change_roadshow", roadshow)
    from_state = _move(roadshow, EventAction.CLOSE)
    open_entries = list(Entry.objects.select_for_update(**ROW_LOCK).filter(roadshow=roadshow, state=EntryState.OPEN))
    statuses = list(Scorecard.objects.select_for_update(**ROW_LOCK).filter(entry__roadshow=roadshow)
                    .values_list("status", flat=True))
    reason, below = check_quorum(actor=actor, roadshow=roadshow, action=EventAction.CLOSE, state=from_state,
                                 override_reason=override_reason)
    now = timezone.now()
    for entry in open_entries:
        entry.state, entry.closed_at = EntryState.CLOSED, now
        entry.save(update_fields=["state", "closed_at"])
        record(actor=actor, obj=entry, action=EventAction.CLOSE_ENTRY, roadshow=roadshow,
               from_state=EntryState.OPEN, to_state=EntryState.CLOSED)
    roadshow.closed_at = now
    roadshow.save(update_fields=["status", "closed_at"])
    submitted = sum(1 for s in statuses if s == CardStatus.SUBMITTED)
    record(actor=actor, obj=roadshow, action=EventAction.CLOSE, roadshow=roadshow, from_state=from_state,
           to_state=roadshow.status, reason=reason,
           data={"submitted": submitted, "drafts": len(statuses) - submitted, "below_quorum": below})
    return roadshow


# --- live mode: entries ---------------------------------------------------------------------


def _lock_entry(roadshow, entry):
    return Entry.objects.select_for_update(**ROW_LOCK).select_related("project").get(pk=entry.pk, roadshow=roadshow)


@transaction.atomic
def open_entry(*, actor, entry):
    """Open an entry for scoring on the live display (waiting or closed → open), while the
    roadshow is scoring; one entry at a time. Side effects: an ``open_entry`` event."""
    roadshow = lock_roadshow(entry.roadshow)
    require(actor, "evaluations.change_roadshow", roadshow)
    require_status(roadshow, {RoadshowStatus.SCORING}, _("路演展评未在评分中，不能开始项目评分。"))
    entry = _lock_entry(roadshow, entry)
    sources, target = ENTRY_TRANSITIONS[EventAction.OPEN_ENTRY]
    if entry.state not in sources:
        raise WorkflowError(_("该项目正在评分中。"), state=entry.state)
    current = roadshow.entries.filter(state=EntryState.OPEN).exclude(pk=entry.pk).first()
    if current is not None:
        raise WorkflowError(_("%(p)s正在评分，请先结束该项目。") % {"p": quoted(current.project)}, state=entry.state)
    from_state = entry.state
    entry.state, entry.opened_at = target, timezone.now()
    entry.save(update_fields=["state", "opened_at"])
    record(actor=actor, obj=entry, action=EventAction.OPEN_ENTRY, roadshow=roadshow, from_state=from_state,
           to_state=entry.state)
    return entry


@transaction.atomic
def close_entry(*, actor, entry, override_reason=None):
    """Close the open entry. Refused (``QuorumNotMet``) below the entry's quorum unless
    ``override_reason`` is given (see ``services.quorum``); the entry returned carries
    ``submitted_count`` and ``expected_count`` so the console can say how many did. The entry's
    cards are locked first, so submits in flight are counted. Side effects: a ``close_entry``
    event with the counts (and the override reason), a ``QuorumOverride``."""
    roadshow = lock_roadshow(entry.roadshow)
    require(actor, "evaluations.change_roadshow", roadshow)
    require_status(roadshow, {RoadshowStatus.SCORING}, _("路演展评未在评分中。"))
    entry = _lock_entry(roadshow, entry)
    sources, target = ENTRY_TRANSITIONS[EventAction.CLOSE_ENTRY]
    if entry.state not in sources:
        raise WorkflowError(_("该项目不在评分中，不能结束。"), state=entry.state)
    statuses = list(Scorecard.objects.select_for_update(**ROW_LOCK).filter(entry=entry)
                    .values_list("status", flat=True))
    reason, below = check_quorum(actor=actor, roadshow=roadshow, action=EventAction.CLOSE_ENTRY, state=entry.state,
                                 entry=entry, override_reason=override_reason)
    from_state = entry.state
    entry.state, entry.closed_at = target, timezone.now()
    entry.save(update_fields=["state", "closed_at"])
    entry.submitted_count = sum(1 for s in statuses if s == CardStatus.SUBMITTED)
    entry.expected_count = len(statuses)
    record(actor=actor, obj=entry, action=EventAction.CLOSE_ENTRY, roadshow=roadshow, from_state=from_state,
           to_state=entry.state, reason=reason,
           data={"submitted": entry.submitted_count, "expected": entry.expected_count, "below_quorum": below})
    return entry



@transaction.atomic
def recompute_automatic_recusals(*, actor, roadshow):
    """Re-apply the union rule to a roadshow in setup (e.g. after a juror changed union).
    Returns ``(created, removed)``."""
    roadshow = lock_roadshow(roadshow)
    require(actor, "evaluations.change_roadshow", roadshow)
    require_status(roadshow, SETUP_STATES, _("评分开始后不能重新计算回避。"))
    return sync_automatic_recusals(roadshow=roadshow, actor=actor)
