"""Fixtures of the evaluations API tests: the scoring fixtures of ``tests/evaluations`` (a
campaign with two shortlisted entries, three jurors without a union, a roadshow in setup and
the same roadshow started) and an API client that signs in as anyone."""

import pytest
from rest_framework.test import APIClient

from tests.evaluations.conftest import (  # noqa: F401 - fixtures, re-exported for this folder
    build_roadshow,
    entries_projects,
    full_scores,
    jurors,
    roadshow,
    scoring,
    shortlisted,
)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Every user of a test gets a hashed password; the real hasher's rounds only cost time here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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


def criteria_ids(show):
    return [str(c.pk) for c in show.rubric.criteria.all()]


def scores_body(show, values=("20", "20", "25", "15")):
    """A full card of ``show``'s rubric: ``{"<criterion id>": value}``."""
    return dict(zip(criteria_ids(show), values, strict=True))
