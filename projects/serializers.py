"""Shapes of campaigns, projects, their history and attachments in the API (API.md). Shape
only: categories, windows, states and permissions are checked by ``projects.services``."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from members.models import Union
from unionproj.inputs import CleanInputSerializerMixin

from .enums import AttachmentKind, ReplicationStatus
from .models import (
    Attachment,
    Campaign,
    ClosingReport,
    ProgressReport,
    Project,
    ProjectEvent,
    ReplicationPlan,
)
from .queries import campaigns_visible_to, projects_visible_to


class CampaignSerializer(CleanInputSerializerMixin, serializers.ModelSerializer):
    owner_union = serializers.PrimaryKeyRelatedField(queryset=Union.objects.all())
    categories = serializers.ListField(
        child=serializers.CharField(max_length=40), required=False, max_length=100,
        help_text="领域; omitted or empty: the default five from the seeds.",
    )
    # A plain string in the schema: an enum named "status" here would collide with the project's.
    status = serializers.CharField(read_only=True, help_text="upcoming | open | closed (the filing window)")

    class Meta:
        model = Campaign
        fields = [
            "id", "year", "title", "owner_union", "filing_opens", "filing_deadline", "budget", "categories",
            "require_recommendation", "recommendation_quota", "progress_report_due", "closing_report_due",
            "status",
        ]


class VisibleCampaignField(serializers.PrimaryKeyRelatedField):
    """A campaign id the requesting user can see (any other id is "does not exist")."""

    def get_queryset(self):
        return campaigns_visible_to(self.context["request"].user)


class ProjectSerializer(CleanInputSerializerMixin, serializers.ModelSerializer):
    campaign = VisibleCampaignField()
    applicant_union_name = serializers.CharField(source="applicant_union.name", read_only=True)

    class Meta:
        model = Project
        fields = [
            "id", "campaign", "applicant_union", "applicant_union_name", "title", "category", "summary",
            "objectives", "plan", "expected_outcomes", "budget_requested", "contact_name", "contact_phone",
            "status", "created_at", "submitted_at", "resubmit_until",
        ]
        read_only_fields = ["applicant_union", "status", "created_at", "submitted_at", "resubmit_until"]


class ProjectUpdateSerializer(ProjectSerializer):
    """A PATCH changes the proposal's text, never its campaign or union."""

    campaign = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta(ProjectSerializer.Meta):
        read_only_fields = [*ProjectSerializer.Meta.read_only_fields, "campaign"]


class ReasonSerializer(CleanInputSerializerMixin, serializers.Serializer):
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ReopenFilingSerializer(CleanInputSerializerMixin, serializers.Serializer):
    until = serializers.DateField(help_text="补报截止日期 (the last day the project may be submitted)")
    reason = serializers.CharField(max_length=2000)


class ProjectEventSerializer(CleanInputSerializerMixin, serializers.ModelSerializer):
    actor_name = serializers.SerializerMethodField()
    # Strings (project status values) in the schema: one enum may carry only one name there.
    from_status = serializers.CharField(read_only=True, help_text="a project status, or empty for creation")
    to_status = serializers.CharField(read_only=True, help_text="a project status")

    class Meta:
        model = ProjectEvent
        fields = ["at", "actor", "actor_name", "action", "from_status", "to_status", "reason"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_actor_name(self, event):
        return event.actor.display_name if event.actor else ""


class AttachmentSerializer(CleanInputSerializerMixin, serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = ["id", "name", "size", "content_type", "kind", "uploaded_at", "download_url"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_download_url(self, attachment):
        url = reverse("api-attachment-download", args=[attachment.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


class AttachmentUploadSerializer(CleanInputSerializerMixin, serializers.Serializer):
    file = serializers.FileField()
    kind = serializers.ChoiceField(choices=AttachmentKind.choices, default=AttachmentKind.PROPOSAL, required=False,
                                   help_text="proposal (while editing) | progress | closing (while under way)")


class ClosingReportBodySerializer(CleanInputSerializerMixin, serializers.Serializer):
    report = serializers.CharField(max_length=20000, required=False, allow_blank=True, default="",
                                   help_text="结项报告 (required)")


class ProgressReportSerializer(CleanInputSerializerMixin, serializers.ModelSerializer):
    text = serializers.CharField(max_length=20000, allow_blank=True)

    class Meta:
        model = ProgressReport
        fields = ["id", "project", "text", "filed_by", "filed_at"]
        read_only_fields = ["id", "project", "filed_by", "filed_at"]


class ClosingReportSerializer(CleanInputSerializerMixin, serializers.ModelSerializer):
    class Meta:
        model = ClosingReport
        fields = ["id", "project", "text", "filed_by", "filed_at"]
        read_only_fields = fields


class OverdueProjectSerializer(CleanInputSerializerMixin, serializers.ModelSerializer):
    applicant_union_name = serializers.CharField(source="applicant_union.name", read_only=True)
    progress_report_due = serializers.DateField(source="campaign.progress_report_due", read_only=True)

    class Meta:
        model = Project
        fields = ["id", "campaign", "applicant_union", "applicant_union_name", "title", "status",
                  "progress_report_due"]
        read_only_fields = fields


class VisibleProjectField(serializers.PrimaryKeyRelatedField):
    """A project id the requesting user can see (any other id is "does not exist")."""

    def get_queryset(self):
        return projects_visible_to(self.context["request"].user)


class ReplicationPlanSerializer(CleanInputSerializerMixin, serializers.ModelSerializer):
    source_project = VisibleProjectField()
    adopting_union = serializers.PrimaryKeyRelatedField(queryset=Union.objects.all(), required=False,
                                                        help_text="defaults to the caller's union")
    plan = serializers.CharField(max_length=20000, allow_blank=True)
    source_project_title = serializers.CharField(source="source_project.title", read_only=True)
    adopting_union_name = serializers.CharField(source="adopting_union.name", read_only=True)
    # A plain string in the schema: an enum named "status" here would collide with the project's.
    status = serializers.CharField(read_only=True, help_text="planned | in_progress | done")

    class Meta:
        model = ReplicationPlan
        fields = ["id", "source_project", "source_project_title", "adopting_union", "adopting_union_name", "plan",
                  "status", "adoption_report", "year", "created_at", "updated_at"]
        read_only_fields = ["status", "adoption_report", "year", "created_at", "updated_at"]
        # The service decides (own union, duplicates) so that the API and the pages agree.
        validators = []


class ReplicationPlanUpdateSerializer(CleanInputSerializerMixin, serializers.Serializer):
    plan = serializers.CharField(max_length=20000, required=False, allow_blank=True)
    status = serializers.ChoiceField(choices=ReplicationStatus.choices, required=False)
    adoption_report = serializers.CharField(max_length=20000, required=False, allow_blank=True)
