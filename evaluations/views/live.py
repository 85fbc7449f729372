"""Admin pages while scoring: the live console (running order, open/close entries, who has
submitted, reopening a card), the big screen for the hall, and the results page.

The console and the big screen refresh themselves with htmx polling of a partial (every 2 s and
3 s); every page and partial here runs a constant number of queries, whatever the number of
entries and jurors.
"""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from members.rules import may
from unionproj.text import quoted

from .. import aggregation, queries, services
from ..enums import CardStatus, EntryState, RoadshowStatus
from ..forms import ReasonForm
from ..models import Entry, Scorecard
from ._common import SERVICE_ERRORS, admin_roadshow, report, with_entry_badges
from .quorum import QuorumNotMet, override_reason, refusal

CELL = {
    CardStatus.SUBMITTED: ("submitted", gettext_lazy("已提交")),
    CardStatus.DRAFT: ("draft", gettext_lazy("评分中")),
    queries.RECUSED: ("recused", gettext_lazy("回避")),
    queries.NO_CARD: ("none", "—"),
}
FINISHED_STATES = (RoadshowStatus.CLOSED, RoadshowStatus.PUBLICITY, RoadshowStatus.FINALIZED)


# --- live console ---------------------------------------------------------------------------


def _console_context(request, roadshow):
    """What the console and its polled partial show: the running order with each entry's
    progress, and the jurors of one entry (the one asked for, else the open one, else the
    first). Six queries whatever the size."""
    progress = queries.live_progress(roadshow)
    with_entry_badges([row.entry for row in progress.rows])
    card_ids = {(juror, entry): pk for pk, juror, entry in
                Scorecard.objects.filter(entry__roadshow=roadshow).values_list("pk", "juror_id", "entry_id")}
    wanted = request.GET.get("entry")
    selected = next((r for r in progress.rows if str(r.entry.pk) == wanted), None)
    selected = selected or progress.open_row or (progress.rows[0] if progress.rows else None)
    jurors = []
    if selected is not None:
        for seat, status in selected.cells:
            css, label = CELL.get(status, ("none", "—"))
            jurors.append({"seat": seat, "css": css, "label": label, "submitted": status == CardStatus.SUBMITTED,
                           "card_id": card_ids.get((seat.user_id, selected.entry.pk))})
    scoring = roadshow.status == RoadshowStatus.SCORING
    next_row = next((r for r in progress.rows if r.entry.state == EntryState.WAITING), None)
    return {
        "roadshow": roadshow,
        "progress": progress,
        "selected": selected,
        "jurors": jurors,
        "scoring": scoring,
        "live_controls": scoring and roadshow.live,
        # The polled partial keeps showing an entry picked by hand; otherwise it follows the open one.
        "pinned": selected.entry.pk if selected is not None and str(selected.entry.pk) == wanted else None,
        "next_row": next_row if progress.open_row is None else None,
    }


@login_required
def live_console(request, pk):
    roadshow = admin_roadshow(request.user, pk)
    return render(request, "evaluations/live_console.html", _console_context(request, roadshow))


@login_required
def live_progress(request, pk):
    roadshow = admin_roadshow(request.user, pk)
    return render(request, "evaluations/_live_progress.html", _console_context(request, roadshow))


def _back_to_console(roadshow):
    return redirect("evaluations:live", pk=roadshow.pk)


@require_POST
@login_required
def entry_open(request, pk, entry_pk):
    roadshow = admin_roadshow(request.user, pk)
    entry = get_object_or_404(Entry.objects.select_related("roadshow", "project"), pk=entry_pk, roadshow=roadshow)
    try:
        services.open_entry(actor=request.user, entry=entry)
    except SERVICE_ERRORS as exc:
        report(request, exc)
    else:
        messages.success(request, _("%(t)s开始评分。") % {"t": quoted(entry.project.title)})
    return _back_to_console(roadshow)


@require_POST
@login_required
def entry_open_next(request, pk):
    roadshow = admin_roadshow(request.user, pk)
    entry = (roadshow.entries.filter(state=EntryState.WAITING).select_related("roadshow", "project")
             .order_by("order", "id").first())
    if entry is None:
        messages.error(request, _("没有等待路演的项目了。"))
        return _back_to_console(roadshow)
    return entry_open(request, pk, entry.pk)


