"""Role predicates (django-rules). Object rules of other apps are composed from these."""

import rules


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


rules.add_perm("members.manage_unions", is_admin)
rules.add_perm("members.manage_users", is_admin)
rules.add_perm("members.change_union", manages_union)
