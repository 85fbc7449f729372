"""Fixtures of the scoring tests: a campaign of the shared ``tree`` with two shortlisted projects
(``entries_projects``) and three jurors (``jurors``, tests/conftest.py), a roadshow built from
them through the services by ``tests.factories.RoadshowFactory``, and the same roadshow started."""

import pytest

from evaluations import services
from tests.factories import RoadshowFactory


@pytest.fixture
def roadshow(people, campaign, entries_projects, jurors):
    return RoadshowFactory(actor=people["admin"], campaign=campaign, projects=entries_projects, jurors=jurors)


@pytest.fixture
def scoring(people, roadshow):
    """The roadshow, started."""
    return services.start_roadshow(actor=people["admin"], roadshow=roadshow)
