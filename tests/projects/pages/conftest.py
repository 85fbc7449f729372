"""Fixtures of the project page tests (helpers: tests/projects/pages/helpers.py)."""

import pytest


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
