"""Fixtures of the projects API tests: a few more unions around the shared tree (the API client
``api``/``api_as`` comes from tests/conftest.py).

    市总 ── 江阴 (county_a) ── 澄江 (town_a1) ── 澄江某厂 (grass_a1)
         │                 └─ 南闸 (town_a2)
         └─ 宜兴 (county_b)
"""

import pytest

from members.enums import UnionLevel
from tests.factories import StaffFactory, UnionFactory


@pytest.fixture
def more_unions(tree):
    return {
        "grass_a1": UnionFactory(name="澄江某厂工会", level=UnionLevel.GRASSROOTS, parent=tree["town_a1"]),
        "town_a2": UnionFactory(name="江阴市南闸街道总工会", level=UnionLevel.TOWN, parent=tree["county_a"]),
    }


@pytest.fixture
def more_people(more_unions):
    return {
        "staff_grass_a1": StaffFactory(username="staff_grass_a1", union=more_unions["grass_a1"]),
        "staff_a2": StaffFactory(username="staff_a2", union=more_unions["town_a2"]),
    }
