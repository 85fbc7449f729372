"""Fixtures of the scoring tests: a campaign of the shared ``tree`` with shortlisted projects
and a small jury, and a helper that builds a roadshow through the services."""

import datetime

import pytest

from evaluations import services
from projects.enums import ProjectStatus
from tests.factories import JurorFactory, ProjectFactory


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    # The factories hash a password for every user; PBKDF2 would make every test crawl.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def shortlisted(campaign, union, **kwargs):
    return ProjectFactory(campaign=campaign, applicant_union=union, status=ProjectStatus.SHORTLISTED, **kwargs)


def build_roadshow(admin, campaign, projects, jurors, **kwargs):
    """A roadshow in setup with ``projects`` as entries and ``jurors`` seated."""
    kwargs.setdefault("title", "2026年度工会创新项目路演展评")
    kwargs.setdefault("date", datetime.date(2026, 6, 1))
    roadshow = services.create_roadshow(actor=admin, campaign=campaign, **kwargs)
    for project in projects:
        services.add_entry(actor=admin, roadshow=roadshow, project=project)
    for juror in jurors:
        services.add_juror(actor=admin, roadshow=roadshow, user=juror)
    return roadshow


def full_scores(roadshow, values=("20", "20", "25", "15")):
    return {c.pk: v for c, v in zip(roadshow.rubric.criteria.all(), values, strict=True)}


@pytest.fixture
def jurors(tree):
    """Three jurors without a union (never auto-recused)."""
    return [JurorFactory(username=f"juror_{i}") for i in range(3)]


@pytest.fixture
def entries_projects(tree, campaign):
    return [shortlisted(campaign, tree["county_a"], title="职工书屋"),
            shortlisted(campaign, tree["county_b"], title="安康杯竞赛")]


@pytest.fixture
def roadshow(people, campaign, entries_projects, jurors):
    return build_roadshow(people["admin"], campaign, entries_projects, jurors)


@pytest.fixture
def scoring(people, roadshow):
    """The roadshow, started."""
    return services.start_roadshow(actor=people["admin"], roadshow=roadshow)
