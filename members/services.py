"""Writes to members: unions and users. Each is one transaction, checked and recorded.

The record is django-simple-history's (who, when, what changed) on ``Union`` and ``User``.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from . import credentials
from .enums import JurorKind, Role, UnionLevel
from .models import Union, User
from .rules import is_admin, is_superuser, manages_union
from .signals import union_parent_changed, user_union_changed


def _stored(model, obj, field):
    """``field`` of ``obj`` as stored, its row locked until the transaction ends (two admins
    moving the same user or union take turns, and each sees the other's move); None for a new
    object. FOR NO KEY UPDATE: rows inserted meanwhile that refer to this one (a juror's own
    scoring event names the juror) take a key-share lock, which a plain FOR UPDATE would block —
    and the recusal receivers then wait for that juror's card: a deadlock."""
    if obj is None or obj.pk is None:
        return None
    return model.objects.select_for_update(no_key=True).filter(pk=obj.pk).values_list(field, flat=True).first()


def _with_actor(obj, actor):
    obj._history_user = actor
    return obj


@transaction.atomic
def save_union(*, actor, union=None, name, level, parent=None, short_name=""):
    """Create or change a union. Side effects: the subtree's paths follow a moved union
    (``Union.save``); a move sends ``union_parent_changed``, whose receivers update what depends
    on the tree (the automatic recusals of roadshows) in this transaction.

    Raises ``PermissionDenied`` when ``actor`` does not manage the parent (or the union),
    ``ValidationError`` for a cycle or a root below the municipal level, and ``StateConflict``
    when a receiver refuses the move (nothing is then changed).
    """
    if actor is not None and not (manages_union(actor, parent) and (union is None or manages_union(actor, union))):
        raise PermissionDenied(_("您无权管理该工会。"))
    if actor is not None and parent is None and (union is None or union.parent_id is not None) and not (
        is_superuser(actor)
    ):
        # A new root is a new federation's tree: outside any admin's own subtree.
        raise PermissionDenied(_("只有超级管理员可以新建市总工会。"))
    if parent is None and level != UnionLevel.MUNICIPAL:
        raise ValidationError({"parent": _("只有市总工会可以没有上级工会。")})
    if union is not None and parent is not None and parent.is_within(union):
        raise ValidationError({"parent": _("上级工会不能是本工会或其下级工会。")})
    if Union.objects.filter(name=name).exclude(pk=union.pk if union else None).exists():
        raise ValidationError({"name": _("已有同名的工会。")})
    old_parent_id = _stored(Union, union, "parent_id")
    moved = union is not None and union.pk is not None and old_parent_id != (parent.pk if parent else None)
    union = union or Union()
    union.name, union.short_name, union.level, union.parent = name, short_name, level, parent
    _with_actor(union, actor).save()
    if moved:
        union_parent_changed.send(sender=Union, actor=actor, union=union,
                                  old_parent=Union.objects.filter(pk=old_parent_id).first())
    return union


@transaction.atomic
def save_user(*, actor, user=None, username, name="", phone="", union=None, roles=(), juror_kind="",
              password=None, email="", is_active=True, ip=""):
    """Create or change a user with roles. Side effects: the password is hashed when given; an
    admin's password is audited (``admin_password``) and, for an existing user, revokes every
    token and session of the user (``members.credentials.revoke_logins``); a change of union
    sends ``user_union_changed``, whose receivers update what depends on it (the juror's
    automatic recusals) in this transaction.

    Raises ``PermissionDenied`` unless ``actor`` is an admin managing the user's union, or when
    ``actor`` gives a password to a juror seated on a roadshow not yet finalised (a reset link is
    the way: ``members.credentials.issue_password_reset``), ``ValidationError`` for a role that
    needs a union without one, or a juror kind without the role, and ``StateConflict`` when a
    receiver refuses the change of union (nothing is then changed).
    """
    if actor is not None:
        if not is_admin(actor) or (union is not None and not manages_union(actor, union)):
            raise PermissionDenied(_("您无权管理该用户。"))
        if user is not None and user.union is not None and not manages_union(actor, user.union):
            raise PermissionDenied(_("您无权管理该用户。"))
        if user is not None and user.is_superuser and not actor.is_superuser:
            raise PermissionDenied(_("您无权管理该用户。"))
    if password:
        credentials.require_may_set_password(actor, user)
    roles = [Role(r) for r in roles]
    union_roles = {Role.ADMIN, Role.COUNTY_ADMIN, Role.STAFF}
    if union is None and union_roles.intersection(roles):
        raise ValidationError({"union": _("管理员、区县管理员和申报员必须属于一个工会。")})
    if juror_kind and juror_kind not in JurorKind.values:
        raise ValidationError({"juror_kind": _("未知的评委类别。")})
    if juror_kind and Role.JUROR not in roles:
        raise ValidationError({"juror_kind": _("只有评委才有评委类别。")})
    if user is None:
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError({"username": _("该用户名已被使用。")})
        user = User(username=username)
    old_union_id = _stored(User, user, "union_id")
    moved = user.pk is not None and old_union_id != (union.pk if union else None)
    user.name, user.phone, user.union, user.email = name, phone, union, email
    user.juror_kind = juror_kind if Role.JUROR in roles else ""
    user.is_active = is_active
    user.set_roles(roles)
    created = user.pk is None
    if password:
        user.set_password(password)
    elif created:
        user.set_unusable_password()
    _with_actor(user, actor).save()
    if moved:
        user_union_changed.send(sender=User, actor=actor, user=user,
                                old_union=Union.objects.filter(pk=old_union_id).first())
    if password and actor is not None:
        credentials.record_admin_password(actor=actor, user=user, created=created, ip=ip)
    return user
