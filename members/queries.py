"""Reads of the organisation tree. The subtree is one prefix query on ``Union.path``."""

from django.db.models import Q

from .models import Union, User


def subtree(union):
    """The union and every union below it."""
    return Union.objects.filter(path__startswith=union.path)


def subtree_q(union, field="union"):
    """A ``Q`` matching rows whose ``field`` union lies in ``union``'s subtree."""
    return Q(**{f"{field}__path__startswith": union.path})


def reads_union_records(user):
    """Whether ``user`` works on a union's records (staff, county admin, admin, superuser). A
    pure juror does not, even with a union: of the records they read their roadshows and cards
    only (the public reference data — the union tree, the campaigns — they read like everyone)."""
    return user.is_authenticated and (
        user.is_superuser or user.is_staff_role or user.is_county_admin_role or user.is_admin_role)


def unions_visible_to(user):
    """Everyone signed in may read the tree (names only); it is needed to pick a union."""
    return Union.objects.all() if user.is_authenticated else Union.objects.none()


def unions_managed_by(user):
    if user.is_superuser:
        return Union.objects.all()
    if user.is_admin_role and user.union_id:
        return subtree(user.union)
    return Union.objects.none()


def users_managed_by(user):
    if user.is_superuser:
        return User.objects.all()
    if user.is_admin_role and user.union_id:
        # Jurors of the pool may belong to no union; admins manage them too (not superusers).
        return User.objects.filter(
            Q(union__path__startswith=user.union.path) | Q(union__isnull=True, is_superuser=False)
        )
    return User.objects.none()


def jury_pool():
    return User.objects.filter(is_juror_role=True, is_active=True)
