"""API token authentication with limits (issue 13): DRF's ``Authorization: Token <key>``
header, looked up in :class:`members.models.ApiToken` by the key's digest, refused past the
token's idle (``API_TOKEN_IDLE_SECONDS``) or absolute (``API_TOKEN_ABSOLUTE_SECONDS``) limit.

The look-up is the one query DRF's own class runs (the token with its user); the limits are two
more conditions on that row, so a juror's autosave pays nothing for them. The idle limit moves
ahead with a write at most once every ``SESSION_REFRESH_SECONDS``.
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from . import credentials
from .audit import client_ip


class ExpiringTokenAuthentication(TokenAuthentication):
    def authenticate(self, request):
        self._request = request
        return super().authenticate(request)

    def authenticate_credentials(self, key):
        now = timezone.now()
        token = credentials.active_token(key, now)
        if token is None:
            if credentials.expire_token(key, ip=client_ip(getattr(self, "_request", None)) or ""):
                raise exceptions.AuthenticationFailed(_("登录令牌已过期，请重新登录。"))
            raise exceptions.AuthenticationFailed(_("登录令牌无效，请重新登录。"))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("该账号已停用，请联系管理员。"))
        credentials.touch_token(token, now)
        return token.user, token
