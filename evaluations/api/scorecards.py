"""``/scorecards/``: a juror's cards: read, autosave, submit; an admin reopens."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from evaluations import services
from evaluations.rules import is_card_juror
from members.rules import require_perm
from unionproj.api import ID, PARSERS, IdFilter
from unionproj.errors import NOT_ALLOWED

from ..models import Scorecard
from ..queries import (
    card_to_score,
    card_visible_to,
    cards_for_juror,
)
from ..serializers import (
    ReopenSerializer,
    ScorecardSerializer,
    ScoresInputSerializer,
    scorecard_data,
)
from ._common import CONFLICT, ERRORS, READ_ERRORS, bounded_pk

# --- scorecards -----------------------------------------------------------------------------


class ScorecardFilter(filters.FilterSet):
    roadshow = IdFilter(field_name="entry__roadshow_id", label="roadshow id")


CARD_CONFLICT = {409: OpenApiResponse(description="the card is submitted, the roadshow not scoring, or (live "
                                                  "mode) the entry not open ({detail, state})")}


@extend_schema_view(
    list=extend_schema(summary="The caller's own cards (never another juror's, never a recused entry's)"),
    retrieve=extend_schema(responses={200: ScorecardSerializer, **READ_ERRORS},
                           summary="The caller's own card; an admin of the roadshow may read any of its cards"),
    update=extend_schema(request=ScoresInputSerializer,
                         responses={200: ScorecardSerializer, **ERRORS, **CARD_CONFLICT},
                         summary="Save a draft: some or all scores, and the comment (the card's juror)"),
)
class ScorecardViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Blind scoring: a juror reads and scores only their own cards; anything else is 404."""

    serializer_class = ScorecardSerializer
    filterset_class = ScorecardFilter
    lookup_value_regex = ID
    parser_classes = PARSERS
    http_method_names = ["get", "post", "put", "head", "options"]

    def get_queryset(self):
        return cards_for_juror(self.request.user)

    def get_object(self):
        try:
            return card_visible_to(self.request.user, bounded_pk(self.kwargs["pk"]))
        except Scorecard.DoesNotExist:
            raise Http404 from None

    def _scorer_card(self):
        # Scoring is the card's juror's alone — not even an admin or a superuser fills it in.
        # The bare row is enough here (visible: else 404; the juror's: else 403): the service
        # locks it and reads what it needs.
        try:
            card = card_to_score(self.request.user, bounded_pk(self.kwargs["pk"]))
        except Scorecard.DoesNotExist:
            raise Http404 from None
        if not is_card_juror(self.request.user, card):
            raise PermissionDenied(NOT_ALLOWED)
        return card

    def _answer(self, card):
        # The service returns the card with its entry, project and stored scores: no re-read.
        return Response(scorecard_data(card))

    def retrieve(self, request, *args, **kwargs):
        return Response(ScorecardSerializer(self.get_object()).data)

    def update(self, request, *args, **kwargs):
        card = self._scorer_card()
        body = ScoresInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        card = services.save_draft(actor=request.user, card=card, scores=body.validated_data.get("scores"),
                                   comment=body.validated_data.get("comment"))
        return self._answer(card)

    @extend_schema(request=ScoresInputSerializer, responses={200: ScorecardSerializer, **ERRORS, **CARD_CONFLICT},
                   summary="Submit the card (saving the scores sent with it first); every criterion must be scored")
    @action(detail=True, methods=["post"], filterset_class=None)
    def submit(self, request, pk=None):
        card = self._scorer_card()
        body = ScoresInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        card = services.submit_card(actor=request.user, card=card, scores=body.validated_data.get("scores"),
                                    comment=body.validated_data.get("comment"))
        return self._answer(card)

    @extend_schema(request=ReopenSerializer, responses={200: ScorecardSerializer, **ERRORS, **CONFLICT},
                   summary="Return a submitted card to its juror as a draft, with a reason (admin)")
    @action(detail=True, methods=["post"], filterset_class=None)
    def reopen(self, request, pk=None):
        card = self.get_object()
        require_perm(request.user, "evaluations.reopen_card", card)
        body = ReopenSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        card = services.reopen_card(actor=request.user, card=card, reason=body.validated_data["reason"])
        return self._answer(card)


