"""Who may read a project: ``projects.queries.projects_visible_to`` for every kind of viewer and
a draft, a submitted and a closed project, all filed by 澄江 (a town union below 江阴).

Written by hand from API.md: staff and county admins see their union's projects and those of
the unions below (drafts too); admins of the owner union see the campaign's filed projects
(never a draft); closed projects are readable by every union's staff.
"""

import pytest
from django.contrib.auth.models import AnonymousUser

from projects.enums import ProjectStatus
from projects.queries import get_visible_project, project_list, projects_visible_to
from tests.factories import ProjectFactory

Y, N = True, False

VIEWERS = {
    #                          draft  submitted  closed
    "applicant_staff":         (Y,    Y,         Y),
    "staff_above":             (Y,    Y,         Y),  # 江阴's staff see 澄江's projects
    "staff_below":             (N,    N,         Y),  # a grassroots union below 澄江 does not
    "sibling_staff":           (N,    N,         Y),
    "staff_other_county":      (N,    N,         Y),
    "county_admin_above":      (Y,    Y,         Y),
    "county_admin_elsewhere":  (N,    N,         N),  # a county admin is not staff: no showcase
    "campaign_admin":          (N,    Y,         Y),  # a draft is private to its union
    "unrelated_admin":         (N,    N,         N),  # the admin of another city
    "juror":                   (N,    N,         N),
    "superuser":               (N,    Y,         Y),
    "anonymous":               (N,    N,         N),
}
STATES = (ProjectStatus.DRAFT, ProjectStatus.SUBMITTED, ProjectStatus.CLOSED)

CASES = [
    pytest.param(viewer, state, row[i], id=f"{viewer}-{state}")
    for viewer, row in VIEWERS.items()
    for i, state in enumerate(STATES)
]


@pytest.fixture
def viewers(actors):
    return {**actors, "anonymous": AnonymousUser()}


@pytest.mark.parametrize("viewer,state,visible", CASES)
def test_visibility_matrix(viewer, state, visible, viewers, tree, campaign):
    project = ProjectFactory(campaign=campaign, applicant_union=tree["town_a1"], status=state)
    ProjectFactory(campaign=campaign, applicant_union=tree["county_b"], status=ProjectStatus.SUBMITTED)
    user = viewers[viewer]
    assert projects_visible_to(user).filter(pk=project.pk).exists() is visible
    if visible:
        assert get_visible_project(user, project.pk) == project
    else:
        with pytest.raises(type(project).DoesNotExist):
            get_visible_project(user, project.pk)


def test_a_project_appears_once_even_when_several_grounds_make_it_visible(tree, campaign, actors):
    # 江阴's staff see a closed project of 澄江 both as its county and as the showcase.
    ProjectFactory(campaign=campaign, applicant_union=tree["town_a1"], status=ProjectStatus.CLOSED)
    assert projects_visible_to(actors["staff_above"]).count() == 1


def test_admins_see_only_the_campaigns_of_their_own_tree(tree, campaign, actors, more_unions):
    from tests.factories import CampaignFactory

    suzhou = CampaignFactory(owner_union=more_unions["other_city"])
    ours = ProjectFactory(campaign=campaign, applicant_union=tree["county_a"], status=ProjectStatus.SUBMITTED)
    theirs = ProjectFactory(campaign=suzhou, status=ProjectStatus.SUBMITTED)
    assert list(projects_visible_to(actors["campaign_admin"])) == [ours]
    assert list(projects_visible_to(actors["unrelated_admin"])) == [theirs]
    assert set(projects_visible_to(actors["superuser"])) == {ours, theirs}


def test_project_list_costs_the_same_for_1_and_30_projects(tree, campaign, actors, django_assert_num_queries):
    staff = actors["staff_above"]

    def titles():
        return [(p.title, p.campaign.title, p.applicant_union.name) for p in project_list(staff)]

    ProjectFactory(campaign=campaign, applicant_union=tree["town_a1"])
    with django_assert_num_queries(1):
        assert len(titles()) == 1
    ProjectFactory.create_batch(29, campaign=campaign, applicant_union=tree["town_a1"])
    with django_assert_num_queries(1):
        assert len(titles()) == 30
