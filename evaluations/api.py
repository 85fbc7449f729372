"""Roadshow scoring API (API.md, "Evaluations"). Thin: what a roadshow or a card is visible to
comes from ``evaluations.queries`` (not visible → 404), every write is one call to
``evaluations.services``; their errors become 403/409/400 in ``unionproj.api.exception_handler``.
Who may do what is asked of the rules *before* the body is looked at, so a juror calling an
admin endpoint gets 403 whatever they send."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from members.api import ID, PARSERS, get_or_404
from members.queries import jury_pool
from members.rules import may, require_perm
from projects.api import IdFilter
from projects.errors import NOT_ALLOWED, WorkflowError
from projects.queries import campaigns_visible_to, projects_visible_to
from unionproj.inputs import CleanInputSerializerMixin, parse_id

from . import queries, services
from .enums import TIER_STATES, EntryState, JobState, PayoutStatus, RoadshowStatus
from .models import (
    Entry,
    JurorGroup,
    JurySeat,
    Objection,
    Recusal,
    Rubric,
    Scorecard,
    UnitRanking,
)
from .queries import (
    card_to_score,
    card_visible_to,
    cards_for_juror,
    entries_of,
    live_progress,
    recusals_of,
    roadshows_visible_to,
    rubrics_of,
    scores_on_screen,
    scoring_results,
    seats_of,
)
from .quorum_serializers import OverrideReasonSerializer
from .rules import is_card_juror
from .serializers import (
    AnswerSerializer,
    AwardResultSerializer,
    EntryClosedSerializer,
    EntryCreateSerializer,
    EntrySerializer,
    JurorCreateSerializer,
    JurorGroupChangeSerializer,
    JurorGroupSerializer,
    JurorSerializer,
    LiveSerializer,
    ObjectionCreateSerializer,
    ObjectionSerializer,
    PayoutIdsSerializer,
    PayoutSerializer,
    PreviewInputSerializer,
    PreviewSerializer,
    ProgressSerializer,
    PublicizeSerializer,
    RecusalCreateSerializer,
    RecusalSerializer,
    ReopenSerializer,
    ReorderSerializer,
    ResultsReopenSerializer,
    RoadshowCreateSerializer,
    RoadshowSerializer,
    RoadshowUpdateSerializer,
    RubricCreateSerializer,
    RubricSerializer,
    ScoreboardSerializer,
    ScorecardSerializer,
    ScoresInputSerializer,
    ScoringResultSerializer,
    TaskAcceptedSerializer,
    TaskSerializer,
    TierSerializer,
    TiersInputSerializer,
    UnitRankingSerializer,
    YearSerializer,
    scorecard_data,
    tier_rows,
)

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


# The rules as the services ask them, so the API answers 403 before 400.
_require = require_perm


def _bounded(pk):
    """An id from a URL or a body that some row could have; otherwise not found."""
    pk = parse_id(pk)
    if pk is None:
        raise Http404
    return pk


def _field_error(field, message):
    return serializers.ValidationError({field: [message]})


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


# --- awards on a roadshow (评定等次 → 以奖代拨) -------------------------------------------------

ACCEPTED = {202: TaskAcceptedSerializer}
NOT_PUBLISHED = {403: OpenApiResponse(description="visible roadshow whose results are not published to you")}


def accepted(job):
    """The ``202`` of a compute request. The job row exists whatever happened to the broker: when
    the message could not be published (broker unreachable) the answer is still ``202`` — the
    request is accepted and kept, and published as soon as the broker is back — with
    ``queued: false`` and the reason in ``detail``."""
    queued = job.enqueued_at is not None or job.state != JobState.PENDING
    if job.state == JobState.FAILED:
        detail = job.error
    elif queued:
        detail = _("计算任务已提交。")
    else:
        detail = job.note or _("计算任务已保存，等待任务队列执行。")
    return Response({"task_id": job.task_id, "state": job.state, "progress": job.progress, "queued": queued,
                     "detail": detail}, status=status.HTTP_202_ACCEPTED)


def result_row(result):
    """A stored ``Result`` as the API shows it (money and scores as decimal strings)."""
    project = result.entry.project
    return {
        "entry": result.entry_id, "project": project.pk, "project_title": project.title,
        "applicant_union": project.applicant_union_id, "applicant_union_name": project.applicant_union.display_name,
        "final_score": result.final_score, "rank": result.rank, "tier": result.tier, "tier_order": result.tier_order,
        "amount": result.amount, "card_count": result.card_count, "per_criterion": result.per_criterion,
        "spread": result.spread, "note": result.note,
    }


def plan_row(row):
    """A row of an ``AwardPlan`` (the what-if preview) in the shape of :func:`result_row`."""
    project = row.entry.project
    return {
        "entry": row.entry.pk, "project": project.pk, "project_title": project.title,
        "applicant_union": project.applicant_union_id, "applicant_union_name": project.applicant_union.display_name,
        "final_score": row.final_score, "rank": row.rank, "tier": row.tier.name if row.tier else "",
        "tier_order": row.tier.order if row.tier else None, "amount": row.amount, "card_count": row.card_count,
        "per_criterion": {str(k): v for k, v in sorted(row.per_criterion.items())}, "spread": row.spread,
        "note": row.note,
    }


def plan_data(plan):
    return {"aggregation": plan.aggregation, "budget_policy": plan.budget_policy, "tiers": tier_rows(plan.tiers),
            "budget": plan.budget, "requested": plan.requested, "total": plan.total, "scaled": plan.scaled,
            "results": [plan_row(r) for r in plan.rows]}


def tiers_data(roadshow):
    saved = queries.tiers_of(roadshow)
    return {"tiers": tier_rows(saved or services.tiers_for(roadshow)), "saved": bool(saved),
            "editable": roadshow.status in TIER_STATES}


class TiersAnswerSerializer(CleanInputSerializerMixin, serializers.Serializer):
    tiers = TierSerializer(many=True)
    saved = serializers.BooleanField(help_text="false: none saved yet, these are the defaults the compute would use")
    editable = serializers.BooleanField()


class RoadshowAwardsMixin:
    """The awards actions of ``/roadshows/{id}/``: tier rules, compute, results, preview, 公示,
    finalise and reopen. Permission is asked before the body is read (403 before 400)."""

    def _awards_roadshow(self):
        roadshow = self.get_object()
        _require(self.request.user, "evaluations.manage_awards", roadshow)
        return roadshow

    @extend_schema(methods=["GET"], request=None, responses={200: TiersAnswerSerializer, **READ_ERRORS},
                   summary="The tier rules (the defaults, unsaved, when none are saved yet)")
    @extend_schema(methods=["PUT"], request=TiersInputSerializer,
                   responses={200: TiersAnswerSerializer, **ERRORS, **CONFLICT},
                   summary="Replace the tier rules (admin; until the results are published)")
    @action(detail=True, methods=["get", "put"], filterset_class=None, pagination_class=None,
            http_method_names=["get", "put", "head", "options"])
    def tiers(self, request, pk=None):
        roadshow = self.get_object()
        if request.method == "PUT":
            _require(request.user, "evaluations.manage_awards", roadshow)
            body = TiersInputSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            services.save_tiers(actor=request.user, roadshow=roadshow, tiers=body.validated_data["tiers"])
            roadshow.refresh_from_db()
        return Response(TiersAnswerSerializer(tiers_data(roadshow)).data)

    @extend_schema(request=OverrideReasonSerializer, responses={**ACCEPTED, **ERRORS, **QUORUM_CONFLICT},
                   summary="Compute the results on a worker (admin; closed roadshows) → 202 {task_id}. "
                           "Broker unreachable: still 202 within seconds, queued=false, the job is kept")
    @action(detail=True, methods=["post"], filterset_class=None, pagination_class=None)
    def compute(self, request, pk=None):
        roadshow = self._awards_roadshow()
        return accepted(services.request_compute(actor=request.user, roadshow=roadshow,
                                                 override_reason=override_reason(request)))

    @extend_schema(request=None, responses={200: TaskSerializer, **READ_ERRORS},
                   summary="The roadshow's latest compute job (admin); 404 when there is none")
    @action(detail=True, methods=["get"], url_path="jobs/latest", url_name="jobs-latest", filterset_class=None,
            pagination_class=None)
    def latest_job(self, request, pk=None):
        roadshow = self._awards_roadshow()
        job = queries.latest_job(roadshow)
        if job is None:
            raise Http404
        return Response(TaskSerializer(job).data)

    @extend_schema(responses={200: AwardResultSerializer(many=True), **READ_ERRORS, **NOT_PUBLISHED}, filters=False,
                   summary="The stored results by rank: admins once computed, everybody else during 公示 or "
                           "after finalize")
    @action(detail=True, methods=["get"], filterset_class=None, pagination_class=None)
    def results(self, request, pk=None):
        roadshow = self.get_object()
        if not queries.may_see_results(request.user, roadshow):
            raise PermissionDenied(_("评定结果尚未公布。"))
        return Response(AwardResultSerializer([result_row(r) for r in queries.results_of(roadshow)], many=True).data)

    @extend_schema(request=PreviewInputSerializer, responses={200: PreviewSerializer, **ERRORS, **CONFLICT},
                   summary="What-if: the results under another aggregation and/or other tier rules (admin); "
                           "writes nothing")
    @action(detail=True, methods=["post"], filterset_class=None, pagination_class=None)
    def preview(self, request, pk=None):
        roadshow = self._awards_roadshow()
        body = PreviewInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        plan = services.preview(actor=request.user, roadshow=roadshow, aggregation=body.validated_data.get(
            "aggregation"), tiers=body.validated_data.get("tiers"))
        return Response(PreviewSerializer(plan_data(plan)).data)

    @extend_schema(request=PublicizeSerializer, responses={200: RoadshowSerializer, **ERRORS, **CONFLICT},
                   summary="closed → publicity: publish the computed results for N days (1–30) (admin)")
    @action(detail=True, methods=["post"], filterset_class=None, pagination_class=None)
    def publicize(self, request, pk=None):
        roadshow = self._awards_roadshow()
        body = PublicizeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._answer(services.publicize(actor=request.user, roadshow=roadshow,
                                               days=body.validated_data["days"]))

    @extend_schema(request=None, responses={200: RoadshowSerializer, **READ_ERRORS, **CONFLICT},
                   summary="Finalise (定稿): results published, awarded projects, one pending payout each (admin; "
                           "every objection answered); a second call is 409")
    @action(detail=True, methods=["post"], filterset_class=None, pagination_class=None)
    def finalize(self, request, pk=None):
        roadshow = self._awards_roadshow()
        return self._answer(services.finalize(actor=request.user, roadshow=roadshow))

    @extend_schema(request=ResultsReopenSerializer, responses={200: RoadshowSerializer, **ERRORS, **CONFLICT},
                   summary="finalized → closed with a reason, so that the results can be recomputed (admin; "
                           "409 once a payout is approved)")
    @action(detail=True, methods=["post"], filterset_class=None, pagination_class=None)
    def reopen(self, request, pk=None):
        roadshow = self._awards_roadshow()
        body = ResultsReopenSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._answer(services.reopen_results(actor=request.user, roadshow=roadshow,
                                                    reason=body.validated_data["reason"]))


@extend_schema_view(
    create=extend_schema(request=RoadshowCreateSerializer, responses={201: RoadshowSerializer, **ERRORS}),
    partial_update=extend_schema(request=RoadshowUpdateSerializer,
                                 responses={200: RoadshowSerializer, **ERRORS, **CONFLICT}),
    retrieve=extend_schema(responses={200: RoadshowSerializer, **READ_ERRORS}),
)
class RoadshowViewSet(RoadshowAwardsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                      mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """Roadshows (路演展评) the caller administers or sits on as a juror (and, for union staff,
    those whose results are published)."""

    serializer_class = RoadshowSerializer
    filterset_class = RoadshowFilter
    lookup_value_regex = ID
    parser_classes = PARSERS
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return (roadshows_visible_to(self.request.user).select_related("campaign")
                .prefetch_related("rubric__criteria", "tiers", "quorum_overrides").order_by("-date", "-id"))

    def get_object(self):
        return get_or_404(self.get_queryset(), self.kwargs["pk"])

    def _answer(self, roadshow, code=status.HTTP_200_OK):
        return Response(RoadshowSerializer(self.get_object_fresh(roadshow)).data, status=code)

    def get_object_fresh(self, roadshow):
        return self.get_queryset().get(pk=roadshow.pk)

    def create(self, request, *args, **kwargs):
        # Only someone who can administer a campaign at all may create one; the service then
        # asks whether they administer this campaign.
        _require(request.user, "projects.add_campaign")
        body = RoadshowCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        tiers = data.pop("tiers", None)
        criteria = [dict(c) for c in data.pop("criteria", None) or []] or None
        # One transaction: tier rules the service refuses leave no roadshow behind.
        with transaction.atomic():
            roadshow = services.create_roadshow(actor=request.user, criteria=criteria, **data)
            if tiers:
                services.save_tiers(actor=request.user, roadshow=roadshow, tiers=tiers)
        return self._answer(roadshow, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        roadshow = self.get_object()
        _require(request.user, "evaluations.change_roadshow", roadshow)
        body = RoadshowUpdateSerializer(roadshow, data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        tiers = data.pop("tiers", None)
        with transaction.atomic():
            if data:
                roadshow = services.update_roadshow(actor=request.user, roadshow=roadshow, **data)
            if tiers is not None:
                services.save_tiers(actor=request.user, roadshow=roadshow, tiers=tiers)
        return self._answer(roadshow)

    # --- states ---

    @extend_schema(request=None, responses={200: RoadshowSerializer, **READ_ERRORS, **CONFLICT},
                   summary="setup → scoring: every non-recused juror gets a draft card per entry (admin)")
    @action(detail=True, methods=["post"], filterset_class=None)
    def start(self, request, pk=None):
        roadshow = self.get_object()
        _require(request.user, "evaluations.change_roadshow", roadshow)
        return self._answer(services.start_roadshow(actor=request.user, roadshow=roadshow))

    @extend_schema(request=OverrideReasonSerializer, responses={200: RoadshowSerializer, **ERRORS, **QUORUM_CONFLICT},
                   summary="scoring → closed (admin); entries below quorum need an override_reason")
    @action(detail=True, methods=["post"], filterset_class=None)
    def close(self, request, pk=None):
        roadshow = self.get_object()
        _require(request.user, "evaluations.change_roadshow", roadshow)
        return self._answer(services.close_roadshow(actor=request.user, roadshow=roadshow,
                                                    override_reason=override_reason(request)))

    # --- live display, progress, results ---

    @extend_schema(responses={200: ProgressSerializer, **READ_ERRORS}, filters=False,
                   summary="Who has submitted what, per entry (admin)")
    @action(detail=True, methods=["get"], filterset_class=None, pagination_class=None)
    def progress(self, request, pk=None):
        roadshow = self.get_object()
        _require(request.user, "evaluations.view_progress", roadshow)
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
        _require(request.user, "evaluations.view_roadshow", roadshow)
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
        _require(request.user, "evaluations.view_roadshow", roadshow)
        return Response(ScoreboardSerializer(_scoreboard(roadshow)).data)

    @extend_schema(responses={200: ScoringResultSerializer(many=True), **READ_ERRORS, **CONFLICT}, filters=False,
                   summary="The ranking under the roadshow's aggregation, from the submitted cards (admin)")
    @action(detail=True, methods=["get"], url_path="scoring-results", url_name="scoring-results",
            filterset_class=None, pagination_class=None)
    def scoring_results(self, request, pk=None):
        roadshow = self.get_object()
        _require(request.user, "evaluations.view_progress", roadshow)
        if roadshow.status == RoadshowStatus.SETUP:
            raise WorkflowError(_("评分尚未开始。"), state=roadshow.status)
        return Response(ScoringResultSerializer(_scoring_result_rows(roadshow), many=True).data)


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
        _require(self.request.user, "evaluations.change_roadshow", self.roadshow)

    def is_admin(self):
        return may(self.request.user, "evaluations.change_roadshow", self.roadshow)

    def paginated(self, queryset, serializer_class):
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(serializer_class(page, many=True).data)


@extend_schema_view(
    list=extend_schema(responses={200: EntrySerializer(many=True), **READ_ERRORS}),
    retrieve=extend_schema(responses={200: EntrySerializer, **READ_ERRORS}),
    create=extend_schema(request=EntryCreateSerializer, responses={201: EntrySerializer, **ERRORS, **CONFLICT}),
    destroy=extend_schema(responses={**NO_CONTENT, **READ_ERRORS, **CONFLICT}),
)
class EntryViewSet(RoadshowPart):
    """The running order. A juror does not see the entries they are recused from."""

    serializer_class = EntrySerializer
    model = Entry

    def visible_queryset(self):
        entries = entries_of(self.roadshow)
        if not self.is_admin():
            entries = entries.exclude(recusals__seat__user=self.request.user)
        return entries

    def get_object(self):
        return get_or_404(self.get_queryset(), self.kwargs["pk"])

    def list(self, request, *args, **kwargs):
        return self.paginated(self.get_queryset(), EntrySerializer)

    def retrieve(self, request, *args, **kwargs):
        return Response(EntrySerializer(self.get_object()).data)

    def create(self, request, *args, **kwargs):
        self.require_admin()
        body = EntryCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        # A project the admin cannot see is, to them, a project that does not exist.
        project = projects_visible_to(request.user).filter(pk=body.validated_data["project"]).first()
        if project is None:
            raise _field_error("project", _("项目不存在。"))
        entry = services.add_entry(actor=request.user, roadshow=self.roadshow, project=project)
        return Response(EntrySerializer(entries_of(self.roadshow).get(pk=entry.pk)).data,
                        status=status.HTTP_201_CREATED)

    def destroy(self, request, *args, **kwargs):
        self.require_admin()
        services.remove_entry(actor=request.user, entry=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=ReorderSerializer, responses={200: EntrySerializer(many=True), **ERRORS, **CONFLICT},
                   summary="Set the running order: every entry id once, first first (admin)")
    def reorder(self, request, *args, **kwargs):
        self.require_admin()
        body = ReorderSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.reorder_entries(actor=request.user, roadshow=self.roadshow, entry_ids=body.validated_data["entries"])
        return Response(EntrySerializer(entries_of(self.roadshow), many=True).data)

    @extend_schema(request=None, responses={200: EntrySerializer, **READ_ERRORS, **CONFLICT},
                   summary="Open the entry for scoring on the live display (admin)")
    def open(self, request, *args, **kwargs):
        self.require_admin()
        entry = services.open_entry(actor=request.user, entry=self.get_object())
        return Response(EntrySerializer(entries_of(self.roadshow).get(pk=entry.pk)).data)

    @extend_schema(request=OverrideReasonSerializer, responses={200: EntryClosedSerializer, **ERRORS,
                                                                **QUORUM_CONFLICT},
                   summary="Close the open entry (admin); says how many expected jurors submitted; below "
                           "quorum it needs an override_reason")
    def close(self, request, *args, **kwargs):
        self.require_admin()
        entry = services.close_entry(actor=request.user, entry=self.get_object(),
                                     override_reason=override_reason(request))
        fresh = entries_of(self.roadshow).get(pk=entry.pk)
        fresh.submitted_count, fresh.expected_count = entry.submitted_count, entry.expected_count
        return Response(EntryClosedSerializer(fresh).data)


@extend_schema_view(
    list=extend_schema(responses={200: JurorSerializer(many=True), **READ_ERRORS}),
    create=extend_schema(request=JurorCreateSerializer, responses={201: JurorSerializer, **ERRORS, **CONFLICT}),
    partial_update=extend_schema(request=JurorGroupChangeSerializer,
                                 responses={200: JurorSerializer, **ERRORS, **CONFLICT},
                                 summary="Move the juror into another group of the roadshow (admin)"),
    destroy=extend_schema(responses={**NO_CONTENT, **READ_ERRORS, **CONFLICT}),
)
class JurorViewSet(RoadshowPart):
    """The jury (admins only): each juror with their group and the entries they are recused from.
    A juror is addressed by their user id."""

    serializer_class = JurorSerializer
    model = JurySeat

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        _require(request.user, "evaluations.view_progress", self.roadshow)

    def visible_queryset(self):
        return seats_of(self.roadshow).prefetch_related("recusals")

    def seat(self, user_id):
        seat = self.get_queryset().filter(user_id=_bounded(user_id)).first()
        if seat is None:
            raise Http404
        return seat

    def group(self, group_id):
        if group_id is None:
            return None
        group = self.roadshow.groups.filter(pk=group_id).first()
        if group is None:
            raise _field_error("group", _("该评审组不属于本次路演。"))
        return group

    def list(self, request, *args, **kwargs):
        return self.paginated(self.get_queryset(), JurorSerializer)

    def create(self, request, *args, **kwargs):
        self.require_admin()
        body = JurorCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        user = jury_pool().filter(pk=body.validated_data["user"]).first()
        if user is None:
            raise _field_error("user", _("该用户不在评委库中。"))
        seat = services.add_juror(actor=request.user, roadshow=self.roadshow, user=user,
                                  group=self.group(body.validated_data.get("group")))
        return Response(JurorSerializer(self.seat(seat.user_id)).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        self.require_admin()
        seat = self.seat(kwargs["user_pk"])
        body = JurorGroupChangeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.set_juror_group(actor=request.user, seat=seat, group=self.group(body.validated_data["group"]))
        return Response(JurorSerializer(self.seat(seat.user_id)).data)

    def destroy(self, request, *args, **kwargs):
        self.require_admin()
        services.remove_juror(actor=request.user, seat=self.seat(kwargs["user_pk"]))
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    list=extend_schema(responses={200: JurorGroupSerializer(many=True), **READ_ERRORS}),
    create=extend_schema(request=JurorGroupSerializer, responses={201: JurorGroupSerializer, **ERRORS, **CONFLICT}),
    partial_update=extend_schema(request=JurorGroupSerializer,
                                 responses={200: JurorGroupSerializer, **ERRORS, **CONFLICT}),
)
class JurorGroupViewSet(RoadshowPart):
    """Weighted juror groups (e.g. 专家评审组 0.6 / 大众评审组 0.4); admins only."""

    serializer_class = JurorGroupSerializer
    model = JurorGroup

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        _require(request.user, "evaluations.view_progress", self.roadshow)

    def visible_queryset(self):
        return self.roadshow.groups.order_by("id")

    def list(self, request, *args, **kwargs):
        return self.paginated(self.get_queryset(), JurorGroupSerializer)

    def create(self, request, *args, **kwargs):
        self.require_admin()
        body = JurorGroupSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        group = services.save_juror_group(actor=request.user, roadshow=self.roadshow, **body.validated_data)
        return Response(JurorGroupSerializer(group).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        self.require_admin()
        group = get_or_404(self.get_queryset(), kwargs["pk"])
        body = JurorGroupSerializer(group, data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        data = {"name": group.name, "weight": group.weight, **body.validated_data}
        group = services.save_juror_group(actor=request.user, roadshow=self.roadshow, group=group, **data)
        return Response(JurorGroupSerializer(group).data)


@extend_schema_view(
    list=extend_schema(responses={200: RecusalSerializer(many=True), **READ_ERRORS}),
    create=extend_schema(request=RecusalCreateSerializer, responses={201: RecusalSerializer, **ERRORS, **CONFLICT}),
    destroy=extend_schema(responses={**NO_CONTENT, **ERRORS, **CONFLICT}),
)
class RecusalViewSet(RoadshowPart):
    """Every recusal of the roadshow, automatic (the union rule) and manual (with a reason);
    admins only. Only manual ones can be withdrawn."""

    serializer_class = RecusalSerializer
    model = Recusal

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        _require(request.user, "evaluations.view_progress", self.roadshow)

    def visible_queryset(self):
        return recusals_of(self.roadshow)

    def list(self, request, *args, **kwargs):
        return self.paginated(self.get_queryset(), RecusalSerializer)

    def create(self, request, *args, **kwargs):
        self.require_admin()
        body = RecusalCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        seat = self.roadshow.seats.filter(user_id=data["user"]).first()
        if seat is None:
            raise _field_error("user", _("该用户不是本次路演的评委。"))
        entry = self.roadshow.entries.filter(pk=data["entry"]).first()
        if entry is None:
            raise _field_error("entry", _("该项目不在本次路演中。"))
        recusal = services.add_manual_recusal(actor=request.user, seat=seat, entry=entry, reason=data["reason"])
        return Response(RecusalSerializer(self.get_queryset().get(pk=recusal.pk)).data,
                        status=status.HTTP_201_CREATED)

    def destroy(self, request, *args, **kwargs):
        self.require_admin()
        services.remove_manual_recusal(actor=request.user, recusal=get_or_404(self.get_queryset(), kwargs["pk"]))
        return Response(status=status.HTTP_204_NO_CONTENT)


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
        _require(request.user, "evaluations.add_roadshow", self.campaign)

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
            return card_visible_to(self.request.user, _bounded(self.kwargs["pk"]))
        except Scorecard.DoesNotExist:
            raise Http404 from None

    def _scorer_card(self):
        # Scoring is the card's juror's alone — not even an admin or a superuser fills it in.
        # The bare row is enough here (visible: else 404; the juror's: else 403): the service
        # locks it and reads what it needs.
        try:
            card = card_to_score(self.request.user, _bounded(self.kwargs["pk"]))
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
        _require(request.user, "evaluations.reopen_card", card)
        body = ReopenSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        card = services.reopen_card(actor=request.user, card=card, reason=body.validated_data["reason"])
        return self._answer(card)


# --- awards: tasks, objections, payouts, unit ranking ----------------------------------------

TASK_ID = r"[0-9A-Za-z-]{1,64}"


@extend_schema_view(retrieve=extend_schema(responses={200: TaskSerializer, **READ_ERRORS},
                                           summary="A background job: state, progress 0–100, result or error"))
class TaskViewSet(viewsets.GenericViewSet):
    """Background jobs (compute, unit ranking) by their task id; those of the roadshows the
    caller administers. Another admin's job, or an unknown id, is 404."""

    serializer_class = TaskSerializer
    lookup_field = "task_id"
    lookup_value_regex = TASK_ID
    filterset_class = None

    def get_queryset(self):
        return queries.jobs_visible_to(self.request.user)

    def retrieve(self, request, task_id=None):
        job = self.get_queryset().filter(task_id=str(task_id)[:64]).first()
        if job is None:
            raise Http404
        return Response(TaskSerializer(job).data)


