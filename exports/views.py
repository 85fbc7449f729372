"""The export page of a roadshow (导出): a button per kind × format, the certificates, and the
background jobs of large exports with a progress bar (htmx polling) and a download link.
Views are thin: ``exports.services`` decides who may export what and when."""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from awards.enums import JobState
from evaluations.enums import RoadshowStatus
from evaluations.views._common import ROADSHOW_BADGE, error_text, visible_roadshow_or_404
from unionproj.errors import WorkflowError

from . import content, services
from .http import export_response, file_response
from .models import ExportJob
from .writers import CONTENT_TYPES

JOB_BAR = {JobState.PENDING: "bg-secondary", JobState.RUNNING: "bg-info", JobState.SUCCEEDED: "bg-success",
           JobState.FAILED: "bg-danger"}
DESCRIPTIONS = {
    content.AWARDS: gettext_lazy("按等次（特优、一等、二等、三等）分组：项目、申报单位、最终得分、奖补金额。"),
    content.RANKING: gettext_lazy("全部项目的名次、最终得分、各评分项平均分、有效评分表数和等次。"),
    content.SCORESHEETS: gettext_lazy("每位评委一页（一个工作表）：各项目的分项得分、总分、评语，回避项目标注“回避”，附签字栏。"),
    content.PAYOUTS: gettext_lazy("按申报单位列出拨付金额，按县（市、区）小计，附合计。定稿后可导出。"),
    content.CERTIFICATES: gettext_lazy("每个获奖项目一页荣誉证书（PDF）。"),
}


def _page_url(roadshow):
    return reverse("exports:page", args=[roadshow.pk])


def _job_context(job):
    return {"job": job, "bar_class": JOB_BAR.get(job.state, "bg-secondary"),
            "running": job.state in (JobState.PENDING, JobState.RUNNING)}


def _roadshow_for_exports(user, pk):
    roadshow = visible_roadshow_or_404(user, pk)
    kinds = services.allowed_kinds(user, roadshow)
    if not kinds:
        raise PermissionDenied(_("只有本次路演的管理员可以导出；获奖名单定稿后申报单位也可下载。"))
    roadshow.badge_class = ROADSHOW_BADGE.get(roadshow.status, "text-bg-secondary")
    return roadshow, kinds


@login_required
def export_page(request, pk):
    roadshow, kinds = _roadshow_for_exports(request.user, pk)
    is_admin = services.is_admin(request.user, roadshow)
    computed = roadshow.results.exists()
    limit = services.sync_max_rows()
    cards = []
    for kind in kinds:
        rows = content.estimate_rows(roadshow, kind) if computed else 0
        blocked = ""
        if not computed:
            blocked = _("尚未计算评定结果。")
        elif kind == content.PAYOUTS and roadshow.status != RoadshowStatus.FINALIZED:
            blocked = _("定稿后可导出。")
        cards.append({"kind": kind, "label": content.KINDS[kind], "description": DESCRIPTIONS[kind], "rows": rows,
                      "formats": [(f, content.FORMATS[f]) for f in content.FORMATS_OF[kind]],
                      "background": rows > limit, "blocked": blocked})
    jobs = [_job_context(job) for job in
            services.jobs_visible_to(request.user).filter(roadshow=roadshow, requested_by=request.user)[:10]]
    return render(request, "exports/page.html", {
        "roadshow": roadshow, "cards": cards, "jobs": jobs, "is_admin": is_admin, "computed": computed,
        "limit": limit,
    })


DOWNLOAD_COOKIE = "export_ready"
DOWNLOAD_TOKEN = re.compile(r"[0-9a-z]{8,32}")


@login_required
def export_download(request, pk):
    """The file right away (small exports); a large one becomes a job and the page shows it."""
    roadshow = visible_roadshow_or_404(request.user, pk)
    try:
        result = services.export_roadshow(actor=request.user, roadshow=roadshow, kind=request.GET.get("kind"),
                                          fmt=request.GET.get("format"))
    except ValidationError as exc:
        return HttpResponse(error_text(exc), status=400, content_type="text/plain; charset=utf-8")
    except WorkflowError as exc:
        messages.error(request, error_text(exc))
        return redirect(_page_url(roadshow))
    if isinstance(result, ExportJob):
        messages.info(request, _("文件较大，已转入后台生成，完成后可在下方下载。"))
        return redirect(_page_url(roadshow) + "#jobs")
    response = export_response(result)
    token = request.GET.get("token", "")
    if DOWNLOAD_TOKEN.fullmatch(token):
        # The page's button shows "正在生成…" until this cookie says the file is on its way
        # (static/js/exports.js): a PDF may take seconds to lay out.
        response.set_cookie(DOWNLOAD_COOKIE, token, max_age=120, samesite="Lax",
                            secure=request.is_secure(), path=_page_url(roadshow))
    return response


@require_POST
@login_required
def export_start(request, pk):
    """Start a background export (the buttons of large exports)."""
    roadshow = visible_roadshow_or_404(request.user, pk)
    try:
        job = services.export_roadshow(actor=request.user, roadshow=roadshow, kind=request.POST.get("kind"),
                                       fmt=request.POST.get("format"), background=True)
    except (ValidationError, WorkflowError) as exc:
        if request.htmx:
            return render(request, "exports/_error.html", {"message": error_text(exc)})
        messages.error(request, error_text(exc))
        return redirect(_page_url(roadshow))
    job.refresh_from_db()
    if request.htmx:
        return render(request, "exports/_job.html", _job_context(job))
    messages.info(request, _("导出任务已提交。"))
    return redirect(_page_url(roadshow) + "#jobs")


def _visible_job(user, job_pk):
    job = services.jobs_visible_to(user).filter(pk=job_pk).first()
    if job is None:
        raise Http404(_("导出任务不存在或您无权查看。"))
    return job


@login_required
def job_status(request, job_pk):
    """One job's progress bar, polled by htmx every second while it is pending or running."""
    return render(request, "exports/_job.html", _job_context(_visible_job(request.user, job_pk)))


@login_required
def job_download(request, job_pk):
    job = _visible_job(request.user, job_pk)
    if job.state != JobState.SUCCEEDED:
        messages.error(request, _("文件尚未生成完毕。"))
        return redirect(_page_url(job.roadshow) + "#jobs")
    try:
        path, name = services.job_file(actor=request.user, job=job)
    except FileNotFoundError:
        messages.error(request, _("文件已过期清理，请重新导出。"))
        return redirect(_page_url(job.roadshow))
    except WorkflowError as exc:
        messages.error(request, error_text(exc))
        return redirect(_page_url(job.roadshow))
    return file_response(path, name, CONTENT_TYPES.get(job.fmt))
