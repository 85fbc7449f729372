"""A hand-made programme (``build_programme``) whose figures the dashboard tests know by heart.

2026 campaign of 市总 (projects by union, status, category; awards as evaluations' payouts):

    P1 澄江  closed      职工帮扶服务  shortlisted before (event), payout 一等 30000.00
    P2 江阴  shortlisted 劳动技能竞赛
    P3 江阴  awarded     职工帮扶服务  payout 二等 20000.00
    P4 宜兴  approved    维权服务工作
    P5 宜兴  rejected    维权服务工作
    P6 宜兴  submitted   工会自身建设
    P7 宜兴  draft       (never counted)
    P8 澄江  closing     职工帮扶服务
    plans on P1: by 宜兴 (2026) and by 宜城 (a town of 宜兴, 2026)

2016 campaign (imported history): Q1 宜兴 closed with HistoricAward 一等 50000.00, Q2 江阴 approved;
a 2017 plan on Q1 by 江阴.
"""

import datetime
from decimal import Decimal

from evaluations.models import Entry, Roadshow, Rubric
from awards.models import Payout, Result, UnitRanking
from members.enums import UnionLevel
from projects.models import HistoricAward, ProjectEvent, ReplicationPlan
from tests.factories import CampaignFactory, ProjectFactory, UnionFactory


def pay(project, roadshow, tier, amount, rank):
    entry = Entry.objects.create(roadshow=roadshow, project=project, order=rank)
    result = Result.objects.create(roadshow=roadshow, entry=entry, final_score=Decimal("90.00"), rank=rank, tier=tier,
                                   amount=Decimal(amount))
    return Payout.objects.create(project=project, roadshow=roadshow, result=result, tier=tier, amount=Decimal(amount))


def build_programme(tree, people):
    """The programme above, on the shared ``tree`` (``people`` makes sure its users exist)."""
    town_b1 = UnionFactory(name="宜兴市宜城街道总工会", short_name="宜城", level=UnionLevel.TOWN, parent=tree["county_b"])
    c2026 = CampaignFactory(owner_union=tree["city"], year=2026, title="2026年度")
    a, a1, b = tree["county_a"], tree["town_a1"], tree["county_b"]
    p = {
        "P1": ProjectFactory(campaign=c2026, applicant_union=a1, status="closed", category="职工帮扶服务"),
        "P2": ProjectFactory(campaign=c2026, applicant_union=a, status="shortlisted", category="劳动技能竞赛"),
        "P3": ProjectFactory(campaign=c2026, applicant_union=a, status="awarded", category="职工帮扶服务"),
        "P4": ProjectFactory(campaign=c2026, applicant_union=b, status="approved", category="维权服务工作"),
        "P5": ProjectFactory(campaign=c2026, applicant_union=b, status="rejected", category="维权服务工作"),
        "P6": ProjectFactory(campaign=c2026, applicant_union=b, status="submitted", category="工会自身建设"),
        "P7": ProjectFactory(campaign=c2026, applicant_union=b, status="draft", category="工会自身建设"),
        "P8": ProjectFactory(campaign=c2026, applicant_union=a1, status="closing", category="职工帮扶服务"),
    }
    ProjectEvent.objects.create(project=p["P1"], action="shortlist", from_status="approved", to_status="shortlisted")
    roadshow = Roadshow.objects.create(campaign=c2026, title="2026路演", date=datetime.date(2026, 9, 1),
                                       rubric=Rubric.objects.create(name="默认"))
    pay(p["P1"], roadshow, "一等", "30000.00", 1)
    pay(p["P3"], roadshow, "二等", "20000.00", 2)
    ReplicationPlan.objects.create(source_project=p["P1"], adopting_union=b, plan="计划", year=2026)
    ReplicationPlan.objects.create(source_project=p["P1"], adopting_union=town_b1, plan="计划", year=2026)

    c2016 = CampaignFactory(owner_union=tree["city"], year=2016, title="2016年度",
                            filing_opens=datetime.date(2016, 1, 1), filing_deadline=datetime.date(2016, 3, 31))
    q1 = ProjectFactory(campaign=c2016, applicant_union=b, status="closed")
    ProjectFactory(campaign=c2016, applicant_union=a, status="approved")
    HistoricAward.objects.create(project=q1, year=2016, tier="一等", amount=Decimal("50000.00"))
    ReplicationPlan.objects.create(source_project=q1, adopting_union=a, plan="计划", year=2017)

    UnitRanking.objects.create(year=2026, union=a, points=9, rank=1)
    UnitRanking.objects.create(year=2026, union=b, points=3, rank=2)
    return {"campaign": c2026, "old": c2016, "projects": p, "town_b1": town_b1}