@extend_schema_view(
    list=extend_schema(responses={200: ObjectionSerializer(many=True), **READ_ERRORS, **NOT_PUBLISHED},
                       summary="Objections: all for the roadshow's admins, the caller's union's otherwise"),
    create=extend_schema(request=ObjectionCreateSerializer,
                         responses={201: ObjectionSerializer, **ERRORS, **CONFLICT},
                         summary="File an objection on an entry (any union's staff, during 公示 only: 409 outside; "
                                 "409 over the limits or for a duplicate, 429 over the rate limit)"),
)
class RoadshowObjectionViewSet(RoadshowPart):
    """The objections (异议) of a roadshow's 公示."""

    serializer_class = ObjectionSerializer
    model = Objection

    def visible_queryset(self):
        return queries.objections_visible_to(self.request.user, self.roadshow)

    def list(self, request, *args, **kwargs):
        if not queries.may_see_results(request.user, self.roadshow):
            raise PermissionDenied(_("评定结果尚未公布。"))
        return self.paginated(self.get_queryset(), ObjectionSerializer)

    def create(self, request, *args, **kwargs):
        require_perm(request.user, "evaluations.file_objection", self.roadshow)
        body = ObjectionCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        entry = self.roadshow.entries.filter(pk=body.validated_data["entry"]).first()
        if entry is None:
            raise _field_error("entry", _("该项目不在本次路演中。"))
        try:
            objection = services.file_objection(actor=request.user, roadshow=self.roadshow, entry=entry,
                                                text=body.validated_data["text"])
        except services.RateLimited as exc:
            throttled = exceptions.Throttled(detail=str(exc.message))
            throttled.wait = exc.retry_after  # the Retry-After header, without DRF's English sentence
            raise throttled from None
        return Response(ObjectionSerializer(queries.objections_of(self.roadshow).get(pk=objection.pk)).data,
                        status=status.HTTP_201_CREATED)


