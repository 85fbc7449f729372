"""The automatic recusals (the union rule of :func:`evaluations.rules.union_conflict`) and how
they follow the union tree when it changes (issue 13).

A juror moved to another union, or a union moved to another parent, changes who is in conflict
with whom. ``members`` announces such a change (``members.signals``) inside its transaction;
the receivers (``evaluations.receivers``) call :func:`follow_user_union_change` or
:func:`follow_union_move`, which bring every affected roadshow's automatic recusals up to date in
that same transaction — or refuse the change by raising ``WorkflowError`` (a
``unionproj.errors.StateConflict``), which rolls all of it back:

- ``setup``: the recusals are recomputed;
- ``scoring``: likewise, and the cards follow: a juror newly recused loses the draft card of the
  entry (its scores are kept in the audit row); a *submitted* card is refused — the roadshow's
  admin reopens it first; a juror no longer recused gets a draft card;
- ``closed`` and ``publicity``: scoring is over and the results are not final; the recusals are
  what the jury scored under and may no longer change, so a change that would alter them is
  refused;
- ``finalized``: the recusals are the record of a finished roadshow and stay as they were (their
  reasons name the unions of the time). A juror's later move, years on, is neither refused nor
  written back into that record.

A change that alters no recusal of a roadshow passes in every state.
"""

from django.db.models import Q, prefetch_related_objects
from django.utils.translation import gettext as _

from unionproj.errors import WorkflowError
from unionproj.text import quoted

from ..enums import RECUSAL_STATES, CardStatus, EventAction, RoadshowStatus
from ..models import Recusal, Roadshow, Scorecard
from ..rules import union_conflict
from ._common import ROW_LOCK, lock_roadshow, record

# The states in which a roadshow's recusals follow the tree or, failing that, refuse the change.
FOLLOWING_STATES = {RoadshowStatus.SETUP, RoadshowStatus.SCORING, RoadshowStatus.CLOSED, RoadshowStatus.PUBLICITY}


def automatic_recusal_changes(roadshow, *, concerns=None):
    """What the union rule (:func:`evaluations.rules.union_conflict`) asks of the roadshow's
    automatic recusals for its current jury and entries: ``(new, stale)``, the recusals it wants
    and lacks (unsaved, with ``seat`` and ``entry`` set) and the automatic ones it no longer wants
    (with ``seat`` and ``entry``). Manual recusals are never stale. ``concerns(seat, entry)``,
    when given, limits both to the pairs it accepts. Reads only."""
    owner = roadshow.campaign.owner_union
    seats = {s.pk: s for s in roadshow.seats.select_related("user__union")}
    entries = {e.pk: e for e in roadshow.entries.select_related("project__applicant_union")}
    existing = {(r.seat_id, r.entry_id): r for r in Recusal.objects.filter(entry__roadshow=roadshow)}
    new, wanted = [], set()
    for seat in seats.values():
        for entry in entries.values():
            if concerns is not None and not concerns(seat, entry):
                continue
            if not union_conflict(seat.user.union, entry.project.applicant_union, owner):
                continue
            wanted.add((seat.pk, entry.pk))
            if (seat.pk, entry.pk) not in existing:
                reason = _("评委所在单位%(j)s与申报单位%(a)s存在隶属关系。") % {
                    "j": quoted(seat.user.union.display_name), "a": quoted(entry.project.applicant_union.display_name)}
                new.append(Recusal(seat=seat, entry=entry, automatic=True, reason=reason))
    stale = []
    for (seat_id, entry_id), recusal in existing.items():
        seat, entry = seats[seat_id], entries[entry_id]
        if recusal.automatic and (seat_id, entry_id) not in wanted and (concerns is None or concerns(seat, entry)):
            recusal.seat, recusal.entry = seat, entry
            stale.append(recusal)
    return new, stale


def apply_automatic_recusals(*, roadshow, new, stale, actor=None, reason="", data=None):
    """Write what :func:`automatic_recusal_changes` found. The caller holds the roadshow's lock.
    Side effects: one ``recuse`` event on the roadshow listing the pairs added and removed (with
    ``reason`` and any further ``data``)."""
    Recusal.objects.bulk_create(new)
    if stale:
        Recusal.objects.filter(pk__in=[r.pk for r in stale]).delete()
    if new or stale:
        record(actor=actor, obj=roadshow, action=EventAction.RECUSE, roadshow=roadshow, reason=reason,
               data={"automatic": True, "added": sorted([r.seat_id, r.entry_id] for r in new),
                     "removed": sorted([r.seat_id, r.entry_id] for r in stale), **(data or {})})


def sync_automatic_recusals(*, roadshow, actor=None):
    """Make the automatic recusals of a roadshow in setup match the union rule for its current
    jury and entries: missing ones are created, stale ones removed; manual recusals are left
    alone. The caller holds the roadshow's lock. Returns ``(created, removed)`` counts. Side
    effects: one ``recuse`` event on the roadshow listing the pairs added and removed."""
    new, stale = automatic_recusal_changes(roadshow)
    apply_automatic_recusals(roadshow=roadshow, new=new, stale=stale, actor=actor)
    return len(new), len(stale)


# --- following the union tree ---------------------------------------------------------------


