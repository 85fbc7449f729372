from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.crypto import salted_hmac
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .enums import JurorKind, Role, UnionLevel


class Union(models.Model):
    """A trade union in the organisation tree (市总 → 市(县)区总/直属 → 镇街 → 基层).

    ``path`` is the materialised chain of ids from the root ("/1/4/17/"), kept by
    :func:`members.services.save_union`, so that a whole subtree is one indexed prefix query.
    """

    name = models.CharField(_("名称"), max_length=120, unique=True)
    short_name = models.CharField(_("简称"), max_length=40, blank=True)
    level = models.CharField(_("层级"), max_length=16, choices=UnionLevel.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级工会"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("工会")
        verbose_name_plural = _("工会")
        ordering = ["path"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        """Save, then keep ``path``/``depth`` of this union and its subtree true."""
        super().save(*args, **kwargs)
        parent = self.parent
        new_path = f"{parent.path if parent else '/'}{self.pk}/"
        if new_path == self.path:
            return
        old_path = self.path
        self.path, self.depth = new_path, new_path.count("/") - 2
        Union.objects.filter(pk=self.pk).update(path=self.path, depth=self.depth)
        if old_path:
            # Descendants keep their tail and take the new head.
            for child in Union.objects.filter(path__startswith=old_path).exclude(pk=self.pk):
                path = new_path + child.path[len(old_path):]
                Union.objects.filter(pk=child.pk).update(path=path, depth=path.count("/") - 2)

    @property
    def display_name(self):
        return self.short_name or self.name

    def ancestor_ids(self):
        """Ids from the root down to this union, this one included."""
        return [int(p) for p in self.path.strip("/").split("/") if p]

    def is_within(self, other):
        """True when this union is ``other`` or lies below it."""
        return bool(other and other.path and self.path.startswith(other.path))


class User(AbstractUser):
    """A person on the platform. Roles are flags because one person may hold several."""

    name = models.CharField(_("姓名"), max_length=60, blank=True)
    phone = models.CharField(_("手机"), max_length=20, blank=True)
    union = models.ForeignKey(
        Union, verbose_name=_("所在工会"), null=True, blank=True, on_delete=models.PROTECT, related_name="members"
    )
    is_admin_role = models.BooleanField(_("市总管理员"), default=False)
    is_county_admin_role = models.BooleanField(_("区县管理员"), default=False)
    is_staff_role = models.BooleanField(_("申报员"), default=False)
    is_juror_role = models.BooleanField(_("评委"), default=False)
    juror_kind = models.CharField(_("评委类别"), max_length=16, choices=JurorKind.choices, blank=True)
    # Bumped to end every session of the user at once (logout, password change, reset): it is
    # part of the session's hash, so the next request of any other session finds it stale.
    auth_epoch = models.PositiveIntegerField(default=0, editable=False)
    history = HistoricalRecords(excluded_fields=["password", "last_login", "auth_epoch"])

    objects = UserManager()

    ROLE_FIELDS = {
        Role.ADMIN: "is_admin_role",
        Role.COUNTY_ADMIN: "is_county_admin_role",
        Role.STAFF: "is_staff_role",
        Role.JUROR: "is_juror_role",
    }

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        ordering = ["username"]

    def __str__(self):
        return self.name or self.username

    @property
    def display_name(self):
        return self.name or self.username

    @property
    def roles(self):
        return [role.value for role, field in self.ROLE_FIELDS.items() if getattr(self, field)]

    def has_role(self, role):
        return bool(getattr(self, self.ROLE_FIELDS[Role(role)]))

    def set_roles(self, roles):
        roles = {Role(r) for r in roles}
        for role, field in self.ROLE_FIELDS.items():
            setattr(self, field, role in roles)

    def role_labels(self):
        return [Role(r).label for r in self.roles]

    def _get_session_auth_hash(self, secret=None):
        """Django's hash of the password, with ``auth_epoch`` added once it has been bumped (so
        the sessions of users never revoked stay valid across the upgrade)."""
        if not self.auth_epoch:
            return super()._get_session_auth_hash(secret=secret)
        return salted_hmac("members.User.session_auth_hash", f"{self.password}${self.auth_epoch}",
                           secret=secret, algorithm="sha256").hexdigest()


class ApiToken(models.Model):
    """An API token (``Authorization: Token <key>``). Only the SHA-256 digest of the key is
    stored; the key is shown once, when issued (:mod:`members.credentials`). A token ends
    ``API_TOKEN_IDLE_SECONDS`` after its last use and ``API_TOKEN_ABSOLUTE_SECONDS`` after it
    was issued, and with every revocation of its user's logins."""

    digest = models.CharField(max_length=64, unique=True, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    created_at = models.DateTimeField(default=timezone.now, db_index=True, editable=False)
    last_used_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("API 令牌")
        verbose_name_plural = _("API 令牌")

    def __str__(self):
        return f"{self.user} {self.created_at:%Y-%m-%d %H:%M}"


class PasswordReset(models.Model):
    """A one-time password reset link an admin issued for a user (issue 13): only the digest
    of its code is stored, it is valid ``PASSWORD_RESET_SECONDS`` and used at most once."""

    digest = models.CharField(max_length=64, unique=True, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_resets")
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("密码重置链接")
        verbose_name_plural = _("密码重置链接")


# --- the audit log (issue 8): append-only ---------------------------------------------------


class AuditKind(models.TextChoices):
    LOGIN = "login", _("登录")
    LOGIN_FAILED = "login_failed", _("登录失败")
    LOGOUT = "logout", _("退出登录")
    LOCKOUT = "lockout", _("账号锁定")
    UNLOCK = "unlock", _("解除锁定")
    SESSION_EXPIRED = "session_expired", _("会话超时")
    DENIED = "denied", _("越权访问")
    TOKEN_REVOKED = "token_revoked", _("吊销登录")
    TOKEN_EXPIRED = "token_expired", _("令牌过期")
    PASSWORD_CHANGED = "password_changed", _("修改密码")
    ADMIN_PASSWORD = "admin_password", _("管理员设置密码")
    ADMIN_RESET = "admin_reset", _("管理员发放重置链接")
    RESET_USED = "reset_used", _("使用重置链接")


class AuditQuerySet(models.QuerySet):
    """Rows are added, never changed nor removed, not even in bulk."""

    def update(self, **kwargs):
        raise PermissionError("audit rows are append-only")

    def delete(self):
        raise PermissionError("audit rows are append-only")

    _raw_delete = delete


class AuditLog(models.Model):
    """One security event: who, when, what, from, to, why, from which address. Written by
    :mod:`members.audit`; state and money changes live in ``ProjectEvent`` and
    ``EvaluationEvent`` and are shown beside these rows on the audit page."""

    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True, editable=False)
    kind = models.CharField(_("类别"), max_length=20, choices=AuditKind.choices, db_index=True)
    # No database constraint: deleting a user must not touch (or be blocked by) the audit.
    user = models.ForeignKey(
        "members.User", verbose_name=_("用户"), null=True, blank=True, on_delete=models.DO_NOTHING,
        db_constraint=False, related_name="+",
    )
    username = models.CharField(_("用户名"), max_length=150, blank=True)
    ip = models.CharField(_("IP 地址"), max_length=45, blank=True)
    method = models.CharField(max_length=10, blank=True)
    path = models.CharField(_("地址"), max_length=255, blank=True)
    object_type = models.CharField(_("对象"), max_length=40, blank=True)
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    from_value = models.CharField(_("原值"), max_length=64, blank=True)
    to_value = models.CharField(_("新值"), max_length=64, blank=True)
    reason = models.TextField(_("说明"), blank=True)
    data = models.JSONField(default=dict, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("安全审计记录")
        verbose_name_plural = _("安全审计记录")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.kind} {self.username}"

    def save(self, *args, **kwargs):
        # Only ever an INSERT: a loaded row saved again is an attempt to rewrite history.
        if not self._state.adding:
            raise PermissionError("audit rows are append-only")
        kwargs.pop("force_update", None)
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("audit rows are append-only")
