"""Helpers shared by the scoring API's views: the documented error answers, the permission
asked before the body, ids from URLs, and the base of what hangs below a roadshow."""

from django.http import Http404
from django.utils.functional import cached_property
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers, viewsets

from evaluations.quorum_serializers import OverrideReasonSerializer
from members.rules import may, require_perm
from unionproj.api import PARSERS, get_or_404
from unionproj.inputs import parse_id

from ..queries import roadshows_visible_to

ERRORS = {
    400: OpenApiResponse(description="invalid input ({field: [message]})"),
    403: OpenApiResponse(description="not allowed"),
    404: OpenApiResponse(description="not found or not visible"),
}
READ_ERRORS = {403: ERRORS[403], 404: ERRORS[404]}
CONFLICT = {409: OpenApiResponse(description="the state forbids the action ({detail, state})")}
QUORUM_CONFLICT = {409: OpenApiResponse(
    description="the state forbids the action, or entries are below quorum and no override_reason was given "
                "({detail, state, below_quorum?: [{entry, project, cards, quorum}]})")}


def override_reason(request):
    """The optional ``override_reason`` of a close/compute body (400 when malformed)."""
    body = OverrideReasonSerializer(data=request.data)
    body.is_valid(raise_exception=True)
    return body.validated_data.get("override_reason") or None
NO_CONTENT = {204: OpenApiResponse(description="removed")}




def bounded_pk(pk):
    """An id from a URL or a body that some row could have; otherwise not found."""
    pk = parse_id(pk)
    if pk is None:
        raise Http404
    return pk


def field_error(field, message):
    return serializers.ValidationError({field: [message]})




# --- what hangs below a roadshow ------------------------------------------------------------


class RoadshowPart(viewsets.GenericViewSet):
    """A collection below ``/roadshows/{roadshow_pk}/``: the roadshow must be visible (404)."""

    parser_classes = PARSERS
    filterset_class = None
    model = None  # what get_queryset lists; named for the schema generator

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.model.objects.none()
        return self.visible_queryset()

    @cached_property
    def roadshow(self):
        return get_or_404(roadshows_visible_to(self.request.user), self.kwargs["roadshow_pk"])

    def require_admin(self):
        require_perm(self.request.user, "evaluations.change_roadshow", self.roadshow)

    def is_admin(self):
        return may(self.request.user, "evaluations.change_roadshow", self.roadshow)

    def paginated(self, queryset, serializer_class):
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(serializer_class(page, many=True).data)


