"""Fixtures of the awards tests (and of tests/awards/api and tests/awards/pages): jobs run in
process, and the computed roadshow of tests/conftest.py in publicity and finalised. The closed
roadshows are built by ``tests.factories.ScoredRoadshowFactory``; its ``ScoredRoadshow``
(fixture ``closed_show``) names the entries and jurors."""

import pytest

from awards import services as award_services


@pytest.fixture(autouse=True)
def jobs_in_process(eager_celery):
    """Every awards test runs the jobs in process (see ``eager_celery``)."""


@pytest.fixture
def publicity(admin, computed):
    return award_services.publicize(actor=admin, roadshow=computed, days=7)


@pytest.fixture
def finalized(admin, computed):
    return award_services.finalize(actor=admin, roadshow=computed)
