"""Fixtures of the projects tests: the shared tree grown by the unions and people a permission
matrix needs (a sibling of 澄江, a union below it, a superuser, an unrelated city's admin).

    市总 ── 江阴 (county) ──┬─ 澄江 (town) ── 澄江基层 (grassroots)
        │                   └─ 南闸 (town)
        └─ 宜兴 (county) ──── 宜城 (town)
    苏州市总 (an unrelated municipal root)
"""

import pytest

from members.enums import UnionLevel
from tests.factories import AdminFactory, StaffFactory, UnionFactory, UserFactory


@pytest.fixture
def more_unions(tree):
    return {
        "town_a2": UnionFactory(name="江阴市南闸街道总工会", short_name="南闸", level=UnionLevel.TOWN,
                                parent=tree["county_a"]),
        "grassroots_a1": UnionFactory(name="澄江某公司工会", short_name="澄江基层", level=UnionLevel.GRASSROOTS,
                                      parent=tree["town_a1"]),
        "town_b1": UnionFactory(name="宜兴市宜城街道总工会", short_name="宜城", level=UnionLevel.TOWN,
                                parent=tree["county_b"]),
        "other_city": UnionFactory(name="苏州市总工会", short_name="苏州", level=UnionLevel.MUNICIPAL),
    }


@pytest.fixture
def actors(people, tree, more_unions):
    """Everyone a matrix asks about, seen from a project filed by 澄江 (town_a1)."""
    return {
        "campaign_admin": people["admin"],
        "applicant_staff": people["staff_a1"],
        "staff_above": people["staff_a"],
        "staff_below": StaffFactory(username="staff_grassroots", union=more_unions["grassroots_a1"]),
        "sibling_staff": StaffFactory(username="staff_a2", union=more_unions["town_a2"]),
        "staff_other_county": people["staff_b"],
        "county_admin_above": people["county_admin_a"],
        "county_admin_elsewhere": people["county_admin_b"],
        "unrelated_admin": AdminFactory(username="admin_suzhou", union=more_unions["other_city"]),
        "juror": people["juror"],
        "superuser": UserFactory(username="root", is_superuser=True, is_staff=True),
        "town_b1_staff": StaffFactory(username="staff_b1", union=more_unions["town_b1"]),
        "county_admin_b": people["county_admin_b"],
    }
