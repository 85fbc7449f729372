"""The awards API (评定等次 → 以奖代拨): the awards' actions on ``/roadshows/{id}/`` and the
roadshow with its ``tiers`` (``RoadshowViewSet``, the one routed), compute tasks, objections,
payouts and the unit ranking."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from evaluations.api import roadshows
from evaluations.api.common import (
    CONFLICT,
    ERRORS,
    QUORUM_CONFLICT,
    READ_ERRORS,
    RoadshowPart,
    field_error,
    override_reason,
)
from evaluations.quorum_serializers import OverrideReasonSerializer
from evaluations.rules import MANAGE_AWARDS
from members.rules import require_perm
from unionproj.api import ID, PARSERS, IdFilter, get_or_404
from unionproj.inputs import CleanInputSerializerMixin

from . import queries, services
from .enums import TIER_STATES, JobState, PayoutStatus
from .models import Objection, UnitRanking
from .serializers import (
    AnswerSerializer,
    AwardResultSerializer,
    ObjectionCreateSerializer,
    ObjectionSerializer,
    PayoutIdsSerializer,
    PayoutSerializer,
    PreviewInputSerializer,
    PreviewSerializer,
    PublicizeSerializer,
    ResultsReopenSerializer,
    RoadshowCreateSerializer,
    RoadshowSerializer,
    RoadshowUpdateSerializer,
    TaskAcceptedSerializer,
    TaskSerializer,
    TierSerializer,
    TiersInputSerializer,
    UnitRankingSerializer,
    YearSerializer,
    tier_rows,
)

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
        require_perm(self.request.user, MANAGE_AWARDS, roadshow)
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
            require_perm(request.user, MANAGE_AWARDS, roadshow)
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
            raise field_error("entry", _("该项目不在本次路演中。"))
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
        require_perm(request.user, MANAGE_AWARDS, objection.roadshow)
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
        require_perm(request.user, MANAGE_AWARDS, payout.roadshow)
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
        require_perm(request.user, "evaluations.approve_payouts")
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
        require_perm(request.user, "evaluations.rank_units")
        body = YearSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return accepted(services.request_unit_ranking(actor=request.user, year=body.validated_data["year"]))


class BulkAnswerSerializer(CleanInputSerializerMixin, serializers.Serializer):
    ids = serializers.ListField(child=serializers.IntegerField(min_value=1), min_length=1, max_length=500)
    answer = serializers.CharField(max_length=2000)


class BulkDismissSerializer(CleanInputSerializerMixin, serializers.Serializer):
    ids = serializers.ListField(child=serializers.IntegerField(min_value=1), min_length=1, max_length=500)
    reason = serializers.CharField(max_length=2000)




class ObjectionBulkViewSet(RoadshowPart):
    """Answer or dismiss several objections of a roadshow at once (admin, during 公示)."""

    serializer_class = ObjectionSerializer
    model = Objection

    def visible_queryset(self):
        return queries.objections_of(self.roadshow)

    def _done(self, objections):
        fresh = queries.objections_of(self.roadshow).filter(pk__in=[o.pk for o in objections])
        return Response(ObjectionSerializer(fresh, many=True).data)

    @extend_schema(request=BulkAnswerSerializer, responses={200: ObjectionSerializer(many=True), **ERRORS, **CONFLICT},
                   summary="Answer several objections with one text (admin; all or none)")
    def answer(self, request, *args, **kwargs):
        require_perm(request.user, MANAGE_AWARDS, self.roadshow)
        body = BulkAnswerSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._done(services.answer_objections(actor=request.user, roadshow=self.roadshow,
                                                     ids=body.validated_data["ids"],
                                                     answer=body.validated_data["answer"]))

    @extend_schema(request=BulkDismissSerializer, responses={200: ObjectionSerializer(many=True), **ERRORS, **CONFLICT},
                   summary="Dismiss several objections with a reason (admin; all or none; counts as answered)")
    def dismiss(self, request, *args, **kwargs):
        require_perm(request.user, MANAGE_AWARDS, self.roadshow)
        body = BulkDismissSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._done(services.dismiss_objections(actor=request.user, roadshow=self.roadshow,
                                                      ids=body.validated_data["ids"],
                                                      reason=body.validated_data["reason"]))


# --- /roadshows/: the scoring app's roadshow with the awards' tiers and actions ----------------


@extend_schema_view(
    create=extend_schema(request=RoadshowCreateSerializer, responses={201: RoadshowSerializer, **ERRORS}),
    partial_update=extend_schema(request=RoadshowUpdateSerializer,
                                 responses={200: RoadshowSerializer, **ERRORS, **CONFLICT}),
    retrieve=extend_schema(responses={200: RoadshowSerializer, **READ_ERRORS}),
    start=extend_schema(responses={200: RoadshowSerializer, **READ_ERRORS, **CONFLICT}),
    close=extend_schema(responses={200: RoadshowSerializer, **ERRORS, **QUORUM_CONFLICT}),
)
class RoadshowViewSet(RoadshowAwardsMixin, roadshows.RoadshowViewSet):
    __doc__ = roadshows.RoadshowViewSet.__doc__

    serializer_class = RoadshowSerializer
    create_serializer_class = RoadshowCreateSerializer
    update_serializer_class = RoadshowUpdateSerializer
    prefetch = (*roadshows.RoadshowViewSet.prefetch, "tiers")
    extra_fields = ("tiers",)

    def save_extra(self, roadshow, extra, *, created):
        """The tier rules of the body: at creation only when given, on a PATCH even when empty."""
        tiers = extra.get("tiers")
        if tiers or (not created and tiers is not None):
            services.save_tiers(actor=self.request.user, roadshow=roadshow, tiers=tiers)
