"""Fixtures of the security tests: clients signed in as anyone (from ``samples.ADDRESS``) and a
small scoring roadshow."""

import pytest
from django.test import Client

from tests.factories import JurorFactory, RoadshowFactory, shortlisted

from .samples import ADDRESS


@pytest.fixture
def client_for(db):
    """``client_for(user)`` is a test client signed in as ``user`` (``None``: anonymous)."""

    def make(user=None, **defaults):
        client = Client(**{"REMOTE_ADDR": ADDRESS, **defaults})
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture
def jurors(tree):
    return [JurorFactory(username=f"sec_juror_{i}", name=f"评委{i}") for i in range(2)]


@pytest.fixture
def scoring(people, campaign, tree, jurors):
    """A started roadshow of two shortlisted projects, two jurors seated."""
    projects = [shortlisted(campaign, tree["county_a"], title="职工书屋"),
                shortlisted(campaign, tree["county_b"], title="安康杯竞赛")]
    return RoadshowFactory(actor=people["admin"], campaign=campaign, projects=projects, jurors=jurors, started=True)
