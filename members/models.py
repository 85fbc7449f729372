from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
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
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

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
