"""API.md "Campaigns and projects": /projects/ list, filters, create, read, edit."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projects.enums import ProjectStatus
from projects.models import Project, ProjectEvent
from tests.factories import CampaignFactory, ProjectFactory

pytestmark = pytest.mark.django_db

PROJECT_FIELDS = {
    "id", "campaign", "applicant_union", "title", "category", "summary", "objectives", "plan", "expected_outcomes",
    "budget_requested", "contact_name", "contact_phone", "status", "created_at", "submitted_at",
}


def proposal(campaign_obj, **extra):
    return {"campaign": campaign_obj.pk, "title": "“网上职工之家”建设", "category": "工会自身建设",
            "summary": "让职工在手机上入会、办事。", "objectives": "覆盖全市", "plan": "三步走",
            "expected_outcomes": "入会率提高", "budget_requested": "50000", "contact_name": "李四",
            "contact_phone": "0510-12345678", **extra}


# --- create ------------------------------------------------------------------------------------


def test_staff_files_a_draft_for_its_own_union(api_as, people, tree, campaign):
    response = api_as(people["staff_a1"]).post("/api/v1/projects/", proposal(campaign), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert PROJECT_FIELDS <= set(body)
    project = Project.objects.get()
    assert body["id"] == project.pk
    assert body["status"] == "draft"
    assert body["applicant_union"] == tree["town_a1"].pk
    assert body["campaign"] == campaign.pk
    assert body["budget_requested"] == "50000.00"
    assert body["submitted_at"] is None
    assert body["title"] == "“网上职工之家”建设"
    assert ProjectEvent.objects.filter(project=project, action="create").count() == 1


def test_the_applicant_union_sent_by_a_client_is_ignored(api_as, people, tree, campaign):
    body = proposal(campaign, applicant_union=tree["county_b"].pk, status="approved")
    response = api_as(people["staff_a1"]).post("/api/v1/projects/", body, format="json")
    assert response.status_code == 201
    assert response.json()["applicant_union"] == tree["town_a1"].pk
    assert response.json()["status"] == "draft"


@pytest.mark.parametrize("who", ["admin", "county_admin_a", "juror"])
def test_only_staff_file_projects(api_as, people, campaign, who):
    assert api_as(people[who]).post("/api/v1/projects/", proposal(campaign), format="json").status_code == 403
    assert not Project.objects.exists()


@pytest.mark.parametrize("extra, field", [
    ({"campaign": 424242}, "campaign"),
    ({"campaign": "abc"}, "campaign"),
    ({"campaign": 99999999999999999999999}, "campaign"),
    ({"campaign": None}, "campaign"),
    ({"category": "不存在的领域"}, "category"),
    ({"budget_requested": "-5"}, "budget_requested"),
    ({"budget_requested": "abc"}, "budget_requested"),
    ({"budget_requested": "1e400"}, "budget_requested"),
    ({"title": ""}, "title"),
    ({"title": ["a", "b"]}, "title"),
    ({"title": "x" * 201}, "title"),
    ({"summary": {"a": 1}}, "summary"),
    ({"summary": "nul\x00byte"}, "summary"),
])
def test_invalid_proposals_are_400_naming_the_field(api_as, people, campaign, extra, field):
    response = api_as(people["staff_a1"]).post("/api/v1/projects/", proposal(campaign, **extra), format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Project.objects.exists()


@pytest.mark.parametrize("body", ["{not json", "[1, 2]", "null", '"string"'])
def test_a_body_that_is_not_a_json_object_is_400(api_as, people, campaign, body):
    response = api_as(people["staff_a1"]).post("/api/v1/projects/", body, content_type="application/json")
    assert response.status_code == 400


def test_chinese_text_and_script_tags_round_trip_unchanged(api_as, people, campaign):
    client = api_as(people["staff_a1"])
    title = "<script>alert('工会')</script> 职工“书屋”&amp;"
    summary = "第一行\n第二行 <b>粗</b> 😀 \\ \" '"
    created = client.post("/api/v1/projects/", proposal(campaign, title=title, summary=summary), format="json")
    assert created.status_code == 201
    fetched = client.get(f"/api/v1/projects/{created.json()['id']}/")
    assert fetched["Content-Type"].startswith("application/json")
    assert fetched.json()["title"] == title
    assert fetched.json()["summary"] == summary
    assert Project.objects.get().title == title


# --- read --------------------------------------------------------------------------------------


def test_list_is_paginated_with_the_contracts_keys(api_as, people, tree, campaign):
    ProjectFactory.create_batch(3, campaign=campaign, applicant_union=tree["town_a1"])
    body = api_as(people["staff_a1"]).get("/api/v1/projects/?page_size=2").json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 3 and len(body["results"]) == 2
    assert body["previous"] is None and "page=2" in body["next"]
    assert PROJECT_FIELDS <= set(body["results"][0])
    assert body["results"][0]["budget_requested"] == "50000.00"
    second = api_as(people["staff_a1"]).get("/api/v1/projects/?page_size=2&page=2").json()
    assert len(second["results"]) == 1 and second["next"] is None


def test_page_size_is_capped_at_500(api_as, people, tree, campaign):
    ProjectFactory.create_batch(3, campaign=campaign, applicant_union=tree["town_a1"])
    body = api_as(people["staff_a1"]).get("/api/v1/projects/?page_size=100000").json()
    assert len(body["results"]) == 3
    from unionproj.api import Pagination

    assert Pagination.max_page_size == 500


@pytest.mark.parametrize("query", [
    "page=abc", "page=-1", "page=0", "page_size=abc", "page_size=-3", "format=xlsx", "format=json",
    "page=99999999999999999999999999", "search=", "category=",
])
def test_odd_paging_and_format_parameters_are_never_a_500(api_as, people, tree, campaign, query):
    ProjectFactory(campaign=campaign, applicant_union=tree["town_a1"])
    response = api_as(people["staff_a1"]).get(f"/api/v1/projects/?{query}")
    assert response.status_code in (200, 404)
    if response.status_code == 200:
        assert response["Content-Type"].startswith("application/json")


@pytest.mark.parametrize("query", [
    "campaign=abc", "campaign=1.5", "campaign=99999999999999999999999", "applicant_union=x", "status=unknown",
    "search=" + "x" * 300, "search=a%00b", "campaign=-1",
])
def test_malformed_filters_are_400(api_as, people, tree, campaign, query):
    ProjectFactory(campaign=campaign, applicant_union=tree["town_a1"])
    assert api_as(people["staff_a1"]).get(f"/api/v1/projects/?{query}").status_code == 400


@pytest.mark.parametrize("pk", ["424242", "99999999999999999999999999", "0"])
def test_unknown_project_ids_are_404(api_as, people, pk):
    client = api_as(people["admin"])
    assert client.get(f"/api/v1/projects/{pk}/").status_code == 404
    assert client.post(f"/api/v1/projects/{pk}/approve/").status_code == 404
    assert client.get(f"/api/v1/projects/{pk}/history/").status_code == 404


def test_a_non_numeric_id_is_404(api_as, people):
    assert api_as(people["admin"]).get("/api/v1/projects/abc/").status_code == 404


def test_filters_by_campaign_status_union_and_category(api_as, people, tree, campaign):
    other_campaign = CampaignFactory(owner_union=tree["city"])
    a = ProjectFactory(campaign=campaign, applicant_union=tree["town_a1"], category="劳动技能竞赛",
                       status=ProjectStatus.SUBMITTED)
    b = ProjectFactory(campaign=campaign, applicant_union=tree["county_a"], status=ProjectStatus.APPROVED)
    c = ProjectFactory(campaign=other_campaign, applicant_union=tree["county_b"], status=ProjectStatus.SUBMITTED)
    ProjectFactory(campaign=campaign, applicant_union=tree["county_b"], status=ProjectStatus.DRAFT)  # not visible
    client = api_as(people["admin"])

    def ids(query):
        response = client.get(f"/api/v1/projects/?{query}")
        assert response.status_code == 200
        return {p["id"] for p in response.json()["results"]}

    assert ids("") == {a.pk, b.pk, c.pk}
    assert ids(f"campaign={campaign.pk}") == {a.pk, b.pk}
    assert ids("status=submitted") == {a.pk, c.pk}
    assert ids(f"applicant_union={tree['county_a'].pk}") == {b.pk}
    assert ids("category=劳动技能竞赛") == {a.pk}
    assert ids(f"campaign={campaign.pk}&status=approved") == {b.pk}
    assert ids("campaign=424242") == set()


def test_search_looks_in_title_and_summary(api_as, people, tree, campaign):
    by_title = ProjectFactory(campaign=campaign, applicant_union=tree["town_a1"], title="劳模工匠创新工作室",
                              summary="简介")
    by_summary = ProjectFactory(campaign=campaign, applicant_union=tree["town_a1"], title="其他",
                                summary="依托劳模工匠开展带徒")
    ProjectFactory(campaign=campaign, applicant_union=tree["town_a1"], title="职工书屋", summary="阅读")
    client = api_as(people["staff_a1"])

    def ids(search):
        return {p["id"] for p in client.get("/api/v1/projects/", {"search": search}).json()["results"]}

    assert ids("劳模工匠") == {by_title.pk, by_summary.pk}
    assert ids("创新工作室") == {by_title.pk}
    assert ids("劳模 带徒") == {by_summary.pk}
    assert ids("<script>") == set()


def test_list_query_count_is_the_same_for_1_and_30_projects(api_as, people, tree, campaign):
    client = api_as(people["county_admin_a"])
    ProjectFactory(campaign=campaign, applicant_union=tree["town_a1"])
    with CaptureQueriesContext(connection) as one:
        assert client.get("/api/v1/projects/").json()["count"] == 1
    for union in (tree["county_a"], tree["town_a1"], tree["county_a"]):
        ProjectFactory.create_batch(10 - (union == tree["town_a1"]), campaign=CampaignFactory(owner_union=tree["city"]),
                                    applicant_union=union)
    with CaptureQueriesContext(connection) as thirty:
        assert client.get("/api/v1/projects/").json()["count"] == 30
    assert len(thirty) == len(one), [q["sql"] for q in thirty.captured_queries]


# --- edit --------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [ProjectStatus.DRAFT, ProjectStatus.RETURNED])
def test_staff_edits_its_proposal_while_draft_or_returned(api_as, people, tree, campaign, status):
    project = ProjectFactory(campaign=campaign, applicant_union=tree["town_a1"], status=status)
    response = api_as(people["staff_a1"]).patch(
        f"/api/v1/projects/{project.pk}/", {"title": "新标题", "budget_requested": "1234.5"}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["title"] == "新标题"
    assert response.json()["budget_requested"] == "1234.50"
    assert response.json()["status"] == status
    project.refresh_from_db()
    assert project.title == "新标题"


def test_patch_cannot_move_a_project_or_change_its_status(api_as, people, tree, campaign):
    project = ProjectFactory(campaign=campaign, applicant_union=tree["town_a1"])
    other = CampaignFactory(owner_union=tree["city"])
    response = api_as(people["staff_a1"]).patch(
        f"/api/v1/projects/{project.pk}/",
        {"campaign": other.pk, "status": "approved", "applicant_union": tree["county_b"].pk}, format="json")
    assert response.status_code == 200
    project.refresh_from_db()
    assert (project.campaign_id, project.status, project.applicant_union_id) == (
        campaign.pk, "draft", tree["town_a1"].pk)


@pytest.mark.parametrize("status", [s for s in ProjectStatus.values if s not in ("draft", "returned")])
def test_editing_outside_draft_or_returned_is_409_with_the_state(api_as, people, tree, campaign, status):
    project = ProjectFactory(campaign=campaign, applicant_union=tree["town_a1"], status=status)
    response = api_as(people["staff_a1"]).patch(f"/api/v1/projects/{project.pk}/", {"title": "改"}, format="json")
    assert response.status_code == 409
    assert response.json()["state"] == status
    assert response.json()["detail"]


def test_editing_with_a_category_not_in_the_campaign_is_400(api_as, people, tree, campaign):
    project = ProjectFactory(campaign=campaign, applicant_union=tree["town_a1"])
    response = api_as(people["staff_a1"]).patch(f"/api/v1/projects/{project.pk}/", {"category": "别的"},
                                                format="json")
    assert response.status_code == 400
    assert "category" in response.json()


def test_put_and_delete_are_not_offered(api_as, people, tree, campaign):
    project = ProjectFactory(campaign=campaign, applicant_union=tree["town_a1"])
    client = api_as(people["staff_a1"])
    assert client.put(f"/api/v1/projects/{project.pk}/", proposal(campaign), format="json").status_code == 405
    assert client.delete(f"/api/v1/projects/{project.pk}/").status_code == 405
    assert Project.objects.filter(pk=project.pk).exists()


# --- history -----------------------------------------------------------------------------------


def test_history_lists_every_step_with_actor_and_reason(api_as, people, tree, campaign):
    staff, admin = people["staff_a1"], people["admin"]
    created = api_as(staff).post("/api/v1/projects/", proposal(campaign), format="json").json()
    url = f"/api/v1/projects/{created['id']}"
    assert api_as(staff).post(f"{url}/submit/").status_code == 200
    assert api_as(admin).post(f"{url}/return/", {"reason": "请补充预算明细"}, format="json").status_code == 200
    assert api_as(staff).post(f"{url}/submit/").status_code == 200
    assert api_as(admin).post(f"{url}/approve/").status_code == 200

    history = api_as(staff).get(f"{url}/history/").json()
    assert [(e["action"], e["from_status"], e["to_status"]) for e in history] == [
        ("create", "", "draft"), ("submit", "draft", "submitted"), ("return", "submitted", "returned"),
        ("submit", "returned", "submitted"), ("approve", "submitted", "approved"),
    ]
    assert [e["actor"] for e in history] == [staff.pk, staff.pk, admin.pk, staff.pk, admin.pk]
    assert history[2]["reason"] == "请补充预算明细"
    assert history[2]["actor_name"] == admin.name
    assert set(history[0]) >= {"at", "actor", "action", "from_status", "to_status", "reason"}
