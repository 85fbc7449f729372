"""Writes to credentials (issue 13): API tokens, the revocation of every login of a user, and
one-time password reset links.

A *revocation* ends every API token of the user and every session of theirs but the caller's
own (``User.auth_epoch`` is part of the session hash): a logout, a password change by the user
or by an admin, and an admin's reset link each revoke, and each revocation is one audit row.
Keys and codes are random and shown once; only their SHA-256 digest is stored.

``ip`` arguments are the caller's address, for the audit row only.
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from unionproj.text import quoted
from . import audit
from .models import ApiToken, AuditKind, PasswordReset, User
from .rules import is_juror, may


def digest(key):
    return hashlib.sha256(key.encode()).hexdigest()


# --- API tokens -----------------------------------------------------------------------------


def expired_q(now):
    """Tokens past their idle or absolute limit."""
    return Q(last_used_at__lte=now - timedelta(seconds=settings.API_TOKEN_IDLE_SECONDS)) | Q(
        created_at__lte=now - timedelta(seconds=settings.API_TOKEN_ABSOLUTE_SECONDS)
    )


def issue_token(*, user):
    """A new API token for ``user``; returns its key (the only time it exists in clear).
    Side effects: the user's expired tokens are deleted."""
    now = timezone.now()
    ApiToken.objects.filter(expired_q(now), user=user).delete()
    key = secrets.token_hex(20)
    ApiToken.objects.create(digest=digest(key), user=user, created_at=now, last_used_at=now)
    return key


def active_token(key, now):
    """The live token of ``key`` with its user, or ``None``: one query on the unique digest,
    whose limits are two more conditions on the same row."""
    live = ApiToken.objects.select_related("user").filter(
        digest=digest(key),
        last_used_at__gt=now - timedelta(seconds=settings.API_TOKEN_IDLE_SECONDS),
        created_at__gt=now - timedelta(seconds=settings.API_TOKEN_ABSOLUTE_SECONDS),
    )
    return next(iter(live), None)


def touch_token(token, now):
    """Push the idle limit ahead, at most once every ``SESSION_REFRESH_SECONDS`` (a juror's phone
    autosaving every two seconds must not write its token as often as its card)."""
    if (now - token.last_used_at).total_seconds() >= settings.SESSION_REFRESH_SECONDS:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


def expire_token(key, *, ip=""):
    """After a failed look-up: delete the token of ``key`` if it exists but is past a limit,
    and audit it. Returns whether there was one."""
    token = ApiToken.objects.select_related("user").filter(digest=digest(key)).first()
    if token is None:
        return False
    token.delete()
    audit.record(AuditKind.TOKEN_EXPIRED, user=token.user, ip=ip, object_type="api_token", object_id=token.pk,
                 reason=_("API 令牌超过时限"), data={"issued": token.created_at.isoformat(),
                                                   "last_used": token.last_used_at.isoformat()})
    return True


def revoke_token(*, token, ip=""):
    """The API logout: the caller's token ends (only that one). Audited."""
    ApiToken.objects.filter(pk=token.pk).delete()
    audit.record(AuditKind.TOKEN_REVOKED, user=token.user, ip=ip, object_type="api_token", object_id=token.pk,
                 to_value=token.user.get_username(), reason=_("API 退出登录，吊销本令牌"),
                 data={"tokens": 1, "sessions": False, "cause": "api_logout"})


# --- revoking every login of a user ---------------------------------------------------------

CAUSES = {
    "logout": gettext_lazy("退出登录"),
    "password_changed": gettext_lazy("本人修改密码"),
    "admin_password": gettext_lazy("管理员设置密码"),
    "admin_reset": gettext_lazy("管理员发放重置链接"),
    "reset_used": gettext_lazy("使用重置链接设置密码"),
}


def revoke_logins(*, user, actor, cause, ip=""):
    """End every API token and every session of ``user`` (a session that should live on —
    the caller's own after a password change — is given the new hash with Django's
    ``update_session_auth_hash``). Side effects: ``user.auth_epoch`` is bumped (also on the
    instance), the tokens are deleted, one ``token_revoked`` audit row."""
    User.objects.filter(pk=user.pk).update(auth_epoch=F("auth_epoch") + 1)
    user.refresh_from_db(fields=["auth_epoch"])
    count, _deleted = ApiToken.objects.filter(user=user).delete()
    audit.record(AuditKind.TOKEN_REVOKED, user=actor, username=actor.get_username() if actor else "", ip=ip,
                 object_type="user", object_id=user.pk, to_value=user.get_username(),
                 reason=_("%(cause)s：吊销 %(user)s 的全部令牌和其他会话")
                 % {"cause": CAUSES[cause], "user": user.get_username()},
                 data={"tokens": count, "sessions": True, "cause": cause})
    return count


