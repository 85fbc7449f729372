"""API shapes of the quorum (issue 13): an override reason given to close/compute, and the
overrides a roadshow carries."""

from rest_framework import serializers

from unionproj.inputs import CleanInputSerializerMixin

from .enums import EventAction


class OverrideReasonSerializer(CleanInputSerializerMixin, serializers.Serializer):
    """The optional body of ``…/entries/{id}/close/``, ``/close/`` and ``/compute/``."""

    override_reason = serializers.CharField(
        required=False, allow_blank=True, max_length=2000, trim_whitespace=True,
        help_text="why go on while entries are below quorum; without it such a request is 409 "
                  "({detail, state, below_quorum: [{entry, project, cards, quorum}]})")


class ShortfallSerializer(CleanInputSerializerMixin, serializers.Serializer):
    entry = serializers.IntegerField()
    project = serializers.CharField()
    cards = serializers.IntegerField(help_text="submitted cards at the time")
    quorum = serializers.IntegerField()


class QuorumOverrideSerializer(CleanInputSerializerMixin, serializers.Serializer):
    action = serializers.ChoiceField(choices=[(a.value, a.label) for a in (
        EventAction.CLOSE_ENTRY, EventAction.CLOSE, EventAction.REQUEST_COMPUTE)])
    reason = serializers.CharField()
    shortfall = ShortfallSerializer(many=True)
    actor = serializers.IntegerField(source="actor_id", allow_null=True)
    at = serializers.DateTimeField()
