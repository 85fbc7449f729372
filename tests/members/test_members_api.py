"""API.md "Conventions/Auth" and "Members": token, /me/, /unions/, /users/."""

import pytest

from members.credentials import digest
from members.models import ApiToken, Union, User
from tests.factories import PASSWORD, AdminFactory, UserFactory

pytestmark = pytest.mark.django_db


# --- token auth --------------------------------------------------------------------------------


def test_token_is_issued_for_good_credentials_and_authenticates_requests(api, people):
    response = api.post("/api/v1/auth/token/", {"username": "staff_a", "password": PASSWORD}, format="json")
    assert response.status_code == 200
    token = response.json()["token"]
    # Only the key's digest is stored.
    stored = ApiToken.objects.get(user=people["staff_a"])
    assert stored.digest == digest(token) and token not in stored.digest

    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = api.get("/api/v1/me/")
    assert me.status_code == 200
    assert me.json()["username"] == "staff_a"


def test_asking_twice_gives_two_tokens_that_both_work(api, people):
    # One token per client (phone, script): logging one out leaves the other.
    first = api.post("/api/v1/auth/token/", {"username": "staff_a", "password": PASSWORD}, format="json").json()
    second = api.post("/api/v1/auth/token/", {"username": "staff_a", "password": PASSWORD}, format="json").json()
    assert first != second
    for body in (first, second):
        api.credentials(HTTP_AUTHORIZATION=f"Token {body['token']}")
        assert api.get("/api/v1/me/").status_code == 200


@pytest.mark.parametrize("body", [
    {"username": "staff_a", "password": "wrong"},
    {"username": "nobody", "password": PASSWORD},
])
def test_bad_credentials_are_400_with_a_message(api, people, body):
    response = api.post("/api/v1/auth/token/", body, format="json")
    assert response.status_code == 400
    assert response.json()["detail"]
    assert not ApiToken.objects.exists()


def test_an_inactive_user_gets_no_token(api, people):
    User.objects.filter(pk=people["staff_a"].pk).update(is_active=False)
    response = api.post("/api/v1/auth/token/", {"username": "staff_a", "password": PASSWORD}, format="json")
    assert response.status_code == 400


@pytest.mark.parametrize("body", [{}, {"username": ["a"], "password": {"x": 1}}, {"username": "a"}])
def test_malformed_token_requests_are_400(api, db, body):
    assert api.post("/api/v1/auth/token/", body, format="json").status_code == 400


def test_token_request_that_is_not_json_is_400(api, db):
    response = api.post("/api/v1/auth/token/", "{not json", content_type="application/json")
    assert response.status_code == 400


def test_a_wrong_token_is_401(api, db):
    api.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef")
    assert api.get("/api/v1/me/").status_code == 401


@pytest.mark.parametrize("url", ["/api/v1/me/", "/api/v1/unions/", "/api/v1/users/", "/api/v1/campaigns/",
                                 "/api/v1/projects/"])
def test_anonymous_requests_are_401(api, db, url):
    assert api.get(url).status_code == 401


# --- /me/ --------------------------------------------------------------------------------------


def test_me_describes_the_signed_in_user(api_as, people, tree):
    body = api_as(people["county_admin_a"]).get("/api/v1/me/").json()
    assert body == {"id": people["county_admin_a"].pk, "username": "cadmin_a", "name": people["county_admin_a"].name,
                    "union": tree["county_a"].pk, "roles": ["county_admin"]}


def test_me_of_a_superuser_without_union(api_as, db):
    root = User.objects.create_superuser("root", "root@example.com", PASSWORD)
    body = api_as(root).get("/api/v1/me/").json()
    assert body["union"] is None and body["roles"] == []


# --- /unions/ ----------------------------------------------------------------------------------


def test_everyone_signed_in_reads_the_union_tree(api_as, people, tree):
    response = api_as(people["juror"]).get("/api/v1/unions/")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 4
    county_a = next(u for u in body["results"] if u["id"] == tree["county_a"].pk)
    assert county_a == {"id": tree["county_a"].pk, "name": "江阴市总工会", "short_name": "江阴", "level": "county",
                        "parent": tree["city"].pk}


def test_one_union_is_read_by_id(api_as, people, tree):
    response = api_as(people["staff_b"]).get(f"/api/v1/unions/{tree['town_a1'].pk}/")
    assert response.status_code == 200
    assert response.json()["parent"] == tree["county_a"].pk


