"""Scoring: a juror saves a draft of a card, submits it; an admin may reopen it.

Every function is keyword-only, takes the acting user, runs in one transaction and locks the
card row. Concurrency: the card lock serialises every write to one card, and the database's
unique constraints (one card per juror × entry, one score per card × criterion) back it up, so
many identical submits at once leave one card, one score per criterion and one ``submit``
event; the others get ``WorkflowError`` (409).
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members.rules import require_perm
from projects.models import Project
from unionproj import prepared
from unionproj.errors import NOT_ALLOWED, WorkflowError
from unionproj.inputs import parse_decimal
from unionproj.text import quoted

from ..enums import CARD_TRANSITIONS, CardStatus, EntryState, EventAction, RoadshowStatus
from ..models import Criterion, Entry, Roadshow, Score, Scorecard
from ..rules import is_card_juror
from ..sql import autosave
from ..sql.events import event_params
from .common import ROW_LOCK, record

ONE_PLACE = Decimal("0.1")


# What reopening reads with the locked card: the roadshow with the campaign's union (for its
# permission check) and the rubric, and the project.
ADMIN_RELATED = ("roadshow__campaign__owner_union", "roadshow__rubric", "project")


def _lock_card(card, related=ADMIN_RELATED):
    """The card, locked. The entry and roadshow are read *after* the lock is granted, in a
    second statement: a statement that waited for the lock still sees the joined rows as they
    were when it started, and the roadshow may have been closed meanwhile."""
    locked = Scorecard.objects.select_for_update(**ROW_LOCK).get(pk=card.pk)
    locked.entry = Entry.objects.select_related(*related).get(pk=locked.entry_id)
    return locked


def _require_juror(actor, card):
    if not is_card_juror(actor, card):
        raise PermissionDenied(NOT_ALLOWED)


def _require_scorable(card):
    roadshow, entry = card.entry.roadshow, card.entry
    if card.status != CardStatus.DRAFT:
        raise WorkflowError(_("评分表已提交，不能再修改。"), state=card.status)
    if roadshow.status != RoadshowStatus.SCORING:
        raise WorkflowError(_("路演展评当前状态为“%(s)s”，不能评分。") % {"s": roadshow.get_status_display()},
                            state=roadshow.status)
    if roadshow.live and entry.state != EntryState.OPEN:
        raise WorkflowError(_("现场亮分：该项目当前不在评分中。"), state=entry.state)


def _points(value):
    """``25``, ``12.5`` — a max as people write it."""
    return f"{value.normalize():f}"


def clean_scores(scores, criteria):
    """Validate ``{criterion id: value}`` against ``criteria`` (``{id: Criterion}``).

    Each value must be a number with at most one decimal place in [0, max]; text, ``None``,
    ``NaN`` and floats with binary noise are refused. Returns ``{criterion id: Decimal}``.
    Raises ``ValidationError`` keyed by the criterion id as a string, every bad value at once,
    with a message naming the criterion.
    """
    if not isinstance(scores, dict):
        raise ValidationError({"scores": _("评分数据格式不正确。")})
    cleaned, errors = {}, {}
    for key, raw in scores.items():
        try:
            criterion = criteria[int(key)]
        except (KeyError, TypeError, ValueError):
            errors[str(key)] = [_("未知的评分项。")]
            continue
        message = _("%(n)s的分数须在 0 到 %(m)s 之间，最多一位小数。") % {
            "n": quoted(criterion.name), "m": _points(criterion.max_points)}
        try:
            value = parse_decimal(raw)  # ASCII digits only; -0 is 0 (unionproj/inputs.py)
        except ValueError:
            value = None
        if (value is None or not 0 <= value <= criterion.max_points
                or value != value.quantize(ONE_PLACE)):
            errors[str(criterion.pk)] = [message]
            continue
        cleaned[criterion.pk] = value.quantize(ONE_PLACE)
    if errors:
        raise ValidationError(errors)
    return cleaned


# A juror's save and submit run on every autosave of every phone, so they read what they need in
# two fixed statements (no ORM compilation; evaluations/sql/autosave.py): the card row, locked;
# then, once the lock is granted, its entry, roadshow, project title and the rubric's criteria,
# each with this card's stored score. The Django admin may still edit a rubric, so the criteria
# are read afresh each time rather than cached. Columns not read here are deferred (read on
# access, never made up).
_CRITERION_FIELDS = ["id", "rubric_id", "name", "max_points", "order"]
_SCORE_FIELDS = ["id", "card_id", "criterion_id", "value"]


def _decimal(value):
    # PostgreSQL hands back Decimal; SQLite an int or a float (numeric affinity) — via str, exact
    # for the one-decimal values stored here.
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _partial(model, **values):
    """A ``model`` instance as the ORM loads one with ``only(*values)``: the other fields are
    deferred (read on access)."""
    names = [f.attname for f in model._meta.concrete_fields if f.attname in values]
    return model.from_db(None, names, [values[name] for name in names])


def _lock_card_to_score(card, *, async_commit=False):
    """The card, locked, with its entry, roadshow (status, live mode, rubric) and project
    (title); the rubric's criteria (``{id: Criterion}``, in order) and the card's stored scores
    (``{criterion id: Score}``). Two statements: the lock first, the rest once it is granted —
    a statement that waited for the lock still sees the joined rows as they were when it
    started, and the roadshow may have been closed meanwhile. ``async_commit``: see
    :func:`_draft_commit`."""
    with prepared.cursor() as cursor:
        cursor.execute(autosave.lock_card(async_commit=async_commit), [card.pk])
        row = cursor.fetchone()
        if row is None:
            raise Scorecard.DoesNotExist
        locked = Scorecard.from_db(None, autosave.CARD_FIELDS, row[:len(autosave.CARD_FIELDS)])
        cursor.execute(autosave.read_entry_and_criteria(), [locked.pk, locked.entry_id])
        rows = cursor.fetchall()
    roadshow_id, project_id, order, state, status, live, rubric_id, title = rows[0][:8]
    entry = _partial(Entry, id=locked.entry_id, roadshow_id=roadshow_id, project_id=project_id, order=order,
                     state=state)
    entry.roadshow = _partial(Roadshow, id=roadshow_id, status=status, live=bool(live), rubric_id=rubric_id)
    entry.project = _partial(Project, id=project_id, title=title)
    locked.entry = entry
    criteria, existing = {}, {}
    for pk, name, max_points, criterion_order, score_id, value in (row[8:] for row in rows):
        if pk is None:
            continue  # a rubric with no criteria: the LEFT JOIN's one empty row
        criteria[pk] = Criterion.from_db(None, _CRITERION_FIELDS,
                                         (pk, rubric_id, name, _decimal(max_points), criterion_order))
        if score_id is not None:
            score = existing[pk] = Score.from_db(None, _SCORE_FIELDS,
                                                 (score_id, locked.pk, pk, _decimal(value).quantize(ONE_PLACE)))
            score.card = locked
    return locked, criteria, existing


def _write(card, scores, event):
    """Store a draft's changes: the new and changed ``scores`` in one upsert (the card's lock
    serialises writers, the unique (card, criterion) constraint is the conflict target), the
    card's comment and ``updated_at`` (what ``save(update_fields=…)`` would write) and the audit
    row (``event``: keywords of :func:`record`). On PostgreSQL the three are one statement —
    data-modifying ``WITH`` clauses run exactly once, to completion, in the statement's snapshot
    — so an autosave makes one round trip for them instead of three. SQLite has no
    data-modifying ``WITH``: three statements."""
    card.updated_at = timezone.now()
    score_params = [value for score in scores for value in (card.pk, score.criterion_id, score.value)]
    stamp_params = [card.comment, connection.ops.adapt_datetimefield_value(card.updated_at), card.pk]
    with prepared.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(autosave.write_draft(len(scores)), score_params + stamp_params + event_params(**event))
            return
        if scores:
            cursor.execute(autosave.upsert_scores(len(scores)), score_params)
        cursor.execute(autosave.stamp_card(), stamp_params)
    record(**event)


def _apply(card, criteria, existing, *, actor, scores, comment):
    """Write ``scores`` and ``comment`` to a locked draft card; one ``save_draft`` event with
    what changed (none when nothing did). Leaves the card's ``scores`` as now stored, so the
    answer is built without reading them again. Returns ``({criterion id: Criterion}, {criterion
    id: value})``. ``criteria`` and ``existing`` as :func:`_lock_card_to_score` reads them.

    Queries: one on PostgreSQL (the scores, the card's stamp and the event), three on SQLite;
    none when nothing changed — an autosave runs every few seconds on every juror's phone."""
    cleaned = clean_scores(scores or {}, criteria)
    changes, to_write = {}, []
    for criterion_id, value in cleaned.items():
        score = existing.get(criterion_id)
        if score is None:
            score = existing[criterion_id] = Score(card=card, criterion_id=criterion_id, value=value)
            changes[str(criterion_id)] = [None, str(value)]
        elif score.value != value:
            changes[str(criterion_id)] = [str(score.value), str(value)]
            score.value = value
        else:
            continue
        to_write.append(score)
    data = {"scores": changes} if changes else {}
    if comment is not None and comment != card.comment:
        card.comment = comment
        data["comment"] = True
    if data:
        _write(card, to_write, {"actor": actor, "obj": card, "action": EventAction.SAVE_DRAFT,
                                "roadshow": card.entry.roadshow, "from_state": card.status,
                                "to_state": card.status, "data": data})
    stored = [existing[pk] for pk in criteria if pk in existing]  # in the rubric's order
    _known_scores(card, stored)
    return criteria, {s.criterion_id: s.value for s in stored}


def _known_scores(card, scores):
    """Fill ``card.scores.all()`` with ``scores`` (as ``prefetch_related`` would), so the
    serializer and ``card.total`` read them without a query."""
    queryset = card.scores.all()
    queryset._result_cache, queryset._prefetch_done = list(scores), True
    card._prefetched_objects_cache = {"scores": queryset}


def _draft_commit():
    """Whether this draft's transaction, on PostgreSQL, lets its COMMIT return without waiting
    for the WAL flush (``SCORING_DRAFT_ASYNC_COMMIT``; ``SET LOCAL synchronous_commit TO OFF``,
    set by the lock statement): a draft is saved again by the juror's phone every few
    seconds, so a server crash may lose at most the last fraction of a second of drafts — never
    half of one (the scores and their audit event commit together, or neither), never a
    submission (``submit_card`` commits synchronously). The wait it saves is a disk flush per
    autosave, the largest single part of its latency on a busy machine."""
    return connection.vendor == "postgresql" and settings.SCORING_DRAFT_ASYNC_COMMIT


def save_draft(*, actor, card, scores=None, comment=None):
    """Save some or all of a draft card's scores (and its comment, when given).

    Raises ``PermissionDenied`` unless ``actor`` is the card's juror; ``WorkflowError`` when
    the card is submitted, the roadshow is not scoring, or (live mode) the entry is not open;
    ``ValidationError`` keyed by criterion id for a bad value. Side effects: the scores, one
    ``save_draft`` event listing the changed values. Returns the card. Commits without waiting
    for the disk flush on PostgreSQL when it is the whole transaction (:func:`_draft_commit`);
    inside a caller's transaction it changes nothing of how that one commits.
    """
    whole = not connection.in_atomic_block
    with transaction.atomic():
        card, criteria, existing = _lock_card_to_score(card, async_commit=whole and _draft_commit())
        _require_juror(actor, card)
        _require_scorable(card)
        _apply(card, criteria, existing, actor=actor, scores=scores, comment=comment)
    return card


@transaction.atomic
def submit_card(*, actor, card, scores=None, comment=None):
    """Submit a card (saving ``scores``/``comment`` first when given): every criterion must
    have a score. The card is locked from then on.

    Raises as :func:`save_draft`, and ``ValidationError`` keyed by the missing criteria's ids;
    a second submit is a ``WorkflowError``. Side effects: status ``submitted``,
    ``submitted_at``, a ``submit`` event with the scores and the total.
    """
    card, criteria, existing = _lock_card_to_score(card)
    _require_juror(actor, card)
    _require_scorable(card)
    criteria, values = _apply(card, criteria, existing, actor=actor, scores=scores, comment=comment)
    missing = {str(pk): [_("请填写%(n)s的分数。") % {"n": quoted(c.name)}] for pk, c in criteria.items() if pk not in values}
    if missing:
        raise ValidationError(missing)
    _sources, target = CARD_TRANSITIONS[EventAction.SUBMIT]  # the sources: _require_scorable
    from_state = card.status
    card.status, card.submitted_at = target, timezone.now()
    card.save(update_fields=["status", "submitted_at", "updated_at"])
    record(actor=actor, obj=card, action=EventAction.SUBMIT, roadshow=card.entry.roadshow, from_state=from_state,
           to_state=card.status, data={"scores": {str(k): str(v) for k, v in values.items()},
                                       "total": str(sum(values.values(), Decimal("0.0")))})
    return card


@transaction.atomic
def reopen_card(*, actor, card, reason):
    """Return a submitted card to its juror as a draft (admin only, with a reason, while the
    roadshow is scoring). Side effects: status ``draft``, a ``reopen`` event with the reason."""
    card = _lock_card(card)
    require_perm(actor, "evaluations.reopen_card", card)
    sources, target = CARD_TRANSITIONS[EventAction.REOPEN]
    if card.status not in sources:
        raise WorkflowError(_("评分表尚未提交，无需退回。"), state=card.status)
    roadshow = card.entry.roadshow
    if roadshow.status != RoadshowStatus.SCORING:
        raise WorkflowError(_("路演展评当前状态为“%(s)s”，不能退回评分表。") % {"s": roadshow.get_status_display()},
                            state=roadshow.status)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写退回理由。")})
    from_state = card.status
    card.status, card.submitted_at = target, None
    card.save(update_fields=["status", "submitted_at", "updated_at"])
    record(actor=actor, obj=card, action=EventAction.REOPEN, roadshow=roadshow, from_state=from_state,
           to_state=card.status, reason=reason, data={"juror": card.juror_id})
    return card
