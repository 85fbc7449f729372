"""Fixtures of the awards API tests: the closed and computed roadshows of ``tests/awards`` and
an API client signed in as anyone."""

import pytest
from rest_framework.test import APIClient

from awards import services as award_services
from tests.awards.conftest import (  # noqa: F401 - fixtures, re-exported for this folder
    admin,
    closed_roadshow,
    computed,
    eager_celery,
    make_closed_roadshow,
)


@pytest.fixture
def api_as():
    """``api_as(user)``: a fresh API client signed in as ``user`` (anonymous for ``None``)."""

    def sign_in(user):
        client = APIClient()
        if user is not None:
            client.force_login(user)
        return client

    return sign_in


@pytest.fixture
def admin_api(api_as, admin):
    return api_as(admin)


@pytest.fixture
def publicity(admin, computed):
    roadshow = award_services.publicize(actor=admin, roadshow=computed, days=7)
    roadshow.test_entries = computed.test_entries
    roadshow.test_jurors = computed.test_jurors
    return roadshow


@pytest.fixture
def finalized(admin, computed):
    roadshow = award_services.finalize(actor=admin, roadshow=computed)
    roadshow.test_entries = computed.test_entries
    roadshow.test_jurors = computed.test_jurors
    return roadshow
