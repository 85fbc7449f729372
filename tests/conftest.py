"""Shared fixtures: a small union tree with a user of every role in it.

    市总 (municipal) ── 区A (county) ── 镇A1 (town)
                    └─ 区B (county)
"""

import os

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.utils import translation
from rest_framework.test import APIClient

from members.enums import UnionLevel

from .factories import (
    AdminFactory,
    CampaignFactory,
    CountyAdminFactory,
    JurorFactory,
    StaffFactory,
    UnionFactory,
)

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def default_language():
    """Every test starts in the product's language. A request made with the English cookie leaves
    English active in the thread (LocaleMiddleware activates, nothing deactivates), and a later
    test in the same worker that reads a service's message would otherwise see English."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Every role factory hashes a password; the production hasher would cost seconds a test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fresh_cache():
    """Each test starts with an empty cache: the objection rate limit counts per user id, and
    ids are reused from one test to the next."""
    cache.clear()
    yield


@pytest.fixture
def tree(db):
    city = UnionFactory(name="无锡市总工会", short_name="市总", level=UnionLevel.MUNICIPAL)
    county_a = UnionFactory(name="江阴市总工会", short_name="江阴", level=UnionLevel.COUNTY, parent=city)
    town_a1 = UnionFactory(name="江阴市澄江街道总工会", short_name="澄江", level=UnionLevel.TOWN, parent=county_a)
    county_b = UnionFactory(name="宜兴市总工会", short_name="宜兴", level=UnionLevel.COUNTY, parent=city)
    return {"city": city, "county_a": county_a, "town_a1": town_a1, "county_b": county_b}


@pytest.fixture
def people(tree):
    return {
        "admin": AdminFactory(username="admin1", union=tree["city"]),
        "staff_a": StaffFactory(username="staff_a", union=tree["county_a"]),
        "staff_a1": StaffFactory(username="staff_a1", union=tree["town_a1"]),
        "staff_b": StaffFactory(username="staff_b", union=tree["county_b"]),
        "county_admin_a": CountyAdminFactory(username="cadmin_a", union=tree["county_a"]),
        "county_admin_b": CountyAdminFactory(username="cadmin_b", union=tree["county_b"]),
        "juror": JurorFactory(username="juror1"),
    }


@pytest.fixture
def campaign(tree):
    return CampaignFactory(owner_union=tree["city"])


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def api_as(api):
    """``api_as(user)``: the API client with ``user`` signed in (or anonymous for ``None``)."""

    def sign_in(user):
        api.logout()
        if user is not None:
            api.force_login(user)
        return api

    return sign_in


@pytest.fixture
def client_for(db):
    """``client_for(user)`` is a test client signed in as ``user`` (``None``: anonymous)."""

    def make(user):
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return make