class ObjectionViewSet(viewsets.GenericViewSet):
    """An objection by its id: the admin answers it."""

    serializer_class = ObjectionSerializer
    lookup_value_regex = ID
    parser_classes = PARSERS
    filterset_class = None

    def get_queryset(self):
        return queries.objections_visible_to(self.request.user)

    @extend_schema(request=AnswerSerializer, responses={200: ObjectionSerializer, **ERRORS, **CONFLICT},
                   summary="Answer an objection (admin; during 公示, once)")
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        objection = get_or_404(self.get_queryset(), pk)
        _require(request.user, "evaluations.manage_awards", objection.roadshow)
        body = AnswerSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.answer_objection(actor=request.user, objection=objection, answer=body.validated_data["answer"])
        return Response(ObjectionSerializer(self.get_queryset().get(pk=objection.pk)).data)


class PayoutFilter(filters.FilterSet):
    campaign = IdFilter(field_name="roadshow__campaign_id", label="campaign id")
    roadshow = IdFilter(field_name="roadshow_id", label="roadshow id")
    status = filters.ChoiceFilter(choices=PayoutStatus.choices)


@extend_schema_view(list=extend_schema(summary="Payouts: an admin's campaigns', a union's staff their own "
                                               "projects' (they exist once a roadshow is finalised)"))
class PayoutViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Subsidy payouts (以奖代拨): pending → approved → paid, each step by an admin."""

    serializer_class = PayoutSerializer
    filterset_class = PayoutFilter
    lookup_value_regex = ID
    parser_classes = PARSERS

    def get_queryset(self):
        return queries.payouts_visible_to(self.request.user).select_related("roadshow__campaign")

    def _step(self, request, pk, service):
        payout = get_or_404(self.get_queryset(), pk)
        _require(request.user, "evaluations.manage_awards", payout.roadshow)
        service(actor=request.user, payout=payout)
        return Response(PayoutSerializer(self.get_queryset().get(pk=payout.pk)).data)

    @extend_schema(request=None, responses={200: PayoutSerializer, **READ_ERRORS, **CONFLICT},
                   summary="pending → approved (admin)")
    @action(detail=True, methods=["post"], filterset_class=None)
    def approve(self, request, pk=None):
        return self._step(request, pk, services.approve_payout)

    @extend_schema(request=PayoutIdsSerializer, responses={200: PayoutSerializer(many=True), **ERRORS, **CONFLICT},
                   summary="pending → approved for several payouts at once, all or none (admin)",
                   operation_id="v1_payouts_bulk_approve")
    @action(detail=False, methods=["post"], url_path="approve", url_name="bulk-approve", filterset_class=None,
            pagination_class=None)
    def bulk_approve(self, request):
        _require(request.user, "evaluations.approve_payouts")
        body = PayoutIdsSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        ids = set(body.validated_data["ids"])
        payouts = list(self.get_queryset().filter(pk__in=ids))
        if len(payouts) != len(ids):
            raise Http404
        approved, _total = services.approve_payouts(actor=request.user, payouts=payouts)
        rows = self.get_queryset().filter(pk__in=[p.pk for p in approved]).order_by("pk")
        return Response(PayoutSerializer(rows, many=True).data)

    @extend_schema(request=None, responses={200: PayoutSerializer, **READ_ERRORS, **CONFLICT},
                   summary="approved → paid (admin); before approval 409")
    @action(detail=True, methods=["post"], url_path="mark-paid", url_name="mark-paid", filterset_class=None)
    def mark_paid(self, request, pk=None):
        return self._step(request, pk, services.mark_paid)


@extend_schema_view(list=extend_schema(parameters=[YearSerializer],
                                       summary="工会工作先进单位: the year's ranking (?year= required)"))
class UnitRankingViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The yearly ranking of top-level unions by their projects' tiers; computed as a job."""

    serializer_class = UnitRankingSerializer
    parser_classes = PARSERS
    filterset_class = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return UnitRanking.objects.none()
        year = YearSerializer(data=self.request.query_params)
        year.is_valid(raise_exception=True)
        return queries.unit_ranking(year.validated_data["year"])

    @extend_schema(request=YearSerializer, responses={**ACCEPTED, **ERRORS},
                   summary="Compute the year's ranking on a worker (admin) → 202 {task_id}")
    @action(detail=False, methods=["post"], filterset_class=None, pagination_class=None)
    def compute(self, request):
        _require(request.user, "evaluations.rank_units")
        body = YearSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return accepted(services.request_unit_ranking(actor=request.user, year=body.validated_data["year"]))