def record_password_changed(*, user, ip=""):
    """The user changed their own password (already saved): audited, and every token and
    session of theirs ends (the caller keeps the current one with the new hash)."""
    audit.record(AuditKind.PASSWORD_CHANGED, user=user, ip=ip, object_type="user", object_id=user.pk,
                 to_value=user.get_username(), reason=_("本人修改了密码"))
    revoke_logins(user=user, actor=user, cause="password_changed", ip=ip)


# --- admins and passwords -------------------------------------------------------------------


def require_may_set_password(actor, user):
    """Admins never set the password of a juror seated on a roadshow not yet finalised (they
    issue a reset link instead): otherwise they could sign in as the juror and score."""
    if actor is not None and user is not None and user.pk and not may(actor, "members.set_password", user):
        raise PermissionDenied(_("%(user)s是尚未定稿路演的评委，管理员不能为其设置密码；请改为发放一次性重置链接。")
                               % {"user": quoted(user.display_name)})


def record_admin_password(*, actor, user, created, ip=""):
    """An admin gave ``user`` a password (new account or changed): audited, and a change
    revokes the user's logins."""
    audit.record(AuditKind.ADMIN_PASSWORD, user=actor, ip=ip, object_type="user", object_id=user.pk,
                 to_value=user.get_username(),
                 reason=(_("管理员 %(admin)s 为新用户 %(user)s 设置了初始密码") if created
                         else _("管理员 %(admin)s 修改了 %(user)s 的密码"))
                 % {"admin": actor.get_username(), "user": user.get_username()})
    if not created:
        revoke_logins(user=user, actor=actor, cause="admin_password", ip=ip)


@transaction.atomic
def issue_password_reset(*, actor, user, ip=""):
    """A one-time reset link for ``user`` (any user the admin manages). Returns
    ``(reset, code)``; the code is shown once. Side effects: the user's password stops working
    (unusable until the link is used), earlier unused links are voided, every login of the
    user is revoked, one ``admin_reset`` audit row (and one ``token_revoked``).

    Raises ``PermissionDenied`` unless ``actor`` manages the user."""
    if not may(actor, "members.reset_password", user):
        raise PermissionDenied(_("您无权管理该用户。"))
    user = User.objects.select_for_update().get(pk=user.pk)
    now = timezone.now()
    PasswordReset.objects.filter(user=user, used_at__isnull=True).update(used_at=now)
    code = secrets.token_urlsafe(24)
    reset = PasswordReset.objects.create(
        digest=digest(code), user=user, created_by=actor, created_at=now,
        expires_at=now + timedelta(seconds=settings.PASSWORD_RESET_SECONDS),
    )
    user.set_unusable_password()
    user._history_user = actor
    user.save()
    role = _("评委") if is_juror(user) else _("用户")
    audit.record(AuditKind.ADMIN_RESET, user=actor, ip=ip, object_type="user", object_id=user.pk,
                 to_value=user.get_username(),
                 reason=_("管理员 %(admin)s 重置了%(role)s %(user)s 的密码（一次性链接，%(until)s 前有效）")
                 % {"admin": actor.get_username(), "role": role, "user": user.get_username(),
                    "until": timezone.localtime(reset.expires_at).strftime("%Y-%m-%d %H:%M")},
                 data={"reset": reset.pk, "expires": reset.expires_at.isoformat()})
    revoke_logins(user=user, actor=actor, cause="admin_reset", ip=ip)
    return reset, code


def pending_reset(code):
    """The unused, unexpired reset of ``code``, or ``None``."""
    if not code or len(code) > 100:
        return None
    return PasswordReset.objects.select_related("user").filter(
        digest=digest(code), used_at__isnull=True, expires_at__gt=timezone.now(), user__is_active=True,
    ).first()


@transaction.atomic
def redeem_password_reset(*, code, password, ip=""):
    """The user sets a new password with a reset link. Side effects: the link is used up, every
    login of the user is revoked, one ``reset_used`` audit row (and one ``token_revoked``).

    Raises ``ValidationError`` when the link is unknown, used or expired."""
    reset = pending_reset(code)
    if reset is None:
        raise ValidationError(_("重置链接无效、已使用或已过期，请联系管理员重新发放。"))
    reset = PasswordReset.objects.select_for_update().get(pk=reset.pk)
    if reset.used_at is not None:
        raise ValidationError(_("重置链接无效、已使用或已过期，请联系管理员重新发放。"))
    reset.used_at = timezone.now()
    reset.save(update_fields=["used_at"])
    user = reset.user
    user.set_password(password)
    user._history_user = user
    user.save()
    audit.record(AuditKind.RESET_USED, user=user, ip=ip, object_type="user", object_id=user.pk,
                 to_value=user.get_username(), reason=_("%(user)s 使用一次性链接设置了新密码") % {"user": user.get_username()},
                 data={"reset": reset.pk, "issued_by": reset.created_by_id})
    revoke_logins(user=user, actor=user, cause="reset_used", ip=ip)
    return user
