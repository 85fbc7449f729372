"""The juror's phone pages: my roadshows and cards, the scoring page with autosave, submit, and
the project's attachments.

Blind by construction: every card is read through ``queries.own_card``/``cards_for_juror``, so
another juror's card is 404 and a recused entry never appears.

Live mode (现场亮分): the list page and the scoring page poll a small partial every 3 s
(``live_now``) that shows the entry now open and a button to score it. On the scoring page the
partial also *follows* the hall: when the admin opens another entry for which the juror holds a
draft card, it answers with ``HX-Redirect`` to that card (the old entry is closed by then, so
nothing typed can be lost); when the state of the page's own entry changes (opened, closed), it
answers ``HX-Refresh`` so the inputs unlock or lock.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from members.rules import is_juror
from projects.models import Attachment
from unionproj.errors import WorkflowError
from unionproj.inputs import parse_id

from .. import queries, services
from ..enums import CardStatus, EntryState, RoadshowStatus
from ..forms import score_field_name, scores_from_post
from ..models import JurySeat, Roadshow, Scorecard
from ._common import ROADSHOW_BADGE, card_label, card_phase, error_text

COMMENT_MAX_LENGTH = 2000


def _require_juror(user):
    if not is_juror(user):
        raise PermissionDenied(_("只有评委可以评分。"))


def _own_card_or_404(user, pk):
    try:
        return queries.own_card(user, pk)
    except Scorecard.DoesNotExist:
        raise Http404(_("评分表不存在。")) from None


# --- my roadshows ---------------------------------------------------------------------------


def _my_roadshows(user):
    """The roadshows the juror sits on, each with its rows in running order — a card, or an
    entry the juror is recused from (回避, without its project) — and, in live mode, what the
    banner shows now (four queries in all, and one per live roadshow whose open entry is not
    one of the juror's cards)."""
    seats = list(JurySeat.objects.filter(user=user).select_related("roadshow__campaign")
                 .order_by("-roadshow__date", "-roadshow_id"))
    cards = list(queries.cards_for_juror(user))
    by_roadshow = {}
    for card in cards:
        card.state, card.state_label = card_label(card)
        by_roadshow.setdefault(card.entry.roadshow_id, []).append(card)
    recused = {}
    for roadshow_id, order, entry_id in queries.recused_entries_of_juror(user):
        recused.setdefault(roadshow_id, []).append({"order": order, "entry_id": entry_id, "card": None})
    roadshows = []
    for seat in seats:
        roadshow = seat.roadshow
        roadshow.badge_class = ROADSHOW_BADGE.get(roadshow.status, "text-bg-secondary")
        roadshow.my_cards = by_roadshow.get(roadshow.pk, [])
        roadshow.rows = sorted([{"order": c.entry.order, "entry_id": c.entry_id, "card": c} for c in roadshow.my_cards]
                               + recused.get(roadshow.pk, []), key=lambda row: (row["order"], row["entry_id"]))
        roadshow.submitted_count = sum(1 for c in roadshow.my_cards if c.status == CardStatus.SUBMITTED)
        roadshow.follow_live = roadshow.live and roadshow.status == RoadshowStatus.SCORING
        if roadshow.follow_live:
            roadshow.live_now = _live_context(user, roadshow, cards=roadshow.my_cards)
        roadshows.append(roadshow)
    return roadshows


@login_required
def score_home(request):
    _require_juror(request.user)
    return render(request, "evaluations/score_home.html", {"roadshows": _my_roadshows(request.user)})


@login_required
def juror_summary(request):
    """The juror's card on the home page (loaded by htmx); opened as a page of its own, the
    same summary in the site's frame."""
    if not is_juror(request.user):
        return HttpResponse("")
    template = "evaluations/_juror_summary.html" if request.htmx else "evaluations/juror_summary.html"
    return render(request, template, {"roadshows": _my_roadshows(request.user)})


@login_required
def live_now(request, pk):
    """The polled "now scoring" banner of a live roadshow (see the module docstring)."""
    _require_juror(request.user)
    roadshow = get_object_or_404(Roadshow, pk=pk, seats__user=request.user)
    here = parse_id(request.GET.get("card"))
    context = _live_context(request.user, roadshow, here=here)
    mine = context["mine"]
    if here is not None:
        current = queries.cards_for_juror(request.user, roadshow).filter(pk=here).first()
        if current is not None:
            if mine is not None and mine.pk != current.pk and mine.status == CardStatus.DRAFT:
                response = HttpResponse("")
                response["HX-Redirect"] = reverse("evaluations:card", args=[mine.pk])
                return response
            if current.entry.state != request.GET.get("state"):
                response = HttpResponse("")
                response["HX-Refresh"] = "true"
                return response
    return render(request, "evaluations/_live_now.html", context)


def _live_context(user, roadshow, here=None, cards=None):
    """What the live banner shows: the open entry and the juror's card for it (none when
    recused). ``here``: the card of the page showing the banner; ``cards``: the juror's cards of
    the roadshow when already read. The pages render it with themselves, so the first poll
    changes nothing and no input moves."""
    if cards is not None:
        mine = next((c for c in cards if c.entry.state == EntryState.OPEN), None)
        if mine is not None:
            return {"roadshow": roadshow, "open_entry": mine.entry, "mine": mine, "here": here}
    open_entry = roadshow.entries.filter(state=EntryState.OPEN).first()
    mine = None
    if open_entry is not None and cards is None:
        mine = queries.cards_for_juror(user, roadshow).filter(entry=open_entry).first()
    return {"roadshow": roadshow, "open_entry": open_entry, "mine": mine, "here": here}


# --- the scoring page -----------------------------------------------------------------------


def _blocked_reason(card):
    """Why a draft card cannot be scored now (``None``: it can). The service decides again."""
    phase, roadshow = card_phase(card), card.entry.roadshow
    if phase == "submitted":
        return _("评分已提交，已锁定。")
    if phase == "pending":
        return _("评分尚未开始。") if roadshow.status == RoadshowStatus.SETUP else _("请等待主持人开始本项目的评分。")
    if phase == "missed":
        return _("本项目的评分已结束。") if roadshow.status == RoadshowStatus.SCORING else _("评分已结束。")
    return None


def _card_page(request, card, values=None, errors=None, comment=None, status=200):
    criteria = queries.criteria_of(card.entry.roadshow)
    saved = card.values()
    values = values if values is not None else {c.pk: saved.get(c.pk) for c in criteria}
    errors = errors or {}
    rows = [{"criterion": c, "name": score_field_name(c), "value": values.get(c.pk),
             "error": errors.get(str(c.pk))} for c in criteria]
    blocked = _blocked_reason(card)
    context = {
        "card": card,
        "entry": card.entry,
        "roadshow": card.entry.roadshow,
        "project": card.entry.project,
        "rows": rows,
        "max_total": sum((c.max_points for c in criteria), 0),
        "total": card.total,
        "comment": card.comment if comment is None else comment,
        "attachments": list(card.entry.project.attachments.all()),
        "locked": card.status == CardStatus.SUBMITTED,
        "blocked": blocked,
        "scorable": blocked is None,
        "follow_live": card.entry.roadshow.live and card.entry.roadshow.status == RoadshowStatus.SCORING,
    }
    if context["follow_live"]:
        context["live"] = _live_context(request.user, card.entry.roadshow, here=card.pk)
    if context["locked"]:
        context["next_card"] = queries.next_card_for_juror(request.user, card)
    return render(request, "evaluations/card.html", context, status=status)


@login_required
def card_detail(request, pk):
    card = _own_card_or_404(request.user, pk)
    return _card_page(request, card)


def _comment_from(request):
    comment = request.POST.get("comment")
    return comment[:COMMENT_MAX_LENGTH] if comment is not None else None


def _field_errors(exc, criteria):
    """``[(input name, message)]`` of a ``ValidationError`` keyed by criterion id, so the page
    marks the fields the server refused."""
    names = {str(c.pk): score_field_name(c) for c in criteria}
    if not hasattr(exc, "error_dict"):
        return []
    return [(names[key], message) for key, messages_ in exc.message_dict.items() if key in names
            for message in messages_]


@require_POST
@login_required
def card_autosave(request, pk):
    """Save the draft as the juror types (htmx); answers the small status line."""
    card = _own_card_or_404(request.user, pk)
    criteria = queries.criteria_of(card.entry.roadshow)
    context = {"ok": False, "errors": []}
    try:
        services.save_draft(actor=request.user, card=card, scores=scores_from_post(request.POST, criteria),
                            comment=_comment_from(request))
    except ValidationError as exc:
        context["errors"] = exc.messages
        context["field_errors"] = _field_errors(exc, criteria)
    except WorkflowError as exc:
        context["errors"] = [str(exc)]
    else:
        context.update(ok=True, at=timezone.localtime())
    if not request.htmx:
        for error in context["errors"]:
            messages.error(request, error)
        if context["ok"]:
            messages.success(request, _("草稿已保存。"))
        return redirect("evaluations:card", pk=card.pk)
    return render(request, "evaluations/_autosave_status.html", context)


@require_POST
@login_required
def card_submit(request, pk):
    card = _own_card_or_404(request.user, pk)
    criteria = queries.criteria_of(card.entry.roadshow)
    posted = scores_from_post(request.POST, criteria)
    comment = _comment_from(request)
    try:
        services.submit_card(actor=request.user, card=card, scores=posted, comment=comment)
    except ValidationError as exc:
        # Nothing was saved: show the page again with what was typed and what is wrong.
        for message in exc.messages:
            messages.error(request, message)
        card = _own_card_or_404(request.user, pk)
        values = {**card.values(), **posted}
        errors = exc.message_dict if hasattr(exc, "error_dict") else {}
        return _card_page(request, card, values=values, errors=errors, comment=comment)
    except WorkflowError as exc:
        messages.error(request, error_text(exc))
        return redirect("evaluations:card", pk=card.pk)
    # The page itself now says the card is submitted and locked.
    return redirect("evaluations:card", pk=card.pk)


@login_required
def attachment_download(request, pk):
    """A project's attachment for a juror holding a card of one of its entries (jurors do not see
    projects through ``projects.queries``)."""
    projects = queries.cards_for_juror(request.user).values("entry__project_id")
    attachment = get_object_or_404(Attachment, pk=pk, project_id__in=projects)
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404(_("附件文件已丢失。")) from None
    return FileResponse(handle, as_attachment=True, filename=attachment.name,
                        content_type=attachment.content_type or "application/octet-stream")
