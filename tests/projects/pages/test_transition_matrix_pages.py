"""The same transition matrix as the API's, through the pages: every state × action × role.

The expectations are the API contract's hand-written table (tests/projects/api/test_transitions_api.py);
a page answers its own way: allowed → redirect with the new status and a success message; the
wrong state (409) → redirect with an error message and nothing changed; not allowed → the 403
page; not visible → the 404 page.
"""

import pytest
from django.contrib.messages import constants, get_messages

from projects.models import ProjectEvent
from tests.projects.api.test_transitions_api import ACTIONS, EXPECTED, STATES, TARGET
from tests.factories import CampaignFactory, ProjectFactory

pytestmark = pytest.mark.django_db

CASES = [
    pytest.param(role, state, action, EXPECTED[role][state][i], id=f"{role}-{state}-{action}")
    for role in EXPECTED for state in STATES for i, action in enumerate(ACTIONS)
]


@pytest.mark.parametrize("role, state, action, expected", CASES)
def test_transition_matrix_through_the_pages(client, people, tree, role, state, action, expected):
    actor = {"admin": people["admin"], "applicant_staff": people["staff_a1"],
             "ancestor_county_admin": people["county_admin_a"]}[role]
    campaign = CampaignFactory(owner_union=tree["city"], require_recommendation=True, recommendation_quota=2)
    project = ProjectFactory(campaign=campaign, applicant_union=tree["town_a1"], status=state)
    client.force_login(actor)

    response = client.post(f"/projects/{project.pk}/action/{action}/", {"reason": "理由：材料不全"})

    project.refresh_from_db()
    events = ProjectEvent.objects.filter(project=project)
    if expected == 200:
        assert response.status_code == 302
        assert project.status == TARGET[action]
        assert events.get().actor == actor
        assert any(m.level == constants.SUCCESS for m in get_messages(response.wsgi_request))
        return
    assert project.status == state and not events.exists()
    if expected == 409:
        assert response.status_code == 302
        errors = [m for m in get_messages(response.wsgi_request) if m.level == constants.ERROR]
        assert errors and str(errors[0])
    else:
        assert response.status_code == expected
        assert "text/html" in response["Content-Type"]
