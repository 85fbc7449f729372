"""Fixtures of the dashboard tests: the hand-made programme of tests/dashboards/programme.py,
whose figures the tests know by heart."""

import pytest

from .programme import build_programme


@pytest.fixture
def programme(tree, people):
    return build_programme(tree, people)
