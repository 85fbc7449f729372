"""Fixtures of the roadshow page tests: a roadshow of the shared ``tree`` with two shortlisted
projects and three named jurors, in setup, scoring and live scoring (``client_for`` signs in as
anyone: tests/conftest.py)."""

import pytest

from evaluations import services
from tests.factories import JurorFactory, RoadshowFactory, shortlisted


@pytest.fixture
def jurors(tree):
    """Three jurors without a union (never recused automatically)."""
    return [JurorFactory(username=f"juror_{i}", name=f"评委{i}") for i in range(3)]


@pytest.fixture
def projects(tree, campaign):
    return [shortlisted(campaign, tree["county_a"], title="职工书屋"),
            shortlisted(campaign, tree["county_b"], title="安康杯竞赛")]


@pytest.fixture
def roadshow(people, campaign, projects, jurors):
    return RoadshowFactory(actor=people["admin"], campaign=campaign, projects=projects, jurors=jurors)


@pytest.fixture
def scoring(people, roadshow):
    return services.start_roadshow(actor=people["admin"], roadshow=roadshow)


@pytest.fixture
def live(people, campaign, projects, jurors):
    """A live roadshow, started, nothing open yet."""
    return RoadshowFactory(actor=people["admin"], campaign=campaign, projects=projects, jurors=jurors, live=True,
                           title="现场亮分路演", started=True)
