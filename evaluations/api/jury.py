"""``/roadshows/{id}/jurors|groups|recusals/``: the jury of a roadshow."""

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.response import Response

from evaluations import services
from members.queries import jury_pool
from members.rules import require_perm
from unionproj.api import get_or_404

from ..models import JurorGroup, JurySeat, Recusal
from ..queries import recusals_of, seats_of
from ..serializers import (
    JurorCreateSerializer,
    JurorGroupChangeSerializer,
    JurorGroupSerializer,
    JurorSerializer,
    RecusalCreateSerializer,
    RecusalSerializer,
)
from ._common import CONFLICT, ERRORS, NO_CONTENT, READ_ERRORS, RoadshowPart, bounded_pk, field_error


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
        require_perm(request.user, "evaluations.view_progress", self.roadshow)

    def visible_queryset(self):
        return seats_of(self.roadshow).prefetch_related("recusals")

    def seat(self, user_id):
        seat = self.get_queryset().filter(user_id=bounded_pk(user_id)).first()
        if seat is None:
            raise Http404
        return seat

    def group(self, group_id):
        if group_id is None:
            return None
        group = self.roadshow.groups.filter(pk=group_id).first()
        if group is None:
            raise field_error("group", _("该评审组不属于本次路演。"))
        return group

    def list(self, request, *args, **kwargs):
        return self.paginated(self.get_queryset(), JurorSerializer)

    def create(self, request, *args, **kwargs):
        self.require_admin()
        body = JurorCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        user = jury_pool().filter(pk=body.validated_data["user"]).first()
        if user is None:
            raise field_error("user", _("该用户不在评委库中。"))
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
        require_perm(request.user, "evaluations.view_progress", self.roadshow)

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
        require_perm(request.user, "evaluations.view_progress", self.roadshow)

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
            raise field_error("user", _("该用户不是本次路演的评委。"))
        entry = self.roadshow.entries.filter(pk=data["entry"]).first()
        if entry is None:
            raise field_error("entry", _("该项目不在本次路演中。"))
        recusal = services.add_manual_recusal(actor=request.user, seat=seat, entry=entry, reason=data["reason"])
        return Response(RecusalSerializer(self.get_queryset().get(pk=recusal.pk)).data,
                        status=status.HTTP_201_CREATED)

    def destroy(self, request, *args, **kwargs):
        self.require_admin()
        services.remove_manual_recusal(actor=request.user, recusal=get_or_404(self.get_queryset(), kwargs["pk"]))
        return Response(status=status.HTTP_204_NO_CONTENT)


