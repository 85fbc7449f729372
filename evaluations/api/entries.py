"""``/roadshows/{id}/entries/``: the entries of a roadshow, their order, opening and closing,
and their recovery (restore / withdraw)."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.response import Response

from evaluations import services
from evaluations.quorum_serializers import OverrideReasonSerializer
from members.rules import require_perm
from projects.queries import projects_visible_to
from unionproj.api import get_or_404
from unionproj.inputs import CleanInputSerializerMixin

from ..models import Entry
from ..queries import (
    entries_of,
)
from ..rules import MANAGE_AWARDS
from ..serializers import (
    EntryClosedSerializer,
    EntryCreateSerializer,
    EntrySerializer,
    ReorderSerializer,
)
from .common import (
    CONFLICT,
    ERRORS,
    NO_CONTENT,
    QUORUM_CONFLICT,
    READ_ERRORS,
    RoadshowPart,
    field_error,
    override_reason,
)


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
            raise field_error("project", _("项目不存在。"))
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






class RecoveryReasonSerializer(CleanInputSerializerMixin, serializers.Serializer):
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
        require_perm(request.user, MANAGE_AWARDS, self.roadshow)
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


