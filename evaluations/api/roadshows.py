"""``/roadshows/``: roadshows, their states, the live display, progress, scoreboard and scoring
results. The awards' actions and ``tiers`` are added by ``awards.api.RoadshowViewSet``, which
is the one routed."""

from django.db import transaction
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from evaluations import queries, services
from evaluations.quorum_serializers import OverrideReasonSerializer
from members.rules import require_perm
from unionproj.api import ID, PARSERS, IdFilter, get_or_404
from unionproj.errors import WorkflowError

from ..enums import EntryState, RoadshowStatus
from ..models import Recusal
from ..queries import (
    cards_for_juror,
    entries_of,
    live_progress,
    roadshows_visible_to,
    scores_on_screen,
    scoring_results,
)
from ..serializers import (
    LiveSerializer,
    ProgressSerializer,
    RoadshowCreateSerializer,
    RoadshowSerializer,
    RoadshowUpdateSerializer,
    ScoreboardSerializer,
    ScoringResultSerializer,
)
from ._common import CONFLICT, ERRORS, QUORUM_CONFLICT, READ_ERRORS, override_reason

# --- roadshows ------------------------------------------------------------------------------


class RoadshowFilter(filters.FilterSet):
    campaign = IdFilter(field_name="campaign_id", label="campaign id")
    status = filters.ChoiceFilter(choices=RoadshowStatus.choices)


def _scoring_result_rows(roadshow):
    """The ranking rows of ``queries.scoring_results`` as the API shows them."""
    rows = []
    for row in scoring_results(roadshow):
        entry, score = row.entry, row.score
        if score is None:  # no submitted card: listed, unranked (无有效评分)
            figures = {"min_total": None, "max_total": None, "spread": None, "untrimmed": False,
                       "note": str(queries.NO_VALID_SCORE)}
        else:
            figures = {"min_total": score.min_total, "max_total": score.max_total, "spread": score.spread,
                       "untrimmed": score.untrimmed,
                       "note": _("评分表少于 3 份，按平均分计算。") if score.untrimmed else ""}
        rows.append({
            "entry": entry.pk, "project": entry.project_id, "project_title": entry.project.title,
            "applicant_union": entry.project.applicant_union_id,
            "applicant_union_name": entry.project.applicant_union.display_name, "order": entry.order,
            "final_score": row.final_score, "rank": row.rank, "card_count": row.card_count,
            "per_criterion": {str(k): v for k, v in row.per_criterion.items()}, **figures,
        })
    return rows


def _scoreboard(roadshow):
    """The big screen: the running order with how many jurors have scored, the final score of
    every closed entry (every entry once the roadshow is closed) and the ranking of those. An
    entry still being scored shows no score, so the hall never sees a score move."""
    progress = live_progress(roadshow)
    _finished, results, ranked = scores_on_screen(roadshow)
    shown = {pk: r.final_score for pk, r in results.items()}
    ranks = {r.key: r.rank for r in ranked}
    entries, current = [], None
    for row in progress.rows:
        entry = row.entry
        item = {"entry": entry.pk, "order": entry.order, "project_title": entry.project.title,
                "applicant_union_name": entry.project.applicant_union.display_name, "state": entry.state,
                "submitted": row.submitted, "expected": row.expected,
                "final_score": shown.get(entry.pk), "rank": ranks.get(entry.pk)}
        entries.append(item)
        if row is progress.open_row:
            current = item
    ranking = sorted((e for e in entries if e["rank"] is not None), key=lambda e: (e["rank"], e["order"]))
    return {"roadshow": roadshow.pk, "title": roadshow.title, "status": roadshow.status,
            "aggregation": roadshow.aggregation, "current": current, "entries": entries, "ranking": ranking}




