"""Fixtures of the export tests: roadshows scored, computed and finalised through the services
(tests/exports/roadshows.py).

``scored`` is a closed roadshow whose entries come from several unions of two counties, with a
manual recusal, comments, and project titles that a spreadsheet would run as formulas;
``scored_show`` is the same as a ``ScoredRoadshow`` (its entries and jurors).
"""

import pytest

from awards import services as award_services
from tests.factories import StaffFactory, UnionFactory

from .roadshows import INJECTION, computed_roadshow


@pytest.fixture(autouse=True)
def jobs_in_process(eager_celery):
    """Every export test runs the jobs in process (see ``eager_celery``)."""


@pytest.fixture
def unions(tree):
    """A third union under county A and one under county B, for the payout subtotals."""
    town_b1 = UnionFactory(name="宜兴市丁蜀镇总工会", short_name="丁蜀", level="town", parent=tree["county_b"])
    return {**tree, "town_b1": town_b1}


@pytest.fixture
def scored_show(admin, campaign, unions, django_capture_on_commit_callbacks):
    """Five entries from four unions in two counties, three jurors, juror 3 recused from entry
    2; trimmed means 90, 85, 80, 70, 60 → 特优, 一等, 二等, 三等 and one without a tier."""
    entries = [
        (unions["county_a"], "职工创新工作室建设", ["95", "90", "85"]),
        (unions["town_a1"], INJECTION, ["85", "85", None]),
        (unions["county_b"], "+cmd|' /C calc'!A0 技能竞赛", ["80", "80", "80"]),
        (unions["town_b1"], "-困难职工帮扶", ["70", "70", "70"]),
        (unions["town_a1"], "@SUM(1+1) 工会自身建设", ["60", "60", "60"]),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        show, job = computed_roadshow(admin, campaign, entries, recuse=[(2, 1)])
    job.refresh_from_db()
    assert job.state == "succeeded", job.error
    show.roadshow.refresh_from_db()
    return show


@pytest.fixture
def scored(scored_show):
    return scored_show.roadshow


@pytest.fixture
def finalized(admin, scored):
    award_services.finalize(actor=admin, roadshow=scored)
    scored.refresh_from_db()
    return scored


@pytest.fixture
def applicant(unions):
    """Staff of a union that filed an entry of ``scored`` (town A1)."""
    return StaffFactory(username="applicant_a1", union=unions["town_a1"])