@pytest.mark.parametrize("pk", ["999999", "99999999999999999999999999"])
def test_an_unknown_union_is_404(api_as, people, pk):
    assert api_as(people["staff_a"]).get(f"/api/v1/unions/{pk}/").status_code == 404


def test_admin_creates_a_union_below_its_own(api_as, people, tree):
    response = api_as(people["admin"]).post(
        "/api/v1/unions/", {"name": "梁溪区总工会", "short_name": "梁溪", "level": "county", "parent": tree["city"].pk},
        format="json")
    assert response.status_code == 201
    union = Union.objects.get(name="梁溪区总工会")
    assert response.json() == {"id": union.pk, "name": "梁溪区总工会", "short_name": "梁溪", "level": "county",
                               "parent": tree["city"].pk}
    assert union.path == f"{tree['city'].path}{union.pk}/"


@pytest.mark.parametrize("who", ["staff_a", "county_admin_a", "juror"])
def test_only_admins_create_unions(api_as, people, tree, who):
    response = api_as(people[who]).post(
        "/api/v1/unions/", {"name": "新工会", "level": "town", "parent": tree["county_a"].pk}, format="json")
    assert response.status_code == 403
    assert not Union.objects.filter(name="新工会").exists()


def test_an_admin_cannot_create_a_union_outside_its_tree(api_as, tree):
    other_city = Union.objects.create(name="苏州市总工会", level="municipal")
    admin = AdminFactory(union=other_city)
    response = api_as(admin).post("/api/v1/unions/", {"name": "x", "level": "county", "parent": tree["city"].pk},
                                  format="json")
    assert response.status_code == 403


@pytest.mark.parametrize("body", [
    {"name": "x", "level": "nation", "parent": None},
    {"name": "x", "level": "county", "parent": "abc"},
    {"name": "x", "level": "county", "parent": 99999999999999999999999},
    {"name": "无锡市总工会", "level": "county", "parent": 1},  # names are unique
    {"name": ["x"], "level": "county", "parent": 1},
])
def test_invalid_unions_are_400(api_as, people, tree, body):
    if body.get("parent") == 1:
        body["parent"] = tree["city"].pk
    assert api_as(people["admin"]).post("/api/v1/unions/", body, format="json").status_code == 400


def test_a_new_root_union_is_for_superusers_only(api_as, people):
    assert api_as(people["admin"]).post("/api/v1/unions/", {"name": "苏州市总工会", "level": "municipal"},
                                        format="json").status_code == 403
    root = User.objects.create_superuser("root", "root@example.com", PASSWORD)
    client = api_as(root)
    # only the municipal union may have no parent
    assert client.post("/api/v1/unions/", {"name": "x", "level": "county"}, format="json").status_code == 400
    assert client.post("/api/v1/unions/", {"name": "苏州市总工会", "level": "municipal"},
                       format="json").status_code == 201


# --- /users/ -----------------------------------------------------------------------------------


def test_admin_lists_the_users_it_manages(api_as, people, tree):
    outsider_city = Union.objects.create(name="苏州市总工会", level="municipal")
    UserFactory(username="outsider", union=outsider_city, is_staff_role=True)
    body = api_as(people["admin"]).get("/api/v1/users/").json()
    usernames = {u["username"] for u in body["results"]}
    # the jury pool (no union) is managed by admins too
    assert usernames == {"admin1", "staff_a", "staff_a1", "staff_b", "cadmin_a", "cadmin_b", "juror1"}
    staff_a = next(u for u in body["results"] if u["username"] == "staff_a")
    assert staff_a["union"] == tree["county_a"].pk and staff_a["roles"] == ["staff"]
    assert "password" not in staff_a


@pytest.mark.parametrize("who", ["staff_a", "county_admin_a", "juror"])
def test_non_admins_may_not_list_or_read_users(api_as, people, who):
    client = api_as(people[who])
    assert client.get("/api/v1/users/").status_code == 403
    assert client.get(f"/api/v1/users/{people[who].pk}/").status_code == 403


def test_admin_reads_one_managed_user_and_not_others(api_as, people):
    other = AdminFactory(union=Union.objects.create(name="苏州市总工会", level="municipal"))
    client = api_as(people["admin"])
    assert client.get(f"/api/v1/users/{people['staff_a1'].pk}/").json()["username"] == "staff_a1"
    assert client.get(f"/api/v1/users/{other.pk}/").status_code == 404