def follow_user_union_change(*, actor, user, old_union):
    """Bring the automatic recusals of every roadshow ``user`` sits on up to date with the
    user's new union (already saved). Runs inside the caller's transaction; locks the roadshows
    in id order. Side effects: per roadshow changed, a ``recuse`` event with the pairs added and
    removed, and per card removed or created a ``recuse``/``unrecuse`` event on the card.
    Raises ``WorkflowError`` when a roadshow cannot follow (see the module's docstring)."""
    reason = _("评委%(u)s的所在工会由%(a)s调整为%(b)s。") % {
        "u": quoted(user.display_name), "a": quoted(old_union.display_name) if old_union else "—",
        "b": quoted(user.union.display_name) if user.union else "—"}
    roadshows = Roadshow.objects.filter(seats__user=user, status__in=FOLLOWING_STATES)
    for pk in sorted(set(roadshows.values_list("pk", flat=True))):
        _follow(actor=actor, roadshow=lock_roadshow(Roadshow(pk=pk)), reason=reason,
                concerns=lambda seat, entry: seat.user_id == user.pk)


def follow_union_move(*, actor, union, old_parent):
    """Bring the automatic recusals of every roadshow the moved ``union``'s subtree takes part
    in (a juror, an applicant or the campaign's owner below it) up to date with the union's new
    place (already saved, with its subtree's paths). Same transaction, locks, events and errors
    as :func:`follow_user_union_change`."""
    reason = _("工会%(u)s的上级工会由%(a)s调整为%(b)s。") % {
        "u": quoted(union.display_name), "a": quoted(old_parent.display_name) if old_parent else "—",
        "b": quoted(union.parent.display_name) if union.parent else "—"}
    path = union.path
    roadshows = Roadshow.objects.filter(
        Q(seats__user__union__path__startswith=path) | Q(entries__project__applicant_union__path__startswith=path)
        | Q(campaign__owner_union__path__startswith=path),
        status__in=FOLLOWING_STATES,
    )

    def below(other):
        return other is not None and other.path.startswith(path)

    for pk in sorted(set(roadshows.values_list("pk", flat=True))):
        roadshow = lock_roadshow(Roadshow(pk=pk))
        # A moved owner changes the rule for every pair; otherwise only pairs with a side below.
        concerns = None if below(roadshow.campaign.owner_union) else (
            lambda seat, entry: below(seat.user.union) or below(entry.project.applicant_union))
        _follow(actor=actor, roadshow=roadshow, reason=reason, concerns=concerns)


def _follow(*, actor, roadshow, reason, concerns):
    new, stale = automatic_recusal_changes(roadshow, concerns=concerns)
    if not new and not stale:
        return
    if roadshow.status not in RECUSAL_STATES:
        pair = (new or stale)[0]
        raise WorkflowError(
            _("路演%(r)s当前状态为“%(s)s”，评分已经结束，回避名单不能再变；此次调整会改变评委%(j)s对项目%(p)s"
              "的回避，因此未保存。") % {"r": quoted(roadshow.title), "s": roadshow.get_status_display(),
                                  "j": quoted(pair.seat.user.display_name), "p": quoted(pair.entry.project.title)},
            state=roadshow.status,
        )
    data = {}
    if roadshow.status == RoadshowStatus.SCORING:
        data = _follow_cards(actor=actor, roadshow=roadshow, new=new, stale=stale, reason=reason)
    apply_automatic_recusals(roadshow=roadshow, new=new, stale=stale, actor=actor, reason=reason, data=data)


def _follow_cards(*, actor, roadshow, new, stale, reason):
    """While scoring: remove the draft cards of the pairs newly recused (refusing a submitted
    one) and give the pairs no longer recused a draft card. Returns the ids for the event."""
    recused = {(r.entry_id, r.seat.user_id): r for r in new}
    cards = []
    if recused:
        cards = [c for c in Scorecard.objects.select_for_update(**ROW_LOCK)
                 .filter(entry__roadshow=roadshow, juror_id__in={juror for _entry, juror in recused})
                 .order_by("pk") if (c.entry_id, c.juror_id) in recused]
    for card in cards:
        if card.status == CardStatus.SUBMITTED:
            pair = recused[(card.entry_id, card.juror_id)]
            raise WorkflowError(
                _("评委%(j)s已提交路演%(r)s中项目%(p)s的评分表，调整后须回避该项目。请先由路演管理员退回该评分表，"
                  "再进行此次调整。") % {"j": quoted(pair.seat.user.display_name), "r": quoted(roadshow.title),
                                  "p": quoted(pair.entry.project.title)},
                state=card.status,
            )
    prefetch_related_objects(cards, "scores")
    for card in cards:
        # Nothing is lost: the draft's scores and comment stay in the audit.
        record(actor=actor, obj=card, action=EventAction.RECUSE, roadshow=roadshow, reason=reason,
               data={"juror": card.juror_id, "entry": card.entry_id, "automatic": True, "card_deleted": True,
                     "status": card.status, "comment": card.comment,
                     "scores": {str(criterion): str(value) for criterion, value in card.values().items()}})
    Scorecard.objects.filter(pk__in=[c.pk for c in cards]).delete()
    created = []
    for recusal in stale:
        card, was_created = Scorecard.objects.get_or_create(entry_id=recusal.entry_id, juror_id=recusal.seat.user_id)
        if was_created:
            created.append(card.pk)
            record(actor=actor, obj=card, action=EventAction.UNRECUSE, roadshow=roadshow, reason=reason,
                   data={"juror": card.juror_id, "entry": card.entry_id, "automatic": True, "card_created": True})
    return {"cards_deleted": [c.pk for c in cards], "cards_created": created}
