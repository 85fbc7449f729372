"""工会工作先进单位: the yearly unit ranking page and its compute job."""


from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from evaluations.views._common import SERVICE_ERRORS, report
from members.rules import may
from unionproj.inputs import parse_int

from .. import queries, services
from ..enums import JobKind, JobState
from ..models import ComputeJob
from ._common import _job_context

# --- 工会工作先进单位 ---------------------------------------------------------------------------


def _year(value):
    return parse_int(value, low=2000, high=2100) or timezone.localdate().year


def _latest_ranking_job(year):
    return ComputeJob.objects.filter(kind=JobKind.UNIT_RANKING, year=year).order_by("-created_at", "-id").first()


@login_required
def unit_ranking(request):
    year = _year(request.GET.get("year"))
    rows = list(queries.unit_ranking(year))
    may_compute = may(request.user, "evaluations.rank_units")
    job = _latest_ranking_job(year) if may_compute else None
    return render(request, "awards/unit_ranking.html", {
        "year": year, "rows": rows, "may_compute": may_compute, "years": range(timezone.localdate().year, 2014, -1),
        **_job_context(job),
    })


@require_POST
@login_required
def unit_ranking_compute(request):
    year = _year(request.POST.get("year"))
    try:
        job = services.request_unit_ranking(actor=request.user, year=year)
    except SERVICE_ERRORS as exc:
        report(request, exc)
    else:
        if job.state == JobState.PENDING and job.enqueued_at is None and job.note:
            messages.warning(request, job.note)
        elif job.state == JobState.FAILED:
            messages.error(request, job.error)
        else:
            messages.info(request, _("排名任务已提交。"))
    return redirect(f"{reverse('evaluations:unit-ranking')}?year={year}")


@login_required
def unit_ranking_job(request):
    if not may(request.user, "evaluations.rank_units"):
        raise PermissionDenied(_("您无权执行此操作。"))
    year = _year(request.GET.get("year"))
    job = _latest_ranking_job(year)
    response = render(request, "awards/_job.html",
                      {"year": year, "unit": True, **_job_context(job, poll=True)})
    if request.GET.get("poll") and job is not None and job.state in (JobState.SUCCEEDED, JobState.FAILED):
        response["HX-Refresh"] = "true"
    return response

