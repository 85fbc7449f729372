"""Fixtures of the roadshow page tests: a roadshow of the shared ``tree`` with two shortlisted
projects and three jurors, in setup, scoring and live scoring; clients signed in as anyone."""

import pytest

from evaluations import services
from tests.evaluations.conftest import build_roadshow, full_scores, shortlisted  # noqa: F401 (re-exported)
from tests.factories import JurorFactory


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
    return build_roadshow(people["admin"], campaign, projects, jurors)


@pytest.fixture
def scoring(people, roadshow):
    return services.start_roadshow(actor=people["admin"], roadshow=roadshow)


@pytest.fixture
def live(people, campaign, projects, jurors):
    """A live roadshow, started, nothing open yet."""
    roadshow = build_roadshow(people["admin"], campaign, projects, jurors, live=True, title="现场亮分路演")
    return services.start_roadshow(actor=people["admin"], roadshow=roadshow)
