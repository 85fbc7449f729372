"""Roadshows the export tests read: scored through the services (``ScoredRoadshowFactory``),
closed, with tiers and the results computed. Imported by the export tests and the exports
journey of tests/e2e."""

from awards import services as award_services
from tests.factories import JurorFactory, ScoredRoadshowFactory, shortlisted

TIERS = [
    {"name": "特优", "quota_count": 1, "amount": "150000"},
    {"name": "一等", "quota_count": 1, "amount": "80000"},
    {"name": "二等", "quota_count": 1, "amount": "50000"},
    {"name": "三等", "quota_count": 1, "amount": "30000"},
]
INJECTION = '=HYPERLINK("http://evil.example","点我")'


def comment(juror, entry):
    return f"{juror.name}对{entry.project.title[:6]}的评语"


def computed_roadshow(admin, campaign, entries, *, jurors=3, recuse=(), title="2026年第一场路演", tiers=TIERS,
                      close_reason=None):
    """A closed roadshow with the results computed: ``(ScoredRoadshow, job)``.

    ``entries``: ``[(union, project title, [card total per juror])]``; ``recuse``: ``[(juror
    index, entry index)]`` — that juror has no card for that entry (marked 回避). Entries
    below quorum need ``close_reason`` (the quorum override). Every card has a comment."""
    people = [JurorFactory(name=f"评委{i + 1}") for i in range(jurors)]
    projects = [shortlisted(campaign, union, title=project_title) for union, project_title, _totals in entries]
    show = ScoredRoadshowFactory(actor=admin, campaign=campaign, title=title, projects=projects, jurors=people,
                                 totals=[totals for _union, _title, totals in entries], recuse=recuse,
                                 comment=comment, close_reason=close_reason)
    award_services.save_tiers(actor=admin, roadshow=show.roadshow, tiers=tiers)
    job = award_services.request_compute(actor=admin, roadshow=show.roadshow)
    show.roadshow.refresh_from_db()
    return show, job


def sized(admin, campaign, n, title):
    """A computed roadshow of ``n`` entries from two unions, three jurors (for query counts)."""
    county_a = campaign.owner_union.children.order_by("pk").first()
    entries = [(county_a, f"{title}项目{i + 1:02d}", [str(90 - (i % 40)), str(85 - (i % 40)), str(80 - (i % 40))])
               for i in range(n)]
    tiers = [{"name": "一等", "quota_count": max(1, n // 3), "amount": "1000"},
             {"name": "二等", "quota_count": max(1, n // 3), "amount": "500"}]
    show, _job = computed_roadshow(admin, campaign, entries, tiers=tiers, title=title, recuse=[(0, 0)])
    return show.roadshow
