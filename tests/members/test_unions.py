"""The union tree: ``Union.path`` kept true by ``members.services.save_union`` on create and on
moving a subtree; cycles and non-municipal roots refused; who manages which union."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from members.enums import UnionLevel
from members.models import Union
from members.queries import subtree, unions_managed_by
from members.rules import manages_union
from members.services import save_union
from tests.factories import (
    AdminFactory,
    CountyAdminFactory,
    JurorFactory,
    StaffFactory,
    UserFactory,
)


@pytest.fixture
def root_user(db):
    return UserFactory(username="root", is_superuser=True)


@pytest.fixture
def city(root_user):
    return save_union(actor=root_user, name="无锡市总工会", short_name="市总", level=UnionLevel.MUNICIPAL)


@pytest.fixture
def branch(city, root_user):
    """市总 ─ 江阴 ─ 澄江 ─ 某公司工会, and 宜兴 beside 江阴."""
    jiangyin = save_union(actor=root_user, name="江阴市总工会", level=UnionLevel.COUNTY, parent=city)
    chengjiang = save_union(actor=root_user, name="澄江街道总工会", level=UnionLevel.TOWN, parent=jiangyin)
    company = save_union(actor=root_user, name="某公司工会", level=UnionLevel.GRASSROOTS, parent=chengjiang)
    yixing = save_union(actor=root_user, name="宜兴市总工会", level=UnionLevel.COUNTY, parent=city)
    return {"jiangyin": jiangyin, "chengjiang": chengjiang, "company": company, "yixing": yixing}


def fresh(union):
    return Union.objects.get(pk=union.pk)


def test_a_new_union_gets_its_path_from_the_root(city, branch):
    j, c, g = branch["jiangyin"], branch["chengjiang"], branch["company"]
    assert fresh(city).path == f"/{city.pk}/"
    assert fresh(j).path == f"/{city.pk}/{j.pk}/"
    assert fresh(g).path == f"/{city.pk}/{j.pk}/{c.pk}/{g.pk}/"
    assert [fresh(u).depth for u in (city, j, c, g)] == [0, 1, 2, 3]
    assert g.ancestor_ids() == [city.pk, j.pk, c.pk, g.pk]


def test_moving_a_union_takes_its_whole_subtree_along(city, branch, root_user):
    j, c, g, y = branch["jiangyin"], branch["chengjiang"], branch["company"], branch["yixing"]
    save_union(actor=root_user, union=fresh(c), name=c.name, level=c.level, parent=fresh(y))
    assert fresh(c).path == f"/{city.pk}/{y.pk}/{c.pk}/"
    assert fresh(g).path == f"/{city.pk}/{y.pk}/{c.pk}/{g.pk}/"
    assert fresh(g).depth == 3
    assert set(subtree(fresh(y))) == {y, c, g}
    assert set(subtree(fresh(j))) == {j}
    assert fresh(g).is_within(fresh(y))
    assert not fresh(g).is_within(fresh(j))


def test_moving_a_subtree_up_a_level_fixes_the_depths(city, branch, root_user):
    c, g = branch["chengjiang"], branch["company"]
    save_union(actor=root_user, union=fresh(c), name=c.name, level=UnionLevel.DIRECT, parent=fresh(city))
    assert fresh(c).path == f"/{city.pk}/{c.pk}/"
    assert (fresh(c).depth, fresh(g).depth) == (1, 2)
    assert fresh(g).path == f"/{city.pk}/{c.pk}/{g.pk}/"


def test_renaming_keeps_the_path(city, branch, root_user):
    j = branch["jiangyin"]
    before = fresh(branch["company"]).path
    save_union(actor=root_user, union=fresh(j), name="江阴市总工会（新）", short_name="江阴", level=j.level,
               parent=fresh(city))
    assert fresh(j).name == "江阴市总工会（新）"
    assert fresh(branch["company"]).path == before


def test_a_prefix_of_ids_does_not_leak_into_another_subtree(city, root_user):
    # "/1/2/" must not match "/1/23/": the trailing slash is part of every path.
    unions = [save_union(actor=root_user, name=f"区{i}", level=UnionLevel.COUNTY, parent=city) for i in range(12)]
    for county in unions:
        assert set(subtree(county)) == {county}


@pytest.mark.parametrize("new_parent", ["jiangyin", "chengjiang", "company"])
def test_a_union_cannot_move_below_itself(new_parent, branch, root_user):
    j = fresh(branch["jiangyin"])
    before = {u.pk: u.path for u in Union.objects.all()}
    with pytest.raises(ValidationError) as err:
        save_union(actor=root_user, union=j, name=j.name, level=j.level, parent=fresh(branch[new_parent]))
    assert "parent" in err.value.message_dict
    assert {u.pk: u.path for u in Union.objects.all()} == before


@pytest.mark.parametrize("level", [UnionLevel.COUNTY, UnionLevel.DIRECT, UnionLevel.TOWN, UnionLevel.GRASSROOTS])
def test_only_a_municipal_union_may_be_a_root(level, root_user):
    with pytest.raises(ValidationError) as err:
        save_union(actor=root_user, name="孤立工会", level=level)
    assert "parent" in err.value.message_dict
    assert not Union.objects.exists()


def test_an_existing_union_cannot_be_cut_loose_from_the_tree(branch, root_user):
    j = fresh(branch["jiangyin"])
    with pytest.raises(ValidationError):
        save_union(actor=root_user, union=j, name=j.name, level=j.level, parent=None)


def test_saving_a_union_records_who_did_it(city, root_user):
    assert fresh(city).history.first().history_user == root_user


# --- who manages what ---------------------------------------------------------------------------


def test_manages_union(city, branch):
    city_admin = AdminFactory(union=city)
    county_admin_role = AdminFactory(union=branch["jiangyin"])  # an admin at county level
    superuser = UserFactory(is_superuser=True)
    j, c, y = branch["jiangyin"], branch["chengjiang"], branch["yixing"]

    assert all(manages_union(city_admin, u) for u in (city, j, c, y))
    assert [manages_union(county_admin_role, u) for u in (city, j, c, y)] == [False, True, True, False]
    assert all(manages_union(superuser, u) for u in (city, j, c, y))
    for nobody in (StaffFactory(union=city), CountyAdminFactory(union=city), JurorFactory()):
        assert not any(manages_union(nobody, u) for u in (city, j, c, y))
    assert set(unions_managed_by(county_admin_role)) == {j, c, branch["company"]}


def test_an_admin_creates_unions_only_inside_its_tree(city, branch):
    admin_j = AdminFactory(union=branch["jiangyin"])
    town = save_union(actor=admin_j, name="南闸街道总工会", level=UnionLevel.TOWN, parent=branch["jiangyin"])
    assert fresh(town).is_within(branch["jiangyin"])
    with pytest.raises(PermissionDenied):
        save_union(actor=admin_j, name="宜城街道总工会", level=UnionLevel.TOWN, parent=branch["yixing"])


def test_an_admin_cannot_move_a_union_out_of_its_tree(city, branch):
    admin_j = AdminFactory(union=branch["jiangyin"])
    c = fresh(branch["chengjiang"])
    with pytest.raises(PermissionDenied):
        save_union(actor=admin_j, union=c, name=c.name, level=c.level, parent=fresh(branch["yixing"]))
    assert fresh(c).is_within(branch["jiangyin"])


def test_an_admin_cannot_take_over_a_union_from_another_tree(city, branch):
    admin_j = AdminFactory(union=branch["jiangyin"])
    y = fresh(branch["yixing"])
    with pytest.raises(PermissionDenied):
        save_union(actor=admin_j, union=y, name=y.name, level=y.level, parent=fresh(branch["jiangyin"]))


@pytest.mark.parametrize("factory", [StaffFactory, CountyAdminFactory, JurorFactory])
def test_non_admins_cannot_create_unions(factory, city):
    with pytest.raises(PermissionDenied):
        save_union(actor=factory(union=None), name="新工会", level=UnionLevel.COUNTY, parent=city)


def test_only_a_superuser_creates_a_new_root(city, branch):
    city_admin = AdminFactory(union=city)
    with pytest.raises(PermissionDenied):
        save_union(actor=city_admin, name="苏州市总工会", level=UnionLevel.MUNICIPAL)
    with pytest.raises(PermissionDenied):
        save_union(actor=AdminFactory(union=branch["jiangyin"]), name="苏州市总工会", level=UnionLevel.MUNICIPAL)
    suzhou = save_union(actor=UserFactory(is_superuser=True), name="苏州市总工会", level=UnionLevel.MUNICIPAL)
    assert fresh(suzhou).path == f"/{suzhou.pk}/"


def test_the_root_unions_admin_may_rename_it(city):
    city_admin = AdminFactory(union=city)
    save_union(actor=city_admin, union=fresh(city), name="无锡市总工会", short_name="无锡市总", level=city.level)
    assert fresh(city).short_name == "无锡市总"
