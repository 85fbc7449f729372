"""County recommendation (推荐): a per-county quota, given back when a recommended project is
returned; a county admin recommends only the projects of unions below its own."""

import pytest
from django.core.exceptions import PermissionDenied

from projects import services
from projects.enums import ProjectStatus
from unionproj.errors import WorkflowError
from projects.queries import recommendations_used
from tests.factories import CampaignFactory, ProjectFactory


@pytest.fixture
def rec_campaign(tree):
    return CampaignFactory(owner_union=tree["city"], require_recommendation=True, recommendation_quota=2)


def submitted(campaign, union):
    return ProjectFactory(campaign=campaign, applicant_union=union, status=ProjectStatus.SUBMITTED)


def test_a_county_may_recommend_up_to_its_quota(rec_campaign, tree, more_unions, actors):
    county_admin = actors["county_admin_above"]
    first, second, third = (submitted(rec_campaign, u) for u in
                            (tree["town_a1"], more_unions["town_a2"], more_unions["grassroots_a1"]))
    services.recommend_project(actor=county_admin, project=first)
    services.recommend_project(actor=county_admin, project=second)
    with pytest.raises(WorkflowError) as err:
        services.recommend_project(actor=county_admin, project=third)
    assert "2" in str(err.value)
    third.refresh_from_db()
    assert third.status == ProjectStatus.SUBMITTED
    assert third.recommended_by is None
    assert not third.events.exists()
    assert recommendations_used(rec_campaign, tree["county_a"]) == 2


def test_the_quota_is_counted_per_county(rec_campaign, tree, more_unions, actors):
    for union in (tree["town_a1"], more_unions["town_a2"]):
        services.recommend_project(actor=actors["county_admin_above"], project=submitted(rec_campaign, union))
    # 江阴 is full; 宜兴 still has its own two
    project_b = submitted(rec_campaign, more_unions["town_b1"])
    services.recommend_project(actor=actors["county_admin_b"], project=project_b)
    project_b.refresh_from_db()
    assert project_b.status == ProjectStatus.RECOMMENDED
    assert project_b.recommended_by == tree["county_b"]


def test_the_quota_is_counted_per_campaign(rec_campaign, tree, actors):
    other_year = CampaignFactory(owner_union=tree["city"], year=2025, require_recommendation=True,
                                 recommendation_quota=1)
    services.recommend_project(actor=actors["county_admin_above"], project=submitted(other_year, tree["town_a1"]))
    project = submitted(rec_campaign, tree["town_a1"])
    assert services.recommend_project(actor=actors["county_admin_above"], project=project).status == (
        ProjectStatus.RECOMMENDED)


def test_returning_a_recommended_project_frees_its_slot(rec_campaign, tree, more_unions, actors):
    rec_campaign.recommendation_quota = 1
    rec_campaign.save()
    county_admin = actors["county_admin_above"]
    first = submitted(rec_campaign, tree["town_a1"])
    second = submitted(rec_campaign, more_unions["town_a2"])
    services.recommend_project(actor=county_admin, project=first)
    with pytest.raises(WorkflowError):
        services.recommend_project(actor=county_admin, project=second)

    services.return_project(actor=actors["campaign_admin"], project=first, reason="请补充材料")
    first.refresh_from_db()
    assert first.recommended_by is None
    assert recommendations_used(rec_campaign, tree["county_a"]) == 0
    services.recommend_project(actor=county_admin, project=second)
    second.refresh_from_db()
    assert second.status == ProjectStatus.RECOMMENDED


def test_an_approved_recommendation_still_counts(rec_campaign, tree, more_unions, actors):
    rec_campaign.recommendation_quota = 1
    rec_campaign.save()
    first = submitted(rec_campaign, tree["town_a1"])
    services.recommend_project(actor=actors["county_admin_above"], project=first)
    services.approve_project(actor=actors["campaign_admin"], project=first)
    with pytest.raises(WorkflowError):
        services.recommend_project(actor=actors["county_admin_above"],
                                   project=submitted(rec_campaign, more_unions["town_a2"]))


def test_a_county_admin_cannot_recommend_its_own_unions_project(rec_campaign, tree, actors):
    own = submitted(rec_campaign, tree["county_a"])
    with pytest.raises(PermissionDenied):
        services.recommend_project(actor=actors["county_admin_above"], project=own)
    own.refresh_from_db()
    assert own.status == ProjectStatus.SUBMITTED
    assert not own.events.exists()


def test_a_county_admin_cannot_recommend_another_countys_project(rec_campaign, more_unions, actors):
    project = submitted(rec_campaign, more_unions["town_b1"])
    with pytest.raises(PermissionDenied):
        services.recommend_project(actor=actors["county_admin_above"], project=project)


def test_the_recommendation_records_the_county(rec_campaign, tree, actors):
    project = submitted(rec_campaign, tree["town_a1"])
    services.recommend_project(actor=actors["county_admin_above"], project=project)
    project.refresh_from_db()
    assert project.recommended_by == tree["county_a"]
    event = project.events.get()
    assert (event.actor, event.from_status, event.to_status) == (
        actors["county_admin_above"], ProjectStatus.SUBMITTED, ProjectStatus.RECOMMENDED)
