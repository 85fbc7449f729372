"""Fixtures of the awards API tests: the closed and computed roadshows of ``tests/conftest.py`` (in
publicity and finalised: tests/awards/conftest.py) and an API client signed in as anyone."""

import pytest
from rest_framework.test import APIClient


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
