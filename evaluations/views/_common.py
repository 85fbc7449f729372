"""Helpers of the roadshow pages: fetching a roadshow or card the user may see (404 otherwise)
and may act on (403 otherwise), and turning service errors into messages."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from members.rules import may
from unionproj.errors import WorkflowError

from .. import queries
from ..enums import CardStatus, EntryState, RoadshowStatus
from ..models import Roadshow

ROADSHOW_BADGE = {
    RoadshowStatus.SETUP: "text-bg-secondary",
    RoadshowStatus.SCORING: "text-bg-success",
    RoadshowStatus.CLOSED: "text-bg-dark",
    RoadshowStatus.PUBLICITY: "text-bg-info",
    RoadshowStatus.FINALIZED: "text-bg-primary",
}
ENTRY_BADGE = {
    EntryState.WAITING: "text-bg-secondary",
    EntryState.OPEN: "text-bg-success",
    EntryState.CLOSED: "text-bg-dark",
}
SERVICE_ERRORS = (WorkflowError, ValidationError)


def error_text(exc):
    if isinstance(exc, ValidationError):
        return ";".join(exc.messages)
    return str(exc)


def report(request, exc):
    messages.error(request, error_text(exc))


def visible_roadshow_or_404(user, pk):
    try:
        return queries.roadshows_visible_to(user).get(pk=pk)
    except Roadshow.DoesNotExist:
        raise Http404(_("路演展评不存在或您无权查看。")) from None


def admin_roadshow(user, pk):
    """The roadshow, for its admins: 404 when the user cannot see it at all, 403 when they see
    it (a juror sitting on it) but do not run it."""
    roadshow = visible_roadshow_or_404(user, pk)
    if not may(user, "evaluations.change_roadshow", roadshow):
        raise PermissionDenied(_("只有本次路演的管理员可以执行此操作。"))
    roadshow.badge_class = ROADSHOW_BADGE.get(roadshow.status, "text-bg-secondary")
    return roadshow


def with_entry_badges(entries):
    for entry in entries:
        entry.badge_class = ENTRY_BADGE.get(entry.state, "text-bg-light")
    return entries


# A juror's card as their list shows it: (css suffix, label) by its phase.
CARD_PHASE_LABELS = {
    "submitted": _lazy("已提交"),
    "open": _lazy("评分中"),
    "pending": _lazy("待开始"),
    "missed": _lazy("已结束（未评）"),
}


def card_phase(card):
    """Where a juror's card stands: ``submitted``; ``open`` (it may be scored now);
    ``pending`` (the roadshow, or in live mode its entry, has not started); ``missed`` (not
    submitted, and it can no longer be: the roadshow, or in live mode its entry, is over).
    The services decide again on every write."""
    roadshow, entry = card.entry.roadshow, card.entry
    if card.status == CardStatus.SUBMITTED:
        return "submitted"
    if roadshow.status == RoadshowStatus.SETUP:
        return "pending"
    if roadshow.status != RoadshowStatus.SCORING:
        return "missed"
    if roadshow.live and entry.state != EntryState.OPEN:
        return "pending" if entry.state == EntryState.WAITING else "missed"
    return "open"


def card_label(card):
    """``(phase, label)``: 已提交 / 评分中 / 待开始 / 已结束（未评）, see :func:`card_phase`."""
    phase = card_phase(card)
    return phase, CARD_PHASE_LABELS[phase]
