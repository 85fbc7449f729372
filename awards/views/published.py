"""The published award lists (获奖名单): every roadshow whose results are out (公示 or final) that
the user may read, newest first, each linking to its published page. Filers reach it from their
home page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from evaluations import queries as scoring_queries
from evaluations.enums import RoadshowStatus
from evaluations.rules import MANAGE_AWARDS
from evaluations.views.common import SERVICE_ERRORS, report, visible_roadshow_or_404
from members.rules import may

from .. import queries, services
from ..forms import ObjectionForm
from ._common import decorate_rows, tier_styles

PAGE_SIZE = 25


@login_required
def published_list(request):
    roadshows = (scoring_queries.roadshows_visible_to(request.user)
                 .filter(status__in=scoring_queries.PUBLISHED_STATES)
                 .select_related("campaign")
                 .order_by("-campaign__year", "-date", "-id"))
    page = Paginator(roadshows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "awards/published_list.html", {"page": page})


# --- published results: 公示 (with objections) and the final list ---------------------------


def _published_roadshow(user, pk):
    """The roadshow whose results ``user`` may read (404 when they cannot see it, 403 when they
    see it but its results are not published to them)."""
    roadshow = visible_roadshow_or_404(user, pk)
    if not queries.may_see_results(user, roadshow):
        raise PermissionDenied(_("评定结果尚未公布。"))
    return roadshow


def _public_context(request, roadshow, form=None):
    tiers = services.tiers_for(roadshow)
    results = decorate_rows(list(queries.results_of(roadshow)), tier_styles(tiers))
    in_publicity = roadshow.status == RoadshowStatus.PUBLICITY
    open_for_objections = in_publicity and (roadshow.publicity_until is None
                                           or timezone.now() <= roadshow.publicity_until)
    may_object = open_for_objections and may(request.user, "evaluations.file_objection", roadshow)
    entries = [r.entry for r in results]
    return {
        "roadshow": roadshow,
        "results": results,
        "in_publicity": in_publicity,
        "may_object": may_object,
        "objection_form": form or (ObjectionForm(entries=entries) if may_object else None),
        "objections": list(queries.objections_visible_to(request.user, roadshow)),
        "quorum_overrides": scoring_queries.quorum_overrides_of(roadshow),
        "is_admin": may(request.user, MANAGE_AWARDS, roadshow),
        "own_union": request.user.union_id,
    }


@login_required
def public_results(request, pk):
    roadshow = _published_roadshow(request.user, pk)
    return render(request, "awards/public_results.html", _public_context(request, roadshow))


@require_POST
@login_required
def objection_file(request, pk):
    roadshow = _published_roadshow(request.user, pk)
    # Permission before the form: an admin sent an empty form is refused (403), not corrected (400).
    if not may(request.user, "evaluations.file_objection", roadshow):
        raise PermissionDenied(_("只有工会工作人员可以提出异议。"))
    entries = list(scoring_queries.entries_of(roadshow))
    form = ObjectionForm(request.POST, entries=entries)
    if not form.is_valid():
        messages.error(request, _("请选择项目并填写异议内容。"))
        return render(request, "awards/public_results.html",
                      _public_context(request, roadshow, form=form), status=400)
    entry = next(e for e in entries if e.pk == form.cleaned_data["entry"])
    try:
        services.file_objection(actor=request.user, roadshow=roadshow, entry=entry, text=form.cleaned_data["text"])
    except SERVICE_ERRORS as exc:
        report(request, exc)
    else:
        messages.success(request, _("异议已提交，管理员答复后将在此显示。"))
    return redirect(reverse("evaluations:public-results", args=[roadshow.pk]) + "#objections")


