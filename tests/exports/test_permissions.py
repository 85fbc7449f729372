"""Who may export what, and when: the permission matrix, 409 before compute, 400 for a bad
kind or format, 404 for a roadshow one cannot see."""

import pytest

from awards import services as award_services
from tests.factories import CountyAdminFactory, StaffFactory

from .helpers import body, export

KINDS = ["awards", "ranking", "scoresheets", "payouts"]


@pytest.fixture
def users(people, unions, applicant, scored, scored_show):
    juror = scored_show.jurors[0]
    return {
        "admin": people["admin"],
        "applicant": applicant,                      # staff of 澄江 (filed entries 2 and 5)
        "county_staff": people["staff_a"],           # staff of 江阴, above 澄江
        "county_admin": CountyAdminFactory(username="cadmin_b2", union=unions["county_b"]),
        "other_union": StaffFactory(username="other", union=unions["city"].children.create(
            name="无锡市直属机关工会", short_name="直属", level="direct")),
        "juror": juror,
    }


def status_of(client, user, roadshow, kind, fmt="csv"):
    client.force_login(user)
    response = export(client, roadshow, kind, fmt)
    body(response)
    client.logout()
    return response.status_code


# While closed (computed, not published) only the admin sees the roadshow at all: the
# applicant and other staff get 404, the juror sitting on it 403.
CLOSED = {
    "admin": {k: 200 for k in KINDS} | {"payouts": 409},
    "applicant": dict.fromkeys(KINDS, 404),
    "county_staff": dict.fromkeys(KINDS, 404),
    "county_admin": dict.fromkeys(KINDS, 404),
    "other_union": dict.fromkeys(KINDS, 404),
    "juror": dict.fromkeys(KINDS, 403),
}
# During 公示 every union's staff may read the results but nobody but the admin exports.
PUBLICITY = {
    "admin": {k: 200 for k in KINDS} | {"payouts": 409},
    "applicant": dict.fromkeys(KINDS, 403),
    "county_staff": dict.fromkeys(KINDS, 403),
    "county_admin": dict.fromkeys(KINDS, 403),
    "other_union": dict.fromkeys(KINDS, 403),
    "juror": dict.fromkeys(KINDS, 403),
}
# After finalisation the applicants (and the unions above them) fetch the award list only.
FINALIZED = {
    "admin": dict.fromkeys(KINDS, 200),
    "applicant": {k: 403 for k in KINDS} | {"awards": 200},
    "county_staff": {k: 403 for k in KINDS} | {"awards": 200},
    "county_admin": {k: 403 for k in KINDS} | {"awards": 200},  # 宜兴 filed entry 3
    "other_union": dict.fromkeys(KINDS, 403),
    "juror": dict.fromkeys(KINDS, 403),
}


@pytest.mark.parametrize("who", list(CLOSED))
def test_permission_matrix_while_closed(client, users, scored, who):
    assert {k: status_of(client, users[who], scored, k) for k in KINDS} == CLOSED[who]


@pytest.mark.parametrize("who", list(PUBLICITY))
def test_permission_matrix_during_publicity(client, users, scored, admin, who):
    award_services.publicize(actor=admin, roadshow=scored, days=5)
    assert {k: status_of(client, users[who], scored, k) for k in KINDS} == PUBLICITY[who]


@pytest.mark.parametrize("who", list(FINALIZED))
def test_permission_matrix_after_finalisation(client, users, finalized, who):
    assert {k: status_of(client, users[who], finalized, k) for k in KINDS} == FINALIZED[who]


def test_applicant_may_download_the_award_list_in_every_format_after_finalisation(client, applicant, finalized):
    client.force_login(applicant)
    for fmt in ("xlsx", "csv", "pdf"):
        response = export(client, finalized, "awards", fmt)
        assert response.status_code == 200, fmt
        assert body(response)
    assert export(client, finalized, "certificates", "pdf").status_code == 403


def test_anonymous_is_401(client, scored):
    response = export(client, scored, "awards", "xlsx")
    assert response.status_code == 401


def test_export_before_compute_is_409(client, admin, closed_roadshow):
    client.force_login(admin)
    for kind in KINDS:
        response = export(client, closed_roadshow, kind, "xlsx")
        assert response.status_code == 409, kind
        assert response.json()["state"] == "closed"
        assert response.json()["detail"]


def test_payouts_before_finalisation_is_409(client, admin, scored):
    client.force_login(admin)
    response = export(client, scored, "payouts", "xlsx")
    assert response.status_code == 409 and "定稿" in response.json()["detail"]


@pytest.mark.parametrize("params, field", [
    ({"kind": "everything", "format": "xlsx"}, "kind"),
    ({"kind": "awards", "format": "docx"}, "format"),
    ({"kind": "awards"}, "format"),
    ({"format": "csv"}, "kind"),
    ({"kind": "certificates", "format": "csv"}, "format"),
])
def test_bad_kind_or_format_is_400_with_a_clear_message(client, admin, scored, params, field):
    client.force_login(admin)
    response = client.get(f"/api/v1/roadshows/{scored.pk}/export/", params)
    assert response.status_code == 400
    assert field in response.json() and response.json()[field][0]


def test_unknown_roadshow_is_404(client, admin):
    client.force_login(admin)
    assert client.get("/api/v1/roadshows/999999/export/", {"kind": "awards", "format": "csv"}).status_code == 404


def test_superuser_exports_everything(client, scored, django_user_model):
    root = django_user_model.objects.create_superuser("root", "root@example.com", "x")
    client.force_login(root)
    assert export(client, scored, "scoresheets", "xlsx").status_code == 200