def test_admin_creates_a_juror_and_a_staff_member(api_as, people, tree, api):
    client = api_as(people["admin"])
    response = client.post("/api/v1/users/", {
        "username": "zhang_san", "password": "Lao-mo-2026!", "name": "张三", "phone": "13800000000",
        "union": tree["town_a1"].pk, "roles": ["staff", "juror"], "juror_kind": "model_worker"}, format="json")
    assert response.status_code == 201, response.json()
    user = User.objects.get(username="zhang_san")
    assert response.json() == {"id": user.pk, "username": "zhang_san", "name": "张三", "phone": "13800000000",
                               "union": tree["town_a1"].pk, "roles": ["staff", "juror"],
                               "juror_kind": "model_worker", "is_active": True}
    assert user.check_password("Lao-mo-2026!")

    client.logout()
    token = api.post("/api/v1/auth/token/", {"username": "zhang_san", "password": "Lao-mo-2026!"}, format="json")
    assert token.status_code == 200


@pytest.mark.parametrize("who", ["staff_a", "county_admin_a", "juror"])
def test_only_admins_create_users(api_as, people, tree, who):
    response = api_as(people[who]).post("/api/v1/users/", {
        "username": "x1", "password": "Lao-mo-2026!", "union": tree["county_a"].pk, "roles": ["staff"]}, format="json")
    assert response.status_code == 403
    assert not User.objects.filter(username="x1").exists()


@pytest.mark.parametrize("body, field", [
    ({"username": "staff_a", "password": "Lao-mo-2026!", "roles": ["juror"]}, "username"),
    ({"username": "x2", "password": "123", "roles": ["juror"]}, "password"),
    ({"username": "x2", "password": "Lao-mo-2026!", "roles": ["king"]}, "roles"),
    ({"username": "x2", "password": "Lao-mo-2026!", "roles": "staff"}, "roles"),
    ({"username": "x2", "password": "Lao-mo-2026!", "roles": ["staff"]}, "union"),  # staff need a union
    ({"username": "x2", "password": "Lao-mo-2026!", "roles": ["staff"], "union": 99999999999999999999}, "union"),
    ({"username": "x2", "password": "Lao-mo-2026!", "roles": [], "juror_kind": "expert"}, "juror_kind"),
    ({"username": "x y/z", "password": "Lao-mo-2026!", "roles": ["juror"]}, "username"),
])
def test_invalid_users_are_400_naming_the_field(api_as, people, body, field):
    response = api_as(people["admin"]).post("/api/v1/users/", body, format="json")
    assert response.status_code == 400
    assert field in response.json()


def test_users_list_query_count_does_not_grow(api_as, people, tree, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = api_as(people["admin"])
    with CaptureQueriesContext(connection) as few:
        client.get("/api/v1/users/")
    for i in range(30):
        UserFactory(username=f"many{i}", union=tree["town_a1"], is_staff_role=True)
    with CaptureQueriesContext(connection) as many:
        assert client.get("/api/v1/users/").json()["count"] == 37
    assert len(many) == len(few)


def test_unions_list_query_count_does_not_grow(api_as, people, tree):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = api_as(people["staff_a"])
    with CaptureQueriesContext(connection) as few:
        assert client.get("/api/v1/unions/").json()["count"] == 4
    for i in range(30):
        Union.objects.create(name=f"基层工会{i}", level="grassroots", parent=tree["town_a1"])
    with CaptureQueriesContext(connection) as many:
        assert client.get("/api/v1/unions/").json()["count"] == 34
    assert len(many) == len(few)


def test_a_superuser_without_union_manages_members(api_as, tree):
    root = User.objects.create_superuser("root", "root@example.com", PASSWORD)
    client = api_as(root)
    assert client.post("/api/v1/unions/", {"name": "新吴区总工会", "level": "county", "parent": tree["city"].pk},
                       format="json").status_code == 201
    assert client.post("/api/v1/users/", {"username": "w1", "password": "Lao-mo-2026!", "roles": ["staff"],
                                          "union": tree["county_a"].pk}, format="json").status_code == 201
    assert client.get("/api/v1/users/").json()["count"] == 2
