"""Fixtures of the awards page tests: the closed and computed roadshows of ``tests/conftest.py``, in
publicity and finalised, and a test client signed in as anyone."""

import pytest
from django.test import Client


@pytest.fixture
def client_as():
    """``client_as(user)``: a fresh test client signed in as ``user`` (anonymous for ``None``)."""

    def sign_in(user):
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return sign_in
