"""The published award lists (获奖名单): every roadshow whose results are out (公示 or final) that
the user may read, newest first, each linking to its published page. Filers reach it from their
home page."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from .. import queries

PAGE_SIZE = 25


@login_required
def published_list(request):
    roadshows = (queries.roadshows_visible_to(request.user)
                 .filter(status__in=queries.PUBLISHED_STATES)
                 .select_related("campaign")
                 .order_by("-campaign__year", "-date", "-id"))
    page = Paginator(roadshows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "evaluations/published_list.html", {"page": page})
