"""``members.services.save_user``: roles, the union a role needs, juror kinds, unique usernames,
only admins of the user's union, and a history row for every save."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from members.enums import JurorKind, Role, UnionLevel
from members.models import User
from members.services import save_user
from tests.factories import (
    AdminFactory,
    CountyAdminFactory,
    JurorFactory,
    StaffFactory,
    UnionFactory,
    UserFactory,
)


@pytest.fixture
def admin(tree):
    return AdminFactory(username="city_admin", union=tree["city"])


def test_an_admin_creates_a_staff_member_with_a_usable_password(admin, tree):
    user = save_user(actor=admin, username="zhangsan", name="张三", phone="13800000000", union=tree["county_a"],
                     roles=["staff"], password="Zhang-san-2026!")
    user = User.objects.get(pk=user.pk)
    assert (user.name, user.phone, user.union) == ("张三", "13800000000", tree["county_a"])
    assert user.roles == ["staff"]
    assert user.is_staff_role and not user.is_admin_role
    assert user.check_password("Zhang-san-2026!")
    assert not user.is_staff  # the Django-admin flag is not a role
    assert not user.is_superuser


def test_a_user_created_without_a_password_cannot_log_in(admin, tree):
    user = save_user(actor=admin, username="lisi", union=tree["county_a"], roles=["staff"])
    assert not User.objects.get(pk=user.pk).has_usable_password()


def test_roles_are_set_and_cleared(admin, tree):
    user = save_user(actor=admin, username="wangwu", union=tree["county_a"], roles=["staff", "county_admin"])
    assert sorted(User.objects.get(pk=user.pk).roles) == ["county_admin", "staff"]
    user = save_user(actor=admin, user=user, username="wangwu", union=tree["county_a"], roles=["county_admin"])
    user = User.objects.get(pk=user.pk)
    assert user.roles == ["county_admin"]
    assert not user.is_staff_role
    save_user(actor=admin, user=user, username="wangwu", union=tree["county_a"], roles=[])
    assert User.objects.get(pk=user.pk).roles == []


def test_changing_a_user_keeps_the_password_when_none_is_given(admin, tree):
    user = save_user(actor=admin, username="zhaoliu", union=tree["county_a"], roles=["staff"], password="Pw-123456!")
    save_user(actor=admin, user=user, username="zhaoliu", name="赵六", union=tree["county_a"], roles=["staff"])
    user = User.objects.get(pk=user.pk)
    assert user.name == "赵六"
    assert user.check_password("Pw-123456!")


@pytest.mark.parametrize("role", [Role.ADMIN, Role.COUNTY_ADMIN, Role.STAFF])
def test_roles_of_a_union_need_a_union(role, admin):
    with pytest.raises(ValidationError) as err:
        save_user(actor=admin, username="nounion", roles=[role])
    assert "union" in err.value.message_dict
    assert not User.objects.filter(username="nounion").exists()


def test_a_juror_needs_no_union(admin):
    user = save_user(actor=admin, username="expert1", name="钱专家", roles=["juror"], juror_kind=JurorKind.EXPERT)
    user = User.objects.get(pk=user.pk)
    assert (user.union, user.roles, user.juror_kind) == (None, ["juror"], "expert")


def test_a_juror_kind_without_the_juror_role_is_refused(admin, tree):
    with pytest.raises(ValidationError) as err:
        save_user(actor=admin, username="notjuror", union=tree["county_a"], roles=["staff"],
                  juror_kind=JurorKind.MODEL_WORKER)
    assert "juror_kind" in err.value.message_dict
    assert not User.objects.filter(username="notjuror").exists()


def test_dropping_the_juror_role_drops_the_kind(admin, tree):
    user = save_user(actor=admin, username="leader", union=tree["county_a"], roles=["juror", "staff"],
                     juror_kind=JurorKind.UNION_LEADER)
    save_user(actor=admin, user=user, username="leader", union=tree["county_a"], roles=["staff"])
    assert User.objects.get(pk=user.pk).juror_kind == ""


@pytest.mark.parametrize("taken", ["zhangsan", "ZhangSan"])
def test_a_taken_username_is_refused_whatever_its_case(taken, admin, tree):
    StaffFactory(username="zhangsan", union=tree["county_a"])
    with pytest.raises(ValidationError) as err:
        save_user(actor=admin, username=taken, union=tree["county_a"], roles=["staff"])
    assert "username" in err.value.message_dict
    assert User.objects.filter(username__iexact="zhangsan").count() == 1


@pytest.mark.parametrize("factory", [StaffFactory, CountyAdminFactory, JurorFactory])
def test_non_admins_cannot_save_users(factory, tree):
    actor = factory(union=tree["city"] if factory is not JurorFactory else None)
    with pytest.raises(PermissionDenied):
        save_user(actor=actor, username="newbie", union=tree["county_a"], roles=["staff"])
    assert not User.objects.filter(username="newbie").exists()


def test_an_admin_manages_only_users_of_its_own_tree(tree):
    admin_a = AdminFactory(union=tree["county_a"])
    save_user(actor=admin_a, username="in_a1", union=tree["town_a1"], roles=["staff"])
    with pytest.raises(PermissionDenied):
        save_user(actor=admin_a, username="in_b", union=tree["county_b"], roles=["staff"])
    outsider = StaffFactory(union=tree["county_b"])
    with pytest.raises(PermissionDenied):
        save_user(actor=admin_a, user=outsider, username=outsider.username, union=tree["county_a"], roles=["staff"])
    outsider.refresh_from_db()
    assert outsider.union == tree["county_b"]


def test_an_admin_of_another_city_cannot_touch_our_users(tree):
    suzhou = UnionFactory(name="苏州市总工会", level=UnionLevel.MUNICIPAL)
    with pytest.raises(PermissionDenied):
        save_user(actor=AdminFactory(union=suzhou), username="x", union=tree["county_a"], roles=["staff"])


def test_a_superuser_saves_users_anywhere(tree):
    root = UserFactory(username="root", is_superuser=True)
    user = save_user(actor=root, username="anywhere", union=tree["county_b"], roles=["admin"])
    assert User.objects.get(pk=user.pk).roles == ["admin"]


def test_every_save_writes_a_history_row_with_the_actor(admin, tree):
    user = save_user(actor=admin, username="hist", union=tree["county_a"], roles=["staff"])
    assert user.history.count() == 1
    save_user(actor=admin, user=user, username="hist", union=tree["county_a"], roles=["staff", "juror"],
              juror_kind=JurorKind.WORKER_REP)
    assert user.history.count() == 2
    latest = user.history.first()
    assert latest.history_user == admin
    assert latest.is_juror_role and latest.juror_kind == "worker_rep"
    assert not hasattr(latest, "password")  # passwords stay out of the history


def test_a_refused_save_writes_no_history(admin, tree):
    user = save_user(actor=admin, username="stable", union=tree["county_a"], roles=["staff"])
    with pytest.raises(ValidationError):
        save_user(actor=admin, user=user, username="stable", roles=["staff"])  # no union
    assert user.history.count() == 1
