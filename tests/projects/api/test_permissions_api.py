"""Who may read and change a project through the API: viewer × operation → status code.

The project is filed by 澄江 (town_a1, below 江阴/county_a). Written by hand from DESIGN.md and
API.md: staff and county admins see their union's subtree; the municipal admin sees everything
filed (not drafts); closed projects are readable by every union's staff; only the applicant
union's staff edit or attach, and only in draft/returned; invisible is 404, anonymous 401.
"""

import pytest

from projects.models import Attachment
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
OPERATIONS = ["get", "patch", "history", "attach"]

#                                       GET  PATCH history attach
EXPECTED = {
    "draft": {
        "own_union_staff":             (200, 200,  200,    201),
        "staff_of_union_above":        (200, 403,  200,    403),
        "staff_of_union_below":        (404, 404,  404,    404),
        "sibling_union_staff":         (404, 404,  404,    404),
        "other_county_admin":          (404, 404,  404,    404),
        "ancestor_county_admin":       (200, 403,  200,    403),
        "municipal_admin":             (404, 404,  404,    404),
        "juror":                       (404, 404,  404,    404),
        "anonymous":                   (401, 401,  401,    401),
    },
    "submitted": {
        "own_union_staff":             (200, 409,  200,    409),
        "staff_of_union_above":        (200, 403,  200,    403),
        "staff_of_union_below":        (404, 404,  404,    404),
        "sibling_union_staff":         (404, 404,  404,    404),
        "other_county_admin":          (404, 404,  404,    404),
        "ancestor_county_admin":       (200, 403,  200,    403),
        "municipal_admin":             (200, 403,  200,    403),
        "juror":                       (404, 404,  404,    404),
        "anonymous":                   (401, 401,  401,    401),
    },
    "closed": {
        "own_union_staff":             (200, 409,  200,    409),
        "staff_of_union_above":        (200, 403,  200,    403),
        "staff_of_union_below":        (200, 403,  200,    403),
        "sibling_union_staff":         (200, 403,  200,    403),
        "other_county_admin":          (404, 404,  404,    404),
        "ancestor_county_admin":       (200, 403,  200,    403),
        "municipal_admin":             (200, 403,  200,    403),
        "juror":                       (404, 404,  404,    404),
        "anonymous":                   (401, 401,  401,    401),
    },
}

CASES = [
    pytest.param(state, viewer, op, codes[i], id=f"{state}-{viewer}-{op}")
    for state, table in EXPECTED.items() for viewer, codes in table.items() for i, op in enumerate(OPERATIONS)
]


@pytest.fixture
def viewers(people, more_people):
    return {
        "own_union_staff": people["staff_a1"],
        "staff_of_union_above": people["staff_a"],
        "staff_of_union_below": more_people["staff_grass_a1"],
        "sibling_union_staff": more_people["staff_a2"],
        "other_county_admin": people["county_admin_b"],
        "ancestor_county_admin": people["county_admin_a"],
        "municipal_admin": people["admin"],
        "juror": people["juror"],
        "anonymous": None,
    }


def perform(client, project, op, tmp_path):
    url = f"/api/v1/projects/{project.pk}/"
    if op == "get":
        return client.get(url)
    if op == "patch":
        return client.patch(url, {"title": "改过的标题"}, format="json")
    if op == "history":
        return client.get(f"{url}history/")
    upload = tmp_path / "申报书.pdf"
    upload.write_bytes(PDF)
    with upload.open("rb") as handle:
        return client.post(f"{url}attachments/", {"file": handle}, format="multipart")


@pytest.mark.parametrize("state, viewer, op, expected", CASES)
def test_permission_matrix(api_as, viewers, tree, campaign, settings, tmp_path, state, viewer, op, expected):
    settings.MEDIA_ROOT = tmp_path / "media"
    project = ProjectFactory(campaign=campaign, applicant_union=tree["town_a1"], status=state, title="原标题")
    response = perform(api_as(viewers[viewer]), project, op, tmp_path)

    assert response.status_code == expected, response.content
    project.refresh_from_db()
    assert project.title == ("改过的标题" if (op, expected) == ("patch", 200) else "原标题")
    assert Attachment.objects.filter(project=project).exists() == ((op, expected) == ("attach", 201))
    if expected == 200 and op == "get":
        assert response.json()["id"] == project.pk
    if expected == 404:
        # "not yours" looks exactly like "not there"
        assert response.json() == api_as(viewers[viewer]).get("/api/v1/projects/424242/").json()
