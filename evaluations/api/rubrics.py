"""``/campaigns/{id}/rubrics/``: a campaign's rubrics."""

from django.utils.functional import cached_property
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.response import Response

from evaluations import services
from members.rules import require_perm
from projects.queries import campaigns_visible_to
from unionproj.api import PARSERS, get_or_404

from ..models import Rubric
from ..queries import rubrics_of
from ..serializers import (
    RubricCreateSerializer,
    RubricSerializer,
)
from ._common import ERRORS, READ_ERRORS

# --- rubrics of a campaign ------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(responses={200: RubricSerializer(many=True), **READ_ERRORS},
                       summary="The campaign's rubrics: its own (category null) and one per category (campaign admin)"),
    create=extend_schema(request=RubricCreateSerializer, responses={201: RubricSerializer, **ERRORS},
                         summary="Give the campaign, or one of its categories, its own rubric (campaign admin); "
                                 "a second one for the same category is 400"),
)
class CampaignRubricViewSet(viewsets.GenericViewSet):
    """``/campaigns/{campaign_pk}/rubrics/``: the rubrics a roadshow of the campaign picks from
    (``services.rubric_for``). The campaign must be visible (404); its admins only (403)."""

    serializer_class = RubricSerializer
    parser_classes = PARSERS
    filterset_class = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Rubric.objects.none()
        return rubrics_of(self.campaign)

    @cached_property
    def campaign(self):
        return get_or_404(campaigns_visible_to(self.request.user), self.kwargs["campaign_pk"])

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        require_perm(request.user, "evaluations.add_roadshow", self.campaign)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(RubricSerializer(page, many=True).data)

    def create(self, request, *args, **kwargs):
        body = RubricCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        rubric = services.create_rubric(actor=request.user, campaign=self.campaign, name=data["name"],
                                        category=data.get("category"),
                                        criteria=[dict(c) for c in data["criteria"]])
        return Response(RubricSerializer(self.get_queryset().get(pk=rubric.pk)).data, status=status.HTTP_201_CREATED)


