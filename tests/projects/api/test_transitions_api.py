"""API.md transitions: every state × every action × role → the status code of the contract.

The table is written by hand from DESIGN.md / API.md, not computed from our rules:
- submit: staff of the applicant union, from draft/returned;
- recommend: county admin of an ancestor union, from submitted (campaign requires it);
- return: admin from submitted/recommended; county admin from submitted only (before recommendation);
- approve / reject: admin, from submitted/recommended; shortlist: admin, from approved;
- a draft is private to its union's subtree: the municipal admin does not see it (404);
- not allowed (403) is answered before the wrong state (409).
The project is filed by 澄江 (a town below 江阴); the county admin is 江阴's.
"""

import pytest

from projects.enums import ProjectStatus
from projects.models import ProjectEvent
from tests.factories import CampaignFactory, ProjectFactory

pytestmark = pytest.mark.django_db

STATES = ["draft", "returned", "submitted", "recommended", "approved", "rejected", "shortlisted"]
ACTIONS = ["submit", "recommend", "return", "approve", "reject", "shortlist"]

#                      submit recommend return approve reject shortlist
EXPECTED = {
    "admin": {
        "draft":       (404,   404,      404,   404,    404,   404),
        "returned":    (403,   403,      409,   409,    409,   409),
        "submitted":   (403,   403,      200,   200,    200,   409),
        "recommended": (403,   403,      200,   200,    200,   409),
        "approved":    (403,   403,      409,   409,    409,   200),
        "rejected":    (403,   403,      409,   409,    409,   409),
        "shortlisted": (403,   403,      409,   409,    409,   409),
    },
    "applicant_staff": {
        "draft":       (200,   403,      403,   403,    403,   403),
        "returned":    (200,   403,      403,   403,    403,   403),
        "submitted":   (409,   403,      403,   403,    403,   403),
        "recommended": (409,   403,      403,   403,    403,   403),
        "approved":    (409,   403,      403,   403,    403,   403),
        "rejected":    (409,   403,      403,   403,    403,   403),
        "shortlisted": (409,   403,      403,   403,    403,   403),
    },
    "ancestor_county_admin": {
        "draft":       (403,   409,      409,   403,    403,   403),
        "returned":    (403,   409,      409,   403,    403,   403),
        "submitted":   (403,   200,      200,   403,    403,   403),
        "recommended": (403,   409,      409,   403,    403,   403),
        "approved":    (403,   409,      409,   403,    403,   403),
        "rejected":    (403,   409,      409,   403,    403,   403),
        "shortlisted": (403,   409,      409,   403,    403,   403),
    },
}

# Where a successful action leads (DESIGN.md's workflow).
TARGET = {"submit": "submitted", "recommend": "recommended", "return": "returned", "approve": "approved",
          "reject": "rejected", "shortlist": "shortlisted"}

CASES = [
    pytest.param(role, state, action, EXPECTED[role][state][i], id=f"{role}-{state}-{action}")
    for role in EXPECTED for state in STATES for i, action in enumerate(ACTIONS)
]


@pytest.fixture
def actors(people):
    return {"admin": people["admin"], "applicant_staff": people["staff_a1"],
            "ancestor_county_admin": people["county_admin_a"]}


@pytest.fixture
def recommending_campaign(tree):
    return CampaignFactory(owner_union=tree["city"], require_recommendation=True, recommendation_quota=2)


@pytest.mark.parametrize("role, state, action, expected", CASES)
def test_transition_matrix(api_as, actors, tree, recommending_campaign, role, state, action, expected):
    project = ProjectFactory(campaign=recommending_campaign, applicant_union=tree["town_a1"], status=state)
    body = {"reason": "理由：材料不全"} if action in ("return", "reject") else {}
    response = api_as(actors[role]).post(f"/api/v1/projects/{project.pk}/{action}/", body, format="json")

    assert response.status_code == expected, response.content
    project.refresh_from_db()
    if expected == 200:
        assert response.json()["status"] == TARGET[action] == project.status
        assert response.json()["id"] == project.pk
        event = ProjectEvent.objects.get(project=project)
        assert (event.actor, event.action, event.from_status, event.to_status) == (
            actors[role], action, state, TARGET[action])
    else:
        assert project.status == state
        assert not ProjectEvent.objects.filter(project=project).exists()
    if expected == 409:
        assert response.json()["state"] == state
        assert response.json()["detail"]


def test_recommend_in_a_campaign_without_recommendation_is_409(api_as, people, tree, campaign):
    project = ProjectFactory(campaign=campaign, applicant_union=tree["town_a1"], status=ProjectStatus.SUBMITTED)
    response = api_as(people["county_admin_a"]).post(f"/api/v1/projects/{project.pk}/recommend/")
    assert response.status_code == 409
    assert response.json()["state"] == "submitted"


def test_recommendations_beyond_the_quota_are_409(api_as, people, tree):
    campaign = CampaignFactory(owner_union=tree["city"], require_recommendation=True, recommendation_quota=1)
    first, second = ProjectFactory.create_batch(2, campaign=campaign, applicant_union=tree["town_a1"],
                                                status=ProjectStatus.SUBMITTED)
    client = api_as(people["county_admin_a"])
    assert client.post(f"/api/v1/projects/{first.pk}/recommend/").status_code == 200
    response = client.post(f"/api/v1/projects/{second.pk}/recommend/")
    assert response.status_code == 409
    assert "名额" in response.json()["detail"]


