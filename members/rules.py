"""Role predicates (django-rules). Object rules of other apps are composed from these."""

import rules
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _


@rules.predicate
def is_superuser(user):
    return bool(user and user.is_authenticated and user.is_superuser)


@rules.predicate
def has_admin_role(user):
    return bool(user and user.is_authenticated and user.is_admin_role)


@rules.predicate
def is_county_admin(user):
    return bool(user and user.is_authenticated and user.is_county_admin_role)


@rules.predicate
def is_staff_member(user):
    return bool(user and user.is_authenticated and user.is_staff_role)


@rules.predicate
def is_juror(user):
    return bool(user and user.is_authenticated and user.is_juror_role)


is_admin = is_superuser | has_admin_role


@rules.predicate
def manages_union(user, union):
    """Admins manage their own union's subtree; superusers manage every union."""
    if is_superuser(user):
        return True
    if not has_admin_role(user) or user.union_id is None:
        return False
    return union is None or union.is_within(user.union)


@rules.predicate
def manages_user(user, target):
    """Admins manage the users of their union's subtree (and those of no union); only a
    superuser manages a superuser."""
    if target is None or not is_admin(user):
        return False
    if target.is_superuser and not is_superuser(user):
        return False
    return target.union is None or manages_union(user, target.union)


# The name of the rule other apps fill in (at import of their rules.py) to say that a user sits
# on a jury whose work is not finished: members cannot know roadshows (the dependency points the
# other way), and an unknown rule is simply false.
SEATED_JUROR_RULE = "members.seated_on_unfinished_jury"


@rules.predicate
def is_seated_juror(user, target):
    """``target`` sits on a roadshow not yet finalised (``evaluations.rules`` answers)."""
    return bool(target is not None and target.pk and rules.test_rule(SEATED_JUROR_RULE, target))


def may(user, perm, obj=None):
    """The one permission question of services, views and the API alike: the rules
    themselves, for an active user. Not ``User.has_perm``, which says yes to a superuser for
    everything: a superuser holds the admin powers the rules grant, but is not a union's staff
    or a juror."""
    return bool(user is not None and user.is_active and rules.has_perm(perm, user, obj))


def require_perm(user, perm, obj=None):
    """``PermissionDenied`` (403 / the 403 page) unless :func:`may`."""
    if not may(user, perm, obj):
        raise PermissionDenied(_("您无权执行此操作。"))


rules.add_perm("members.manage_unions", is_admin)
rules.add_perm("members.manage_users", is_admin)
rules.add_perm("members.change_union", manages_union)
# Scoring is not an admin power: an admin who could set a seated juror's password could sign in
# as the juror and score. Such a juror gets a one-time reset link instead (issue 13).
rules.add_perm("members.set_password", manages_user & ~is_seated_juror)
rules.add_perm("members.reset_password", manages_user)
