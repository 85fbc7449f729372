"""Members API (API.md, "Members" and "Conventions/Auth"). Thin: validate the shape, call one
service, answer. Who may do what is asked of the rules and services."""

from django.contrib.auth import authenticate, logout
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from django.urls import reverse
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

# (evaluations still imports ID, PARSERS and get_or_404 from here: keep the names until it does not.)
from unionproj.api import ID, PARSERS, get_or_404

from . import credentials, services
from .audit import client_ip
from .models import ApiToken, User
from .queries import unions_visible_to, users_managed_by
from .rules import require_perm
from .serializers import (
    LogoutSerializer,
    MeSerializer,
    PasswordResetSerializer,
    TokenRequestSerializer,
    TokenSerializer,
    UnionSerializer,
    UserCreateSerializer,
    UserSerializer,
)

def locked_out_detail():
    """The lockout message, read at request time in the user's language."""
    return _("登录失败次数过多，该账号已在本地址被临时锁定 1 小时。请稍后再试，或联系管理员解锁。")


class TokenView(APIView):
    """Exchange a username and password for an API token."""

    authentication_classes = ()
    permission_classes = (permissions.AllowAny,)
    parser_classes = PARSERS

    @extend_schema(
        request=TokenRequestSerializer,
        responses={200: TokenSerializer, 400: OpenApiResponse(description="wrong username or password"),
                   429: OpenApiResponse(description="locked out after too many failures (django-axes)")},
        auth=[],
    )
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        # The request goes along: django-axes counts failures per request.
        user = authenticate(
            request=request,
            username=serializer.validated_data["username"],
            password=serializer.validated_data["password"],
        )
        if getattr(request, "axes_locked_out", False):
            # django-axes marks the request; the answer stays JSON (its own page is HTML).
            return Response({"detail": locked_out_detail()}, status=status.HTTP_429_TOO_MANY_REQUESTS)
        if user is None or not user.is_active:
            return Response({"detail": _("用户名或密码错误。")}, status=status.HTTP_400_BAD_REQUEST)
        return Response({"token": credentials.issue_token(user=user)})


class LogoutView(APIView):
    """End the caller's login: a token ends that token (the caller's other tokens and sessions
    live on); a browser session is a logout as on the pages (every token and session of the
    user ends)."""

    parser_classes = PARSERS

    @extend_schema(request=None, responses={200: LogoutSerializer})
    def post(self, request):
        if isinstance(request.auth, ApiToken):
            credentials.revoke_token(token=request.auth, ip=client_ip(request) or "")
            return Response({"detail": _("已退出登录，该令牌已失效。"), "revoked_tokens": 1})
        count = credentials.revoke_logins(user=request.user, actor=request.user, cause="logout",
                                          ip=client_ip(request) or "")
        logout(request)
        return Response({"detail": _("已退出登录，本账号的全部令牌和会话已失效。"), "revoked_tokens": count})


class MeView(APIView):
    """The signed-in user."""

    parser_classes = PARSERS

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        return Response(MeSerializer(request.user).data)


class UnionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                   viewsets.GenericViewSet):
    """The organisation tree. Everyone signed in reads it; admins add unions below theirs."""

    serializer_class = UnionSerializer
    lookup_value_regex = ID
    parser_classes = PARSERS

    def get_queryset(self):
        return unions_visible_to(self.request.user).order_by("path")

    def get_object(self):
        return get_or_404(self.get_queryset(), self.kwargs["pk"])

    def create(self, request, *args, **kwargs):
        require_perm(request.user, "members.manage_unions")
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        union = services.save_union(
            actor=request.user, name=data["name"], level=data["level"], parent=data.get("parent"),
            short_name=data.get("short_name", ""),
        )
        return Response(self.get_serializer(union).data, status=status.HTTP_201_CREATED)


ADMINS_ONLY = {403: OpenApiResponse(description="not an admin")}


@extend_schema_view(
    list=extend_schema(responses={200: UserSerializer(many=True), **ADMINS_ONLY}),
    retrieve=extend_schema(responses={200: UserSerializer, **ADMINS_ONLY}),
)
class UserViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                  viewsets.GenericViewSet):
    """Users of the unions an admin manages. Only admins may read or create them."""

    serializer_class = UserSerializer
    lookup_value_regex = ID
    parser_classes = PARSERS

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        require_perm(request.user, "members.manage_users")

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return User.objects.none()
        return users_managed_by(self.request.user).order_by("username")

    def get_object(self):
        return get_or_404(self.get_queryset(), self.kwargs["pk"])

    @extend_schema(request=UserCreateSerializer, responses={201: UserSerializer, **ADMINS_ONLY})
    def create(self, request, *args, **kwargs):
        serializer = UserCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = services.save_user(actor=request.user, ip=client_ip(request) or "", **serializer.validated_data)
        return Response(UserSerializer(user).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={201: PasswordResetSerializer, **ADMINS_ONLY})
    @action(detail=True, methods=["post"], url_path="reset-password")
    def reset_password(self, request, pk=None):
        """A one-time password reset link for the user (the way to give a seated juror a new
        password): its code is in this answer only."""
        reset, code = credentials.issue_password_reset(actor=request.user, user=self.get_object(),
                                                       ip=client_ip(request) or "")
        link = request.build_absolute_uri(reverse("password_reset_code", args=[code]))
        return Response(PasswordResetSerializer({"user": reset.user_id, "code": code, "link": link,
                                                 "expires_at": reset.expires_at}).data,
                        status=status.HTTP_201_CREATED)

