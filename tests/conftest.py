"""Shared fixtures: a small union tree with a user of every role in it, clients signed in as
anyone, and the roadshows more than one folder scores on (built by tests/factories.py).

    市总 (municipal) ── 区A (county) ── 镇A1 (town)
                    └─ 区B (county)

A folder's conftest.py holds only what that folder uses; what two folders share lives here or
in a plain helper module imported explicitly (never ``from tests.<x>.conftest import …``).
"""

import os

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.utils import translation
from rest_framework.test import APIClient

from awards import services as award_services
from members.enums import UnionLevel
from unionproj.celery import app

from .factories import (
    AdminFactory,
    CampaignFactory,
    CountyAdminFactory,
    JurorFactory,
    ScoredRoadshowFactory,
    StaffFactory,
    UnionFactory,
    shortlisted,
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


@pytest.fixture
def eager_celery(request):
    """Jobs (award computation, exports) run in process, as the embedded default does, even where
    ``CELERY_BROKER_URL`` is set, as in CI; the real-worker tests opt out (``real_worker``). Autouse
    in tests/awards and tests/exports; elsewhere ``pytestmark = pytest.mark.usefixtures(...)``."""
    if "real_worker" in request.fixturenames:
        yield
        return
    saved = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = saved


# --- Roadshows ------------------------------------------------------------------------------


@pytest.fixture
def jurors(tree):
    """Three jurors without a union (never auto-recused)."""
    return [JurorFactory(username=f"juror_{i}") for i in range(3)]


@pytest.fixture
def entries_projects(tree, campaign):
    return [shortlisted(campaign, tree["county_a"], title="职工书屋"),
            shortlisted(campaign, tree["county_b"], title="安康杯竞赛")]


@pytest.fixture
def admin(people):
    return people["admin"]


@pytest.fixture
def closed_show(admin, campaign, tree):
    """A closed roadshow (a ``ScoredRoadshow``): four entries of 江阴, three jurors each, trimmed
    means 90, 80, 80, 60."""
    return ScoredRoadshowFactory(actor=admin, campaign=campaign, union=tree["county_a"], totals=[
        ["95", "90", "85"], ["80", "80", "80"], ["70", "80", "90"], ["50", "60", "70"]])


@pytest.fixture
def closed_roadshow(closed_show):
    return closed_show.roadshow


@pytest.fixture
def computed(admin, closed_roadshow, eager_celery, django_capture_on_commit_callbacks):
    """The closed roadshow with tiers 一等 1 × 10,000, 二等 2 × 5,000 and its results computed."""
    award_services.save_tiers(actor=admin, roadshow=closed_roadshow, tiers=[
        {"name": "一等", "quota_count": 1, "amount": "10000"},
        {"name": "二等", "quota_count": 2, "amount": "5000"},
    ])
    with django_capture_on_commit_callbacks(execute=True):
        job = award_services.request_compute(actor=admin, roadshow=closed_roadshow)
    job.refresh_from_db()
    assert job.state == "succeeded", job.error
    closed_roadshow.refresh_from_db()
    return closed_roadshow