def test_submit_outside_the_filing_window_is_409_with_a_message(api_as, people, tree):
    import datetime

    campaign = CampaignFactory(owner_union=tree["city"], filing_opens=datetime.date(2020, 3, 1),
                               filing_deadline=datetime.date(2020, 4, 30))
    project = ProjectFactory(campaign=campaign, applicant_union=tree["town_a1"])
    response = api_as(people["staff_a1"]).post(f"/api/v1/projects/{project.pk}/submit/")
    assert response.status_code == 409
    assert "2020-04-30" in response.json()["detail"]


@pytest.mark.parametrize("action", ["return", "reject"])
@pytest.mark.parametrize("body", [{}, {"reason": ""}, {"reason": "   "}])
def test_return_and_reject_without_a_reason_are_400(api_as, people, tree, campaign, action, body):
    project = ProjectFactory(campaign=campaign, applicant_union=tree["town_a1"], status=ProjectStatus.SUBMITTED)
    response = api_as(people["admin"]).post(f"/api/v1/projects/{project.pk}/{action}/", body, format="json")
    assert response.status_code == 400
    assert "reason" in response.json()
    project.refresh_from_db()
    assert project.status == "submitted"


@pytest.mark.parametrize("body", [{"reason": ["a", "b"]}, {"reason": {"x": 1}}, {"reason": "x" * 2001}])
def test_a_malformed_reason_is_400(api_as, people, tree, campaign, body):
    project = ProjectFactory(campaign=campaign, applicant_union=tree["town_a1"], status=ProjectStatus.SUBMITTED)
    response = api_as(people["admin"]).post(f"/api/v1/projects/{project.pk}/reject/", body, format="json")
    assert response.status_code == 400
    project.refresh_from_db()
    assert project.status == "submitted"


def test_a_reason_that_is_not_json_is_400(api_as, people, tree, campaign):
    project = ProjectFactory(campaign=campaign, applicant_union=tree["town_a1"], status=ProjectStatus.SUBMITTED)
    response = api_as(people["admin"]).post(f"/api/v1/projects/{project.pk}/reject/", "{oops",
                                            content_type="application/json")
    assert response.status_code == 400


@pytest.mark.parametrize("action", ["submit", "approve"])
def test_transitions_are_post_only(api_as, people, tree, campaign, action):
    project = ProjectFactory(campaign=campaign, applicant_union=tree["town_a1"], status=ProjectStatus.SUBMITTED)
    assert api_as(people["admin"]).get(f"/api/v1/projects/{project.pk}/{action}/").status_code == 405


def test_staff_of_another_union_cannot_see_a_draft_to_act_on_it(api_as, people, tree, campaign):
    project = ProjectFactory(campaign=campaign, applicant_union=tree["town_a1"])
    assert api_as(people["staff_b"]).post(f"/api/v1/projects/{project.pk}/submit/").status_code == 404


def test_anonymous_transitions_are_401(api, tree, campaign):
    project = ProjectFactory(campaign=campaign, applicant_union=tree["town_a1"], status=ProjectStatus.SUBMITTED)
    assert api.post(f"/api/v1/projects/{project.pk}/approve/").status_code == 401


@pytest.mark.parametrize("action, state", [("approve", "submitted"), ("reject", "recommended"),
                                           ("return", "submitted"), ("shortlist", "approved")])
def test_a_superuser_screens_any_campaign(api_as, tree, campaign, action, state):
    from members.models import User

    root = User.objects.create_superuser("root", "root@example.com", "x")
    project = ProjectFactory(campaign=campaign, applicant_union=tree["town_a1"], status=state)
    response = api_as(root).post(f"/api/v1/projects/{project.pk}/{action}/", {"reason": "理由"}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == TARGET[action]


def test_history_and_attachments_lists_query_count_does_not_grow(api_as, people, tree, campaign, settings,
                                                                  tmp_path):
    from django.core.files.base import ContentFile
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from projects.models import Attachment

    settings.MEDIA_ROOT = tmp_path
    project = ProjectFactory(campaign=campaign, applicant_union=tree["town_a1"])
    client = api_as(people["staff_a1"])

    def add(n):
        for i in range(n):
            ProjectEvent.objects.create(project=project, actor=people["staff_a1"], action="create", to_status="draft")
            attachment = Attachment(project=project, name=f"{i}.pdf", size=1, content_type="application/pdf")
            attachment.file.save(f"{i}.pdf", ContentFile(b"%PDF-1.4"), save=True)

    def counts():
        result = []
        for url in ("history", "attachments"):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(f"/api/v1/projects/{project.pk}/{url}/").status_code == 200
            result.append(len(queries))
        return result

    add(1)
    one = counts()
    add(29)
    assert counts() == one
    assert len(client.get(f"/api/v1/projects/{project.pk}/history/").json()) == 30