@extend_schema_view(
    create=extend_schema(request=RoadshowCreateSerializer, responses={201: RoadshowSerializer, **ERRORS}),
    partial_update=extend_schema(request=RoadshowUpdateSerializer,
                                 responses={200: RoadshowSerializer, **ERRORS, **CONFLICT}),
    retrieve=extend_schema(responses={200: RoadshowSerializer, **READ_ERRORS}),
)
class RoadshowViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                      mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """Roadshows (路演展评) the caller administers or sits on as a juror (and, for union staff,
    those whose results are published)."""

    # Another app extends it (``awards.api.RoadshowViewSet``) through these attributes: the
    # serializers, what to prefetch, and ``extra_fields`` of the bodies handed to
    # ``save_extra`` in the same transaction as the roadshow's own write.

    serializer_class = RoadshowSerializer
    create_serializer_class = RoadshowCreateSerializer
    update_serializer_class = RoadshowUpdateSerializer
    prefetch = ("rubric__criteria", "quorum_overrides")
    extra_fields = ()
    filterset_class = RoadshowFilter
    lookup_value_regex = ID
    parser_classes = PARSERS
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return (roadshows_visible_to(self.request.user).select_related("campaign")
                .prefetch_related(*self.prefetch).order_by("-date", "-id"))

    def get_object(self):
        return get_or_404(self.get_queryset(), self.kwargs["pk"])

    def _answer(self, roadshow, code=status.HTTP_200_OK):
        return Response(self.serializer_class(self.get_object_fresh(roadshow)).data, status=code)

    def get_object_fresh(self, roadshow):
        return self.get_queryset().get(pk=roadshow.pk)

    def create(self, request, *args, **kwargs):
        # Only someone who can administer a campaign at all may create one; the service then
        # asks whether they administer this campaign.
        require_perm(request.user, "projects.add_campaign")
        body = self.create_serializer_class(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        extra = self._pop_extra(data)
        criteria = [dict(c) for c in data.pop("criteria", None) or []] or None
        # One transaction: extra values the other app refuses leave no roadshow behind.
        with transaction.atomic():
            roadshow = services.create_roadshow(actor=request.user, criteria=criteria, **data)
            self.save_extra(roadshow, extra, created=True)
        return self._answer(roadshow, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        roadshow = self.get_object()
        require_perm(request.user, "evaluations.change_roadshow", roadshow)
        body = self.update_serializer_class(roadshow, data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        extra = self._pop_extra(data)
        with transaction.atomic():
            if data:
                roadshow = services.update_roadshow(actor=request.user, roadshow=roadshow, **data)
            self.save_extra(roadshow, extra, created=False)
        return self._answer(roadshow)

    def _pop_extra(self, data):
        return {name: data.pop(name) for name in self.extra_fields if name in data}

    def save_extra(self, roadshow, extra, *, created):
        """Write what ``extra_fields`` carried (nothing here); runs inside the request's transaction."""

    # --- states ---

    @extend_schema(request=None, responses={200: RoadshowSerializer, **READ_ERRORS, **CONFLICT},
                   summary="setup → scoring: every non-recused juror gets a draft card per entry (admin)")
    @action(detail=True, methods=["post"], filterset_class=None)
    def start(self, request, pk=None):
        roadshow = self.get_object()
        require_perm(request.user, "evaluations.change_roadshow", roadshow)
        return self._answer(services.start_roadshow(actor=request.user, roadshow=roadshow))

    @extend_schema(request=OverrideReasonSerializer, responses={200: RoadshowSerializer, **ERRORS, **QUORUM_CONFLICT},
                   summary="scoring → closed (admin); entries below quorum need an override_reason")
    @action(detail=True, methods=["post"], filterset_class=None)
    def close(self, request, pk=None):
        roadshow = self.get_object()
        require_perm(request.user, "evaluations.change_roadshow", roadshow)
        return self._answer(services.close_roadshow(actor=request.user, roadshow=roadshow,
                                                    override_reason=override_reason(request)))

    # --- live display, progress, results ---

    @extend_schema(responses={200: ProgressSerializer, **READ_ERRORS}, filters=False,
                   summary="Who has submitted what, per entry (admin)")
    @action(detail=True, methods=["get"], filterset_class=None, pagination_class=None)
    def progress(self, request, pk=None):
        roadshow = self.get_object()
        require_perm(request.user, "evaluations.view_progress", roadshow)
        progress = live_progress(roadshow)
        data = {
            "roadshow": roadshow.pk, "status": roadshow.status,
            "open_entry": progress.open_row.entry.pk if progress.open_row else None,
            "submitted": progress.submitted, "expected": progress.expected,
            "jurors": [{"user": seat.user_id, "name": seat.user.display_name} for seat in progress.seats],
            "entries": [{
                "entry": row.entry.pk, "project_title": row.entry.project.title, "order": row.entry.order,
                "state": row.entry.state, "submitted": row.submitted, "expected": row.expected,
                "complete": row.complete,
                "cells": [{"user": seat.user_id, "status": cell} for seat, cell in row.cells],
            } for row in progress.rows],
        }
        return Response(ProgressSerializer(data).data)

    @extend_schema(responses={200: LiveSerializer, **READ_ERRORS}, filters=False,
                   summary="The open entry, for the jurors' phones to follow (jurors of the roadshow, admins)")
    @action(detail=True, methods=["get"], filterset_class=None, pagination_class=None)
    def live(self, request, pk=None):
        roadshow = self.get_object()
        require_perm(request.user, "evaluations.view_roadshow", roadshow)
        entries = list(entries_of(roadshow))
        open_entry = next((e for e in entries if e.state == EntryState.OPEN), None)
        recused = card = None
        if open_entry is not None:
            recused = Recusal.objects.filter(entry=open_entry, seat__user=request.user).exists()
            if not recused:
                card = cards_for_juror(request.user, roadshow).filter(entry=open_entry).first()
        data = {
            "roadshow": roadshow.pk, "status": roadshow.status, "live": roadshow.live,
            # A recused juror never sees the entry, not even on the live display.
            "open_entry": None if open_entry is None or recused else {
                "id": open_entry.pk, "order": open_entry.order, "project_title": open_entry.project.title,
                "applicant_union_name": open_entry.project.applicant_union.display_name},
            "open_entry_recused": bool(recused),
            "my_card": card.pk if card else None, "my_card_status": card.status if card else None,
            "entries_total": len(entries),
            "entries_closed": sum(1 for e in entries if e.state == EntryState.CLOSED),
        }
        return Response(LiveSerializer(data).data)

    @extend_schema(responses={200: ScoreboardSerializer, **READ_ERRORS}, filters=False,
                   summary="What the big screen (大屏) shows (jurors of the roadshow, admins)")
    @action(detail=True, methods=["get"], filterset_class=None, pagination_class=None)
    def scoreboard(self, request, pk=None):
        roadshow = self.get_object()
        require_perm(request.user, "evaluations.view_roadshow", roadshow)
        return Response(ScoreboardSerializer(_scoreboard(roadshow)).data)

    @extend_schema(responses={200: ScoringResultSerializer(many=True), **READ_ERRORS, **CONFLICT}, filters=False,
                   summary="The ranking under the roadshow's aggregation, from the submitted cards (admin)")
    @action(detail=True, methods=["get"], url_path="scoring-results", url_name="scoring-results",
            filterset_class=None, pagination_class=None)
    def scoring_results(self, request, pk=None):
        roadshow = self.get_object()
        require_perm(request.user, "evaluations.view_progress", roadshow)
        if roadshow.status == RoadshowStatus.SETUP:
            raise WorkflowError(_("评分尚未开始。"), state=roadshow.status)
        return Response(ScoringResultSerializer(_scoring_result_rows(roadshow), many=True).data)


