"""Campaigns and projects API (API.md, "Campaigns and projects"). Thin: what a project is
visible to comes from ``projects.queries`` (not visible → 404), every write is one call to
``projects.services``; their errors become 403/409/400 in ``unionproj.api.exception_handler``."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from django.http import FileResponse, Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from members.rules import require_perm
from unionproj.api import ID, PARSERS, IdFilter, StrictFormParser, StrictMultiPartParser, get_or_404

from . import services
from .attachments import ALLOWED
from .enums import REASON_REQUIRED, Action, ProjectStatus, ReplicationStatus
from .models import Attachment, Project
from .queries import (
    campaigns_visible_to,
    overdue_progress_reports,
    project_list,
    projects_visible_to,
    replication_plans_visible_to,
)
from .queries import closing_reports as project_closing_reports
from .queries import history as project_history
from .queries import progress_reports as project_progress_reports
from .serializers import (
    AttachmentSerializer,
    AttachmentUploadSerializer,
    CampaignSerializer,
    ClosingReportBodySerializer,
    ClosingReportSerializer,
    OverdueProjectSerializer,
    ProgressReportSerializer,
    ProjectEventSerializer,
    ProjectSerializer,
    ProjectUpdateSerializer,
    ReasonSerializer,
    ReopenFilingSerializer,
    ReplicationPlanSerializer,
    ReplicationPlanUpdateSerializer,
)

ERRORS = {
    400: OpenApiResponse(description="invalid input"),
    403: OpenApiResponse(description="not allowed"),
    404: OpenApiResponse(description="not found or not visible"),
}
CONFLICT = {409: OpenApiResponse(description="the project's state forbids the action ({detail, state})")}


# --- campaigns ------------------------------------------------------------------------------


@extend_schema_view(
    create=extend_schema(responses={201: CampaignSerializer, **ERRORS}),
    partial_update=extend_schema(responses={200: CampaignSerializer, **ERRORS}),
)
class CampaignViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                      mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """A year's programme. Everyone signed in reads them; admins of the owner union change them."""

    serializer_class = CampaignSerializer
    lookup_value_regex = ID
    parser_classes = PARSERS
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return campaigns_visible_to(self.request.user)

    def get_object(self):
        return get_or_404(self.get_queryset(), self.kwargs["pk"])

    def create(self, request, *args, **kwargs):
        require_perm(request.user, "projects.add_campaign")
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        campaign = services.save_campaign(actor=request.user, **serializer.validated_data)
        return Response(self.get_serializer(campaign).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        campaign = self.get_object()
        require_perm(request.user, "projects.change_campaign", campaign)
        serializer = self.get_serializer(campaign, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        campaign = services.save_campaign(actor=request.user, campaign=campaign, **serializer.validated_data)
        return Response(self.get_serializer(campaign).data)


# --- projects -------------------------------------------------------------------------------


class ProjectFilter(filters.FilterSet):
    campaign = IdFilter(field_name="campaign_id", label="campaign id")
    applicant_union = IdFilter(field_name="applicant_union_id", label="applicant union id")
    status = filters.ChoiceFilter(choices=ProjectStatus.choices)
    category = filters.CharFilter(max_length=40)
    search = filters.CharFilter(method="filter_search", max_length=200, label="search in title and summary")

    def filter_search(self, queryset, name, value):
        for word in value.split():
            queryset = queryset.filter(Q(title__icontains=word) | Q(summary__icontains=word))
        return queryset


TRANSITION_DOC = {
    Action.SUBMIT: "Submit (申报) a draft or returned proposal; staff of its union, inside the filing window.",
    Action.RECOMMEND: "Recommend (推荐); county admin of an ancestor union, campaigns requiring it, within quota.",
    Action.RETURN: "Return for revision with a reason; admin, or county admin before recommendation.",
    Action.APPROVE: "Approve (立项); admin of the campaign.",
    Action.REJECT: "Reject (不予立项) with a reason; admin of the campaign.",
    Action.SHORTLIST: "Shortlist (入围) an approved project; admin of the campaign.",
    Action.CLOSING_REPORT: "File the closing report (结项报告) {report}: approved, shortlisted, awarded or "
                           "closure_failed → closing; staff of its union.",
    Action.ACCEPT_CLOSURE: "Accept the closure (结项通过): closing → closed; admin of the campaign.",
    Action.FAIL_CLOSURE: "Fail the closure with a reason: closing → closure_failed; admin of the campaign.",
}


def _transition_schema(act):
    request = None
    if act in REASON_REQUIRED:
        request = ReasonSerializer
    elif act == Action.CLOSING_REPORT:
        request = ClosingReportBodySerializer
    return extend_schema(
        summary=TRANSITION_DOC[act],
        request=request,
        responses={200: ProjectSerializer, **ERRORS, **CONFLICT},
    )


@extend_schema_view(
    create=extend_schema(responses={201: ProjectSerializer, **ERRORS}),
    partial_update=extend_schema(request=ProjectUpdateSerializer,
                                 responses={200: ProjectSerializer, **ERRORS, **CONFLICT}),
)
class ProjectViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                     mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """Project proposals, visible as ``projects.queries`` decides, and their workflow."""

    serializer_class = ProjectSerializer
    filterset_class = ProjectFilter
    lookup_value_regex = ID
    parser_classes = PARSERS
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return project_list(self.request.user)

    def get_object(self):
        return get_or_404(self.get_queryset(), self.kwargs["pk"])

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return ProjectUpdateSerializer
        return super().get_serializer_class()

    def create(self, request, *args, **kwargs):
        require_perm(request.user, "projects.add_project")
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        project = services.create_project(actor=request.user, campaign=fields.pop("campaign"), **fields)
        return Response(ProjectSerializer(project, context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        project = self.get_object()
        require_perm(request.user, "projects.change_project", project)
        serializer = ProjectUpdateSerializer(project, data=request.data, partial=True,
                                             context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        project = services.update_project(actor=request.user, project=project, **serializer.validated_data)
        return Response(ProjectSerializer(project, context=self.get_serializer_context()).data)

    # --- the workflow ---

    def _transition(self, request, act):
        project = self.get_object()
        reason = report = ""
        if act in REASON_REQUIRED:
            body = ReasonSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            reason = body.validated_data["reason"]
        elif act == Action.CLOSING_REPORT:
            body = ClosingReportBodySerializer(data=request.data)
            body.is_valid(raise_exception=True)
            report = body.validated_data["report"]
        project = services.apply_action(actor=request.user, project=project, action=act, reason=reason,
                                        report=report)
        return Response(ProjectSerializer(project, context=self.get_serializer_context()).data)

    @_transition_schema(Action.SUBMIT)
    @action(detail=True, methods=["post"], url_path="submit")
    def submit(self, request, pk=None):
        return self._transition(request, Action.SUBMIT)

    @_transition_schema(Action.RECOMMEND)
    @action(detail=True, methods=["post"], url_path="recommend")
    def recommend(self, request, pk=None):
        return self._transition(request, Action.RECOMMEND)

    @_transition_schema(Action.RETURN)
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk=None):
        return self._transition(request, Action.RETURN)

    @_transition_schema(Action.APPROVE)
    @action(detail=True, methods=["post"], url_path="approve")
    def approve(self, request, pk=None):
        return self._transition(request, Action.APPROVE)

    @_transition_schema(Action.REJECT)
    @action(detail=True, methods=["post"], url_path="reject")
    def reject(self, request, pk=None):
        return self._transition(request, Action.REJECT)

    @_transition_schema(Action.SHORTLIST)
    @action(detail=True, methods=["post"], url_path="shortlist")
    def shortlist(self, request, pk=None):
        return self._transition(request, Action.SHORTLIST)

    @_transition_schema(Action.CLOSING_REPORT)
    @action(detail=True, methods=["post"], url_path="closing-report", url_name="closing-report")
    def closing_report(self, request, pk=None):
        return self._transition(request, Action.CLOSING_REPORT)

    @_transition_schema(Action.ACCEPT_CLOSURE)
    @action(detail=True, methods=["post"], url_path="accept-closure", url_name="accept-closure")
    def accept_closure(self, request, pk=None):
        return self._transition(request, Action.ACCEPT_CLOSURE)

    @_transition_schema(Action.FAIL_CLOSURE)
    @action(detail=True, methods=["post"], url_path="fail-closure", url_name="fail-closure")
    def fail_closure(self, request, pk=None):
        return self._transition(request, Action.FAIL_CLOSURE)

    @extend_schema(summary="Reopen the filing window of a returned project (补报) until a day, with a reason; "
                           "admin of the campaign, only after the campaign's deadline. Audited.",
                   request=ReopenFilingSerializer, responses={200: ProjectSerializer, **ERRORS, **CONFLICT})
    @action(detail=True, methods=["post"], url_path="reopen-filing", url_name="reopen-filing")
    def reopen_filing(self, request, pk=None):
        project = self.get_object()
        require_perm(request.user, "projects.reopen_filing_project", project)  # 403 before the body's 400
        body = ReopenFilingSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        project = services.reopen_filing(actor=request.user, project=project, **body.validated_data)
        return Response(ProjectSerializer(project, context=self.get_serializer_context()).data)

    # --- progress and closing reports ---

    @extend_schema(methods=["GET"], responses={200: ProgressReportSerializer(many=True), 404: ERRORS[404]},
                   filters=False)
    @extend_schema(methods=["POST"], request=ProgressReportSerializer,
                   responses={201: ProgressReportSerializer, **ERRORS, **CONFLICT}, filters=False)
    @action(detail=True, methods=["get", "post"], url_path="progress-reports", url_name="progress-reports",
            pagination_class=None, filterset_class=None)
    def progress_reports(self, request, pk=None):
        """Progress reports (中期报告); staff of the applicant union file them while the project is
        approved, shortlisted or awarded."""
        project = self.get_object()
        if request.method == "GET":
            return Response(ProgressReportSerializer(project_progress_reports(project), many=True).data)
        require_perm(request.user, "projects.add_progress_report", project)
        body = ProgressReportSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        report = services.file_progress_report(actor=request.user, project=project, text=body.validated_data["text"])
        return Response(ProgressReportSerializer(report).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: ClosingReportSerializer(many=True), 404: ERRORS[404]}, filters=False)
    @action(detail=True, methods=["get"], url_path="closing-reports", url_name="closing-reports",
            pagination_class=None, filterset_class=None)
    def closing_reports(self, request, pk=None):
        """The closing reports filed (more than one after a failed closure)."""
        return Response(ClosingReportSerializer(project_closing_reports(self.get_object()), many=True).data)

    # --- the record and the files ---

    @extend_schema(responses={200: ProjectEventSerializer(many=True), 404: ERRORS[404]}, filters=False)
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def history(self, request, pk=None):
        events = project_history(self.get_object())
        return Response(ProjectEventSerializer(events, many=True).data)

    @extend_schema(methods=["GET"], responses={200: AttachmentSerializer(many=True), 404: ERRORS[404]},
                   filters=False)
    @extend_schema(methods=["POST"], request={"multipart/form-data": AttachmentUploadSerializer},
                   responses={201: AttachmentSerializer, **ERRORS, **CONFLICT}, filters=False)
    @action(detail=True, methods=["get", "post"], pagination_class=None, filterset_class=None,
            parser_classes=[StrictMultiPartParser, StrictFormParser])
    def attachments(self, request, pk=None):
        project = self.get_object()
        context = self.get_serializer_context()
        if request.method == "GET":
            return Response(AttachmentSerializer(project.attachments.all(), many=True, context=context).data)
        require_perm(request.user, "projects.add_attachment", project)
        upload = AttachmentUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        try:
            attachment = services.add_attachment(actor=request.user, project=project,
                                                 uploaded=upload.validated_data["file"],
                                                 kind=upload.validated_data.get("kind") or "proposal")
        except DjangoValidationError as exc:
            # API.md: a refused file is a field error of ``file``.
            raise serializers.ValidationError({"file": list(exc.messages)}) from exc
        return Response(AttachmentSerializer(attachment, context=context).data, status=status.HTTP_201_CREATED)


DOWNLOAD_MEDIA_TYPES = sorted({content_type for _kinds, content_type in ALLOWED.values()}) + [
    "application/octet-stream"]


class AttachmentDownloadView(APIView):
    """The file, as a download, to whoever can see its project (anyone else: 404)."""

    parser_classes = PARSERS

    @extend_schema(
        # The file goes out with the content type stored at upload (one of the allowed types),
        # or application/octet-stream for a row without one.
        responses={**{(200, media_type): OpenApiTypes.BINARY for media_type in DOWNLOAD_MEDIA_TYPES},
                   404: ERRORS[404]},
    )
    def get(self, request, pk):
        visible = Attachment.objects.filter(project__in=projects_visible_to(request.user).values("pk"))
        attachment = get_or_404(visible, pk)
        try:
            handle = attachment.file.open("rb")
        except (FileNotFoundError, ValueError):
            raise Http404(_("附件文件不存在。")) from None
        return FileResponse(handle, as_attachment=True, filename=attachment.name,
                            content_type=attachment.content_type or "application/octet-stream")


# --- progress reports overdue, replication plans ----------------------------------------------


@extend_schema_view(list=extend_schema(summary="Projects whose progress report (中期报告) is overdue; "
                                               "admins (their campaigns) and county admins (their subtree).",
                                       responses={200: OverdueProjectSerializer(many=True), 403: ERRORS[403]}))
class OverdueProgressViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = OverdueProjectSerializer
    filterset_class = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Project.objects.none()
        return overdue_progress_reports(self.request.user, today=timezone.localdate())

    def list(self, request, *args, **kwargs):
        require_perm(request.user, "projects.view_overdue_reports")
        return super().list(request, *args, **kwargs)


class ReplicationPlanFilter(filters.FilterSet):
    year = filters.NumberFilter(field_name="year", min_value=1900, max_value=2999)
    source_project = IdFilter(field_name="source_project_id", label="source project id")
    adopting_union = IdFilter(field_name="adopting_union_id", label="adopting union id")
    status = filters.ChoiceFilter(choices=ReplicationStatus.choices)


@extend_schema_view(
    create=extend_schema(responses={201: ReplicationPlanSerializer, **ERRORS, **CONFLICT}),
    partial_update=extend_schema(request=ReplicationPlanUpdateSerializer,
                                 responses={200: ReplicationPlanSerializer, **ERRORS, **CONFLICT}),
)
class ReplicationPlanViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                             mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """Replication plans (复制推广计划): another union adopts a closed project. Only a closed
    project (else 409), never by its own union (400), once per union (400)."""

    serializer_class = ReplicationPlanSerializer
    filterset_class = ReplicationPlanFilter
    lookup_value_regex = ID
    parser_classes = PARSERS
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return replication_plans_visible_to(self.request.user).order_by("-year", "-id")

    def get_object(self):
        return get_or_404(self.get_queryset(), self.kwargs["pk"])

    def create(self, request, *args, **kwargs):
        require_perm(request.user, "projects.add_replicationplan")
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        plan = services.create_replication_plan(
            actor=request.user, source_project=data["source_project"], plan=data["plan"],
            adopting_union=data.get("adopting_union"),
        )
        return Response(self.get_serializer(plan).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        plan = self.get_object()
        require_perm(request.user, "projects.change_replicationplan", plan)
        body = ReplicationPlanUpdateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        plan = services.update_replication_plan(
            actor=request.user, plan=plan, status=data.get("status"), plan_text=data.get("plan"),
            adoption_report=data.get("adoption_report"),
        )
        return Response(self.get_serializer(plan).data)
