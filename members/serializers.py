"""Shapes of members in the API (API.md, "Members"). Serializers validate shape only; the
rules (who may create what) are in ``members.services``."""

from django.contrib.auth import password_validation
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from unionproj.inputs import CleanInputSerializerMixin

from .enums import JurorKind, Role
from .models import Union, User


class TokenRequestSerializer(CleanInputSerializerMixin, serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, trim_whitespace=False, style={"input_type": "password"})


class TokenSerializer(CleanInputSerializerMixin, serializers.Serializer):
    token = serializers.CharField(read_only=True)


class LogoutSerializer(CleanInputSerializerMixin, serializers.Serializer):
    detail = serializers.CharField(read_only=True)
    revoked_tokens = serializers.IntegerField(read_only=True)


class PasswordResetSerializer(CleanInputSerializerMixin, serializers.Serializer):
    """A one-time reset link as issued to an admin (shown once)."""

    user = serializers.IntegerField(read_only=True)
    code = serializers.CharField(read_only=True)
    link = serializers.CharField(read_only=True)
    expires_at = serializers.DateTimeField(read_only=True)


class UnionSerializer(CleanInputSerializerMixin, serializers.ModelSerializer):
    parent = serializers.PrimaryKeyRelatedField(queryset=Union.objects.all(), allow_null=True, required=False)

    class Meta:
        model = Union
        fields = ["id", "name", "short_name", "level", "parent"]


class MeSerializer(CleanInputSerializerMixin, serializers.ModelSerializer):
    roles = serializers.ListField(child=serializers.ChoiceField(choices=Role.choices), read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "name", "union", "roles"]
        read_only_fields = fields


class UserSerializer(CleanInputSerializerMixin, serializers.ModelSerializer):
    """A user as admins read it."""

    roles = serializers.ListField(child=serializers.ChoiceField(choices=Role.choices), read_only=True)
    # Blank for everyone but jurors. Declared: a read-only model field loses ``allow_blank``, and
    # the schema would then promise one of the kinds.
    juror_kind = serializers.ChoiceField(choices=JurorKind.choices, allow_blank=True, read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "name", "phone", "union", "roles", "juror_kind", "is_active"]
        read_only_fields = fields


class UserCreateSerializer(CleanInputSerializerMixin, serializers.Serializer):
    """What an admin sends to create a user."""

    username = serializers.CharField(max_length=150, validators=[UnicodeUsernameValidator()])
    password = serializers.CharField(
        max_length=128, write_only=True, trim_whitespace=False, style={"input_type": "password"}
    )
    name = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    union = serializers.PrimaryKeyRelatedField(
        queryset=Union.objects.all(), allow_null=True, required=False, default=None
    )
    roles = serializers.ListField(
        child=serializers.ChoiceField(choices=Role.choices), allow_empty=True, required=False, default=list,
        max_length=len(Role.choices),
    )
    juror_kind = serializers.ChoiceField(choices=JurorKind.choices, required=False, allow_blank=True, default="")

    def validate(self, attrs):
        candidate = User(username=attrs["username"], name=attrs.get("name", ""))
        try:
            password_validation.validate_password(attrs["password"], candidate)
        except DjangoValidationError as exc:
            raise serializers.ValidationError({"password": list(exc.messages)}) from exc
        if len(set(attrs.get("roles", []))) != len(attrs.get("roles", [])):
            raise serializers.ValidationError({"roles": [_("角色不能重复。")]})
        return attrs
