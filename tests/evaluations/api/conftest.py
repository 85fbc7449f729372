"""Fixtures of the evaluations API tests: the scoring fixtures of ``tests/evaluations`` (a
campaign with two shortlisted entries, three jurors without a union, a roadshow in setup and
the same roadshow started) apply here too; an API client that signs in as anyone."""

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
def admin_api(api_as, people):
    return api_as(people["admin"])