@require_POST
@login_required
def entry_close(request, pk, entry_pk):
    roadshow = admin_roadshow(request.user, pk)
    entry = get_object_or_404(Entry.objects.select_related("roadshow", "project"), pk=entry_pk, roadshow=roadshow)
    try:
        entry = services.close_entry(actor=request.user, entry=entry, override_reason=override_reason(request))
    except QuorumNotMet as exc:
        return refusal(request, roadshow, exc, back_url=f"/roadshows/{roadshow.pk}/live/",
                       button=_("填写理由后结束评分"))
    except SERVICE_ERRORS as exc:
        report(request, exc)
    else:
        messages.success(request, _("%(t)s评分结束：%(s)d / %(e)d 位评委已提交。") % {
            "t": quoted(entry.project.title), "s": entry.submitted_count, "e": entry.expected_count})
    return _back_to_console(roadshow)


def _admin_card_or_404(user, roadshow, card_pk):
    try:
        card = queries.card_visible_to(user, card_pk)
    except Scorecard.DoesNotExist:
        raise Http404(_("评分表不存在。")) from None
    if card.entry.roadshow_id != roadshow.pk:
        raise Http404(_("评分表不存在。"))
    if not may(user, "evaluations.reopen_card", card):
        raise PermissionDenied(_("只有管理员可以退回评分表。"))
    return card


@login_required
def card_reopen(request, pk, card_pk):
    """A submitted card goes back to its juror as a draft, with a reason (audited)."""
    roadshow = admin_roadshow(request.user, pk)
    card = _admin_card_or_404(request.user, roadshow, card_pk)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.reopen_card(actor=request.user, card=card, reason=form.cleaned_data["reason"])
        except SERVICE_ERRORS as exc:
            report(request, exc)
        else:
            messages.success(request, _("已将%(j)s对%(t)s的评分表退回修改。") % {
                "j": quoted(card.juror.display_name), "t": quoted(card.entry.project.title)})
        return redirect(f"/roadshows/{roadshow.pk}/live/?entry={card.entry_id}")
    return render(request, "evaluations/card_reopen.html", {"roadshow": roadshow, "card": card, "form": form})


# --- big screen -----------------------------------------------------------------------------


def _screen_context(roadshow):
    """The current entry (the open one, else the last closed), how many jurors have scored it,
    its final score once closed, and the running ranking of the closed entries. Ten queries
    whatever the size."""
    progress = queries.live_progress(roadshow)
    finished, by_entry, ranked = queries.scores_on_screen(roadshow)
    ranking = [(by_entry[r.key], r.rank) for r in ranked]
    current = progress.open_row
    if current is None:
        closed = [r for r in progress.rows if r.entry.state == EntryState.CLOSED and r.entry.closed_at]
        current = max(closed, key=lambda r: r.entry.closed_at) if closed else None
    score = None
    if current is not None and (finished or current.entry.state == EntryState.CLOSED):
        score = by_entry.get(current.entry.pk)
    return {
        "roadshow": roadshow,
        "progress": progress,
        "current": current,
        "score": score,
        "ranking": ranking,
        "unscored": [r for r in by_entry.values() if r.final_score is None],  # listed, unranked
        "finished": finished,
    }


def frameable_by_setting(view):
    """Let the origins of ``SCREEN_FRAME_ANCESTORS`` frame this page (CSP ``frame-ancestors`` and
    no ``X-Frame-Options``); with the setting empty, the page is as unframeable as every other."""
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        origins = settings.SCREEN_FRAME_ANCESTORS
        if origins and response.status_code == 200:
            response.xframe_options_exempt = True
            response._csp_update = {"frame-ancestors": list(origins)}
        return response
    return wrapped


@frameable_by_setting
@login_required
def screen(request, pk):
    roadshow = admin_roadshow(request.user, pk)
    return render(request, "evaluations/screen.html", _screen_context(roadshow))


@login_required
def screen_panel(request, pk):
    roadshow = admin_roadshow(request.user, pk)
    return render(request, "evaluations/_screen_panel.html", _screen_context(roadshow))


# --- results --------------------------------------------------------------------------------


@login_required
def results(request, pk):
    roadshow = admin_roadshow(request.user, pk)
    criteria = queries.criteria_of(roadshow)
    rows = queries.scoring_results(roadshow)
    counts = queries.card_counts(roadshow)
    for row in rows:
        row.averages = [row.per_criterion.get(c.pk) for c in criteria]
        row.drafts = counts.get(row.entry.pk, {}).get(CardStatus.DRAFT, 0)
    max_total = sum((c.max_points for c in criteria), aggregation.ZERO)
    context = {
        "roadshow": roadshow,
        "criteria": criteria,
        "rows": rows,
        "any_scored": any(row.score is not None for row in rows),
        "max_total": max_total,
        "provisional": roadshow.status == RoadshowStatus.SCORING,
        "any_untrimmed": any(row.score.untrimmed for row in rows if row.score is not None),
        "quorum_overrides": queries.quorum_overrides_of(roadshow),
    }
    return render(request, "evaluations/results.html", context)
