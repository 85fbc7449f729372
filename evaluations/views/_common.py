"""Helpers of the roadshow pages: fetching a roadshow or card the user may see (404 otherwise)
and may act on (403 otherwise), and turning service errors into messages."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _

from members.rules import may as _may
from projects.errors import WorkflowError

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


def may(user, perm, obj=None):
    # The rules themselves, as the services ask them (``User.has_perm`` answers True to every
    # question of a superuser, which is not what the scoring rules say).
    return _may(user, perm, obj)


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


def card_label(card):
    """待评 / 已保存 / 已提交 as the juror's list shows it (uses prefetched scores)."""
    if card.status == CardStatus.SUBMITTED:
        return "submitted", _("已提交")
    if card.values():
        return "saved", _("已保存")
    return "todo", _("待评")
