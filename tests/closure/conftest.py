"""Fixtures of the closure, replication and history tests: an API client and the people of the
shared tree (市总 ── 江阴 ── 澄江; 市总 ── 宜兴)."""

import pytest
from rest_framework.test import APIClient


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def api_as(api):
    def sign_in(user):
        api.logout()
        if user is not None:
            api.force_login(user)
        return api

    return sign_in
