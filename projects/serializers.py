"""Shapes of campaigns, projects, their history and attachments in the API (API.md). Shape
only: categories, windows, states and permissions are checked by ``projects.services``."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from members.models import Union

from .models import Attachment, Campaign, Project, ProjectEvent
from .queries import campaigns_visible_to


class CampaignSerializer(serializers.ModelSerializer):
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
            "require_recommendation", "recommendation_quota", "status",
        ]


class VisibleCampaignField(serializers.PrimaryKeyRelatedField):
    """A campaign id the requesting user can see (any other id is "does not exist")."""

    def get_queryset(self):
        return campaigns_visible_to(self.context["request"].user)


class ProjectSerializer(serializers.ModelSerializer):
    campaign = VisibleCampaignField()
    applicant_union_name = serializers.CharField(source="applicant_union.name", read_only=True)

    class Meta:
        model = Project
        fields = [
            "id", "campaign", "applicant_union", "applicant_union_name", "title", "category", "summary",
            "objectives", "plan", "expected_outcomes", "budget_requested", "contact_name", "contact_phone",
            "status", "created_at", "submitted_at",
        ]
        read_only_fields = ["applicant_union", "status", "created_at", "submitted_at"]


class ProjectUpdateSerializer(ProjectSerializer):
    """A PATCH changes the proposal's text, never its campaign or union."""

    campaign = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta(ProjectSerializer.Meta):
        read_only_fields = [*ProjectSerializer.Meta.read_only_fields, "campaign"]


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ProjectEventSerializer(serializers.ModelSerializer):
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


class AttachmentSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = ["id", "name", "size", "content_type", "uploaded_at", "download_url"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_download_url(self, attachment):
        url = reverse("api-attachment-download", args=[attachment.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


class AttachmentUploadSerializer(serializers.Serializer):
    file = serializers.FileField()
