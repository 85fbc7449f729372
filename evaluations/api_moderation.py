"""The admin's recovery of a roadshow's entry and the bulk handling of objections (issue 21):

- ``POST /api/v1/roadshows/{id}/entries/{entry_id}/restore/`` ``{reason}`` → the entry; the
  project back to ``shortlisted`` (``services.restore_entry``);
- ``POST /api/v1/roadshows/{id}/entries/{entry_id}/withdraw/`` ``{reason}`` → ``200
  {withdrawn: {...}}``; the entry off the roadshow (``services.withdraw_entry``);
- ``POST /api/v1/roadshows/{id}/objections/answer/`` ``{ids, answer}`` and
  ``/objections/dismiss/`` ``{ids, reason}`` → the objections (all or none).
"""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from members.api import get_or_404
from members.rules import require_perm
from unionproj.inputs import CleanInputSerializerMixin

from . import queries, services
from .api import CONFLICT, ERRORS, RoadshowPart
from .models import Entry, Objection
from .queries import entries_of
from .serializers import EntrySerializer, ObjectionSerializer

MANAGE = "evaluations.manage_awards"


class RecoveryReasonSerializer(CleanInputSerializerMixin, serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class BulkAnswerSerializer(CleanInputSerializerMixin, serializers.Serializer):
    ids = serializers.ListField(child=serializers.IntegerField(min_value=1), min_length=1, max_length=500)
    answer = serializers.CharField(max_length=2000)


class BulkDismissSerializer(CleanInputSerializerMixin, serializers.Serializer):
    ids = serializers.ListField(child=serializers.IntegerField(min_value=1), min_length=1, max_length=500)
    reason = serializers.CharField(max_length=2000)


class WithdrawnSerializer(CleanInputSerializerMixin, serializers.Serializer):
    withdrawn = serializers.DictField(help_text="what went with the entry: project, order, cards, "
                                                "submitted_cards, objections, results")


class EntryRecoveryViewSet(RoadshowPart):
    """Recovery of an entry whose project left the state the roadshow expects (admin)."""

    serializer_class = EntrySerializer
    model = Entry

    def visible_queryset(self):
        return entries_of(self.roadshow)

    def _entry_and_reason(self, request):
        require_perm(request.user, MANAGE, self.roadshow)
        entry = get_or_404(Entry.objects.filter(roadshow=self.roadshow), self.kwargs["pk"])
        body = RecoveryReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return entry, body.validated_data["reason"]

    @extend_schema(request=RecoveryReasonSerializer, responses={200: EntrySerializer, **ERRORS, **CONFLICT},
                   summary="Put the entry's project back to shortlisted, with a reason (admin, before finalize)")
    def restore(self, request, *args, **kwargs):
        entry, reason = self._entry_and_reason(request)
        services.restore_entry(actor=request.user, roadshow=self.roadshow, entry=entry, reason=reason)
        return Response(EntrySerializer(entries_of(self.roadshow).get(pk=entry.pk)).data)

    @extend_schema(request=RecoveryReasonSerializer, responses={200: WithdrawnSerializer, **ERRORS, **CONFLICT},
                   summary="Take the entry off the roadshow with a reason (admin, until the results are published)")
    def withdraw(self, request, *args, **kwargs):
        entry, reason = self._entry_and_reason(request)
        withdrawn = services.withdraw_entry(actor=request.user, roadshow=self.roadshow, entry=entry, reason=reason)
        return Response({"withdrawn": withdrawn})


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
        require_perm(request.user, MANAGE, self.roadshow)
        body = BulkAnswerSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._done(services.answer_objections(actor=request.user, roadshow=self.roadshow,
                                                     ids=body.validated_data["ids"],
                                                     answer=body.validated_data["answer"]))

    @extend_schema(request=BulkDismissSerializer, responses={200: ObjectionSerializer(many=True), **ERRORS, **CONFLICT},
                   summary="Dismiss several objections with a reason (admin; all or none; counts as answered)")
    def dismiss(self, request, *args, **kwargs):
        require_perm(request.user, MANAGE, self.roadshow)
        body = BulkDismissSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._done(services.dismiss_objections(actor=request.user, roadshow=self.roadshow,
                                                      ids=body.validated_data["ids"],
                                                      reason=body.validated_data["reason"]))
