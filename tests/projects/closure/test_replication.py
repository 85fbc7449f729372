"""Replication plans (复制推广计划): only closed projects, never by the project's own union,
once per union; status moves forward and is audited; the project page shows who replicated it;
the list of plans by year (page and API)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from members.enums import UnionLevel
from projects import services
from projects.models import ReplicationPlan
from tests.factories import ProjectFactory, StaffFactory, UnionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed(tree, campaign):
    return ProjectFactory(campaign=campaign, applicant_union=tree["town_a1"], status="closed", title="职工书屋")


def post_plan(api_as, user, project, **extra):
    return api_as(user).post("/api/v1/replication-plans/",
                             {"source_project": project.pk, "plan": "在全区推广职工书屋。", **extra}, format="json")


def test_another_union_files_a_plan_for_a_closed_project(api_as, people, tree, closed):
    response = post_plan(api_as, people["staff_b"], closed)
    assert response.status_code == 201, response.content
    body = response.json()
    assert {k: body[k] for k in ("source_project", "adopting_union", "plan", "status")} == {
        "source_project": closed.pk, "adopting_union": tree["county_b"].pk, "plan": "在全区推广职工书屋。",
        "status": "planned"}
    plan = ReplicationPlan.objects.get()
    assert plan.created_by == people["staff_b"] and plan.history.count() == 1


@pytest.mark.parametrize("state", ["approved", "awarded", "closing", "closure_failed"])
def test_a_project_that_is_not_closed_cannot_be_replicated(api_as, people, tree, campaign, state):
    # the admin can see it, so the answer is the state's 409 (another union's staff: not found)
    project = ProjectFactory(campaign=campaign, applicant_union=tree["town_a1"], status=state)
    admin_response = post_plan(api_as, people["admin"], project, adopting_union=tree["county_b"].pk)
    assert admin_response.status_code == 409
    assert admin_response.json()["state"] == state
    staff_response = post_plan(api_as, people["staff_b"], project)
    assert staff_response.status_code == 400
    assert "source_project" in staff_response.json()
    assert not ReplicationPlan.objects.exists()


def test_the_projects_own_union_cannot_replicate_it(api_as, people, closed):
    response = post_plan(api_as, people["staff_a1"], closed)
    assert response.status_code == 400
    assert response.json()["adopting_union"] == ["不能推广本单位自己的项目。"]
    assert not ReplicationPlan.objects.exists()


def test_a_second_plan_of_the_same_union_is_400(api_as, people, closed):
    assert post_plan(api_as, people["staff_b"], closed).status_code == 201
    response = post_plan(api_as, people["staff_b"], closed)
    assert response.status_code == 400
    assert "adopting_union" in response.json()
    assert ReplicationPlan.objects.count() == 1


def test_staff_may_not_file_for_another_union(api_as, people, tree, closed):
    response = post_plan(api_as, people["staff_b"], closed, adopting_union=tree["county_a"].pk)
    assert response.status_code == 403


def test_jurors_may_not_file_plans(api_as, people, closed):
    assert post_plan(api_as, people["juror"], closed).status_code == 403


def test_status_moves_forward_and_is_audited(api_as, people, closed):
    plan_id = post_plan(api_as, people["staff_b"], closed).json()["id"]
    client = api_as(people["staff_b"])
    url = f"/api/v1/replication-plans/{plan_id}/"
    assert client.patch(url, {"status": "in_progress"}, format="json").json()["status"] == "in_progress"
    response = client.patch(url, {"status": "done"}, format="json")
    assert response.status_code == 400 and "adoption_report" in response.json()
    response = client.patch(url, {"status": "done", "adoption_report": "已建成 5 个职工书屋。"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "done"
    back = client.patch(url, {"status": "planned"}, format="json")
    assert back.status_code == 409 and back.json()["state"] == "done"
    plan = ReplicationPlan.objects.get()
    assert [h.status for h in plan.history.order_by("history_date", "history_id")] == [
        "planned", "in_progress", "done"]
    assert all(h.history_user == people["staff_b"] for h in plan.history.all())


def test_only_the_adopting_union_or_an_admin_changes_a_plan(api_as, people, closed):
    plan_id = post_plan(api_as, people["staff_b"], closed).json()["id"]
    url = f"/api/v1/replication-plans/{plan_id}/"
    # the source project's staff may read it (it is about their project) but not change it
    assert api_as(people["staff_a1"]).patch(url, {"status": "in_progress"}, format="json").status_code == 403
    assert api_as(people["admin"]).patch(url, {"status": "in_progress"}, format="json").status_code == 200


def test_plans_are_listed_and_filtered_by_year_project_and_union(api_as, people, tree, campaign, closed):
    other = ProjectFactory(campaign=campaign, applicant_union=tree["county_b"], status="closed")
    a = services.create_replication_plan(actor=people["staff_b"], source_project=closed, plan="计划", year=2019)
    b = services.create_replication_plan(actor=people["staff_a"], source_project=closed, plan="计划", year=2020)
    c = services.create_replication_plan(actor=people["staff_a"], source_project=other, plan="计划", year=2020)
    client = api_as(people["admin"])

    def ids(query):
        response = client.get(f"/api/v1/replication-plans/{query}")
        assert response.status_code == 200
        return {row["id"] for row in response.json()["results"]}

    assert ids("") == {a.pk, b.pk, c.pk}
    assert ids("?year=2020") == {b.pk, c.pk}
    assert ids(f"?source_project={closed.pk}") == {a.pk, b.pk}
    assert ids(f"?adopting_union={tree['county_a'].pk}&year=2020") == {b.pk, c.pk}
    assert client.get("/api/v1/replication-plans/?year=abc").status_code == 400
    assert client.get("/api/v1/replication-plans/99999/").status_code == 404


def test_the_project_page_shows_who_replicated_it(client, people, tree, closed):
    services.create_replication_plan(actor=people["staff_b"], source_project=closed, plan="计划")
    client.force_login(people["staff_a1"])
    page = client.get(f"/projects/{closed.pk}/").content.decode()
    assert "宜兴市总工会" in page and 'data-testid="replicated-by"' in page


def test_staff_of_another_union_replicates_from_the_project_page(client, people, closed):
    client.force_login(people["staff_b"])
    assert "本单位复制推广" in client.get(f"/projects/{closed.pk}/").content.decode()
    response = client.post(f"/projects/{closed.pk}/replicate/", {"plan": "宜兴推广计划"}, follow=True)
    assert response.status_code == 200
    plan = ReplicationPlan.objects.get()
    assert plan.adopting_union == people["staff_b"].union
    # once filed, the form is no longer offered
    assert "本单位复制推广" not in client.get(f"/projects/{closed.pk}/").content.decode()


def test_the_plan_page_updates_status(client, people, closed):
    plan = services.create_replication_plan(actor=people["staff_b"], source_project=closed, plan="计划")
    client.force_login(people["staff_b"])
    response = client.post(f"/replication/{plan.pk}/", {"status": "in_progress", "plan": "计划二",
                                                         "adoption_report": ""})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert (plan.status, plan.plan) == ("in_progress", "计划二")
    client.force_login(people["staff_a1"])
    assert client.post(f"/replication/{plan.pk}/", {"status": "done"}).status_code == 403


def test_list_page_and_api_query_counts_do_not_grow(client, api_as, people, tree, campaign):
    admin = people["admin"]

    def add(n):
        for _ in range(n):
            union = UnionFactory(level=UnionLevel.TOWN, parent=tree["county_b"])
            source = ProjectFactory(campaign=campaign, applicant_union=tree["town_a1"], status="closed")
            services.create_replication_plan(actor=StaffFactory(union=union), source_project=source, plan="计划")

    def counts():
        client.force_login(admin)
        with CaptureQueriesContext(connection) as page:
            assert client.get("/replication/").status_code == 200
        api = api_as(admin)
        with CaptureQueriesContext(connection) as listing:
            assert api.get("/api/v1/replication-plans/").status_code == 200
        return len(page), len(listing)

    add(1)
    one = counts()
    add(29)
    assert counts() == one
