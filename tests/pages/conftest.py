"""Fixtures of the page tests: a client signed in as a given person."""

import pytest
from django.test import Client


@pytest.fixture
def client_for(db):
    """``client_for(user)`` is a test client signed in as ``user`` (``None``: anonymous)."""

    def make(user):
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return make
