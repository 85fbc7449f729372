"""The export endpoint of API.md and the export jobs.

- ``GET /api/v1/roadshows/{id}/export/?kind=awards|ranking|scoresheets|payouts|certificates&format=xlsx|csv|pdf``
  → the file (200), or ``202 {task_id, state, progress, status_url, download_url}`` when it
  is large enough to be made in the background.
- ``GET /api/v1/exports/{task_id}/`` → the job; ``GET /api/v1/exports/{task_id}/download/``
  → its file once ``succeeded`` (409 before, 410 once cleaned away).

Errors follow the contract: 400 bad kind/format, 403 not allowed, 404 not visible, 409 no
results yet (or payouts before finalisation).
"""

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from awards.enums import JobState
from evaluations import queries as scoring_queries
from evaluations.models import Roadshow
from unionproj.errors import WorkflowError
from unionproj.inputs import CleanInputSerializerMixin

from . import content, services
from .http import export_response, file_response
from .models import ExportJob
from .writers import CONTENT_TYPES

FILE = OpenApiResponse(OpenApiTypes.BINARY, description="the file (Content-Disposition names it in Chinese)")
# The file in each format's own content type (xlsx, csv, pdf), as served.
FILES = {(200, content_type.split(";")[0]): FILE for content_type in CONTENT_TYPES.values()}
ERRORS = {
    400: OpenApiResponse(description="unknown kind or format ({kind|format: [message]})"),
    403: OpenApiResponse(description="not allowed"),
    404: OpenApiResponse(description="not found or not visible"),
    409: OpenApiResponse(description="no results computed yet / payouts before finalisation ({detail, state})"),
}


class ExportJobSerializer(CleanInputSerializerMixin, serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True)  # plain strings: the enums are named elsewhere
    format = serializers.CharField(source="fmt", read_only=True)
    status_url = serializers.SerializerMethodField()
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = ExportJob
        fields = ["id", "task_id", "roadshow", "kind", "format", "state", "progress", "rows", "error", "filename",
                  "size", "created_at", "finished_at", "status_url", "download_url"]

    def get_status_url(self, job) -> str:
        return reverse("api-export-job", kwargs={"task_id": job.task_id})

    def get_download_url(self, job) -> str | None:
        if job.state != JobState.SUCCEEDED:
            return None
        return reverse("api-export-download", kwargs={"task_id": job.task_id})


def _roadshow(user, pk):
    try:
        return scoring_queries.roadshows_visible_to(user).get(pk=pk)
    except Roadshow.DoesNotExist:
        raise Http404 from None


class RoadshowExportView(APIView):
    """A roadshow's award list, ranking, score sheets, payout table (or certificates) as a file."""

    @extend_schema(
        operation_id="roadshows_export",
        parameters=[
            OpenApiParameter("kind", str, required=True, enum=list(content.KINDS),
                             description="awards, ranking, scoresheets, payouts (certificates: PDF only)"),
            OpenApiParameter("format", str, required=True, enum=list(content.FORMATS)),
        ],
        responses={**FILES, 202: ExportJobSerializer, **ERRORS},
        summary="Export a roadshow's outcome (admins; applicants the award list after finalisation)",
    )
    def get(self, request, roadshow_pk):
        roadshow = _roadshow(request.user, roadshow_pk)
        result = services.export_roadshow(actor=request.user, roadshow=roadshow,
                                          kind=request.query_params.get("kind"),
                                          fmt=request.query_params.get("format"))
        if isinstance(result, ExportJob):
            return Response(ExportJobSerializer(result).data, status=status.HTTP_202_ACCEPTED)
        return export_response(result)


def _job(user, task_id):
    job = services.jobs_visible_to(user).filter(task_id=str(task_id)[:64]).first()
    if job is None:
        raise Http404
    return job


class ExportJobView(APIView):
    @extend_schema(operation_id="exports_retrieve", responses={200: ExportJobSerializer, 404: ERRORS[404]},
                   summary="An export job: state, progress and, when done, its download URL")
    def get(self, request, task_id):
        return Response(ExportJobSerializer(_job(request.user, task_id)).data)


class ExportDownloadView(APIView):
    @extend_schema(operation_id="exports_download",
                   responses={**FILES, 403: ERRORS[403], 404: ERRORS[404],
                              409: OpenApiResponse(description="not finished yet"),
                              410: OpenApiResponse(description="the file was cleaned away")},
                   summary="The file of a finished export job")
    def get(self, request, task_id):
        job = _job(request.user, task_id)
        if job.state != JobState.SUCCEEDED:
            raise WorkflowError(_("文件尚未生成完毕。"), state=job.state)
        try:
            path, name = services.job_file(actor=request.user, job=job)
        except FileNotFoundError:
            return Response({"detail": _("文件已过期清理，请重新导出。")}, status=status.HTTP_410_GONE)
        return file_response(path, name, CONTENT_TYPES.get(job.fmt))
