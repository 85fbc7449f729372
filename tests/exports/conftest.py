"""Fixtures of the export tests: roadshows scored, computed and finalised through the services.

``scored`` builds a closed roadshow whose entries come from several unions of two counties,
with a manual recusal, comments, and project titles that a spreadsheet would run as formulas.
"""

import datetime
from decimal import Decimal

import pytest

from evaluations import services
from awards import services as award_services
from evaluations.models import JurySeat, Scorecard
from projects.enums import ProjectStatus
from tests.awards.conftest import (  # noqa: F401
    admin,
    card_scores,
    closed_roadshow,
    computed,
    eager_celery,
)
from tests.factories import JurorFactory, ProjectFactory, StaffFactory, UnionFactory

TIERS = [
    {"name": "特优", "quota_count": 1, "amount": "150000"},
    {"name": "一等", "quota_count": 1, "amount": "80000"},
    {"name": "二等", "quota_count": 1, "amount": "50000"},
    {"name": "三等", "quota_count": 1, "amount": "30000"},
]
INJECTION = '=HYPERLINK("http://evil.example","点我")'


def build_roadshow(admin, campaign, entries, *, jurors=3, recuse=(), title="2026年第一场路演", tiers=TIERS,  # noqa: F811
                   close_reason=None):
    """A closed roadshow with the results computed.

    ``entries``: ``[(union, project title, [card total per juror])]``; ``recuse``: ``[(juror
    index, entry index)]`` — that juror has no card for that entry (marked 回避). Entries
    below quorum need ``close_reason`` (the quorum override)."""
    people = [JurorFactory(name=f"评委{i + 1}") for i in range(jurors)]
    roadshow = services.create_roadshow(actor=admin, campaign=campaign, title=title, date=datetime.date(2026, 6, 1))
    made = []
    for union, project_title, _totals in entries:
        project = ProjectFactory(campaign=campaign, applicant_union=union, status=ProjectStatus.SHORTLISTED,
                                 title=project_title)
        made.append(services.add_entry(actor=admin, roadshow=roadshow, project=project))
    seats = [services.add_juror(actor=admin, roadshow=roadshow, user=juror) for juror in people]
    for juror_index, entry_index in recuse:
        seat = JurySeat.objects.get(roadshow=roadshow, user=people[juror_index])
        services.add_manual_recusal(actor=admin, seat=seat, entry=made[entry_index], reason="与申报单位有利害关系")
    services.start_roadshow(actor=admin, roadshow=roadshow)
    for entry, (_union, _title, totals) in zip(made, entries, strict=True):
        for juror, total in zip(people, totals, strict=False):
            if total is None:
                continue
            card = Scorecard.objects.filter(entry=entry, juror=juror).first()
            if card is None:  # recused
                continue
            services.submit_card(actor=juror, card=card, scores=card_scores(roadshow, total),
                                 comment=f"{juror.name}对{entry.project.title[:6]}的评语")
    services.close_roadshow(actor=admin, roadshow=roadshow, override_reason=close_reason)
    award_services.save_tiers(actor=admin, roadshow=roadshow, tiers=tiers)
    job = award_services.request_compute(actor=admin, roadshow=roadshow)
    roadshow.refresh_from_db()
    roadshow.test_entries = made
    roadshow.test_jurors = people
    roadshow.test_seats = seats
    return roadshow, job


@pytest.fixture
def unions(tree):
    """A third union under county A and one under county B, for the payout subtotals."""
    town_b1 = UnionFactory(name="宜兴市丁蜀镇总工会", short_name="丁蜀", level="town", parent=tree["county_b"])
    return {**tree, "town_b1": town_b1}


@pytest.fixture
def scored(admin, campaign, unions, django_capture_on_commit_callbacks):  # noqa: F811
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
        roadshow, job = build_roadshow(admin, campaign, entries, recuse=[(2, 1)])
    job.refresh_from_db()
    assert job.state == "succeeded", job.error
    roadshow.refresh_from_db()
    return roadshow


@pytest.fixture
def finalized(admin, scored):  # noqa: F811
    award_services.finalize(actor=admin, roadshow=scored)
    scored.refresh_from_db()
    return scored


def sized(admin, campaign, n, title):  # noqa: F811
    """A computed roadshow of ``n`` entries from two unions, three jurors (for query counts)."""
    county_a = campaign.owner_union.children.order_by("pk").first()
    entries = [(county_a, f"{title}项目{i + 1:02d}", [str(90 - (i % 40)), str(85 - (i % 40)), str(80 - (i % 40))])
               for i in range(n)]
    tiers = [{"name": "一等", "quota_count": max(1, n // 3), "amount": "1000"},
             {"name": "二等", "quota_count": max(1, n // 3), "amount": "500"}]
    roadshow, _job = build_roadshow(admin, campaign, entries, tiers=tiers, title=title, recuse=[(0, 0)])
    return roadshow


@pytest.fixture
def applicant(unions):
    """Staff of a union that filed an entry of ``scored`` (town A1)."""
    return StaffFactory(username="applicant_a1", union=unions["town_a1"])


def money(value):
    return Decimal(str(value)).quantize(Decimal("0.01"))
