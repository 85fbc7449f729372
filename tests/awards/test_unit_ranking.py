"""工会工作先进单位: top-level units ranked by their projects' tiers over a year's finalised
roadshows, as a job."""

import pytest
from django.core.exceptions import PermissionDenied

from awards import queries as award_queries
from awards import services as award_services
from awards.models import UnitRanking
from tests.factories import CampaignFactory, ScoredRoadshowFactory, UnionFactory



def finalised(admin, campaign, union, totals, tiers, capture, title):
    roadshow = ScoredRoadshowFactory(actor=admin, campaign=campaign, union=union, totals=totals, title=title).roadshow
    award_services.save_tiers(actor=admin, roadshow=roadshow, tiers=tiers)
    with capture(execute=True):
        award_services.request_compute(actor=admin, roadshow=roadshow)
    award_services.finalize(actor=admin, roadshow=roadshow)
    return roadshow


TIERS = [{"name": "特优", "quota_count": 1, "amount": "100"}, {"name": "一等", "quota_count": 1, "amount": "50"},
         {"name": "二等", "quota_count": 1, "amount": "20"}]


@pytest.fixture
def year_of_roadshows(admin, campaign, tree, django_capture_on_commit_callbacks):
    # 澄江 (a town under 江阴) wins 特优: 江阴 5. 宜兴 wins 一等 (3), 二等 (2) and 一等 again: 8.
    finalised(admin, campaign, tree["town_a1"], [["95"]], TIERS, django_capture_on_commit_callbacks, "一场")
    finalised(admin, campaign, tree["county_b"], [["95"], ["90"]], TIERS[1:], django_capture_on_commit_callbacks,
              "二场")
    roadshow = ScoredRoadshowFactory(actor=admin, campaign=campaign, union=tree["county_b"], totals=[["90"]],
                                     title="三场").roadshow
    award_services.save_tiers(actor=admin, roadshow=roadshow, tiers=TIERS[1:2])
    with django_capture_on_commit_callbacks(execute=True):
        award_services.request_compute(actor=admin, roadshow=roadshow)
    award_services.finalize(actor=admin, roadshow=roadshow)
    # A roadshow computed but not finalised does not count.
    pending = ScoredRoadshowFactory(actor=admin, campaign=campaign, union=tree["county_a"], totals=[["99"]],
                                    title="未定稿").roadshow
    award_services.save_tiers(actor=admin, roadshow=pending, tiers=TIERS)
    with django_capture_on_commit_callbacks(execute=True):
        award_services.request_compute(actor=admin, roadshow=pending)
    return campaign


def test_units_are_ranked_by_points_of_their_projects_tiers(admin, tree, year_of_roadshows,
                                                           django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = award_services.request_unit_ranking(actor=admin, year=2026)
    job.refresh_from_db()
    assert (job.state, job.progress) == ("succeeded", 100), job.error
    ranking = [(r.union, r.points, r.rank) for r in award_queries.unit_ranking(2026)]
    assert ranking == [(tree["county_b"], 8, 1), (tree["county_a"], 5, 2)]
    assert UnitRanking.objects.get(union=tree["county_b"]).breakdown["tiers"] == {"一等": 2, "二等": 1}
    assert UnitRanking.objects.get(union=tree["county_a"]).breakdown["tiers"] == {"特优": 1}


def test_equal_points_share_a_rank_and_a_rerun_replaces_the_rows(admin, tree, campaign,
                                                                 django_capture_on_commit_callbacks):
    county_c = UnionFactory(name="锡山区总工会", level="county", parent=tree["city"])
    finalised(admin, campaign, tree["county_a"], [["95"]], TIERS, django_capture_on_commit_callbacks, "甲")
    finalised(admin, campaign, county_c, [["95"]], TIERS, django_capture_on_commit_callbacks, "乙")
    award_services.rank_units(year=2026)
    award_services.rank_units(year=2026)
    assert sorted((r.union_id, r.points, r.rank) for r in UnitRanking.objects.filter(year=2026)) == sorted(
        [(tree["county_a"].pk, 5, 1), (county_c.pk, 5, 1)])
    other_year = CampaignFactory(owner_union=tree["city"], year=2025)
    award_services.rank_units(year=2025)
    assert not UnitRanking.objects.filter(year=2025).exists() and other_year


def test_only_admins_ask_for_the_unit_ranking(people):
    with pytest.raises(PermissionDenied):
        award_services.request_unit_ranking(actor=people["county_admin_a"], year=2026)
