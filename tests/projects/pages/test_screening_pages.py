"""The screening page (/screening/): the admins' and county admins' queue, one by one and in bulk."""

import pytest
from django.urls import reverse

from projects.enums import ProjectStatus
from projects.models import Project

from .helpers import count_queries, messages_of, project_of

SCREENING = "/screening/"
BULK = "/screening/bulk/"


def test_screening_urls_are_the_agreed_ones():
    assert reverse("projects:screening") == SCREENING
    assert reverse("projects:screening-bulk") == BULK


@pytest.mark.parametrize("who, code", [
    ("admin", 200), ("county_admin_a", 200), ("staff_a", 403), ("juror", 403),
])
def test_only_admins_and_county_admins_may_open_the_screening_page(client, people, who, code):
    client.force_login(people[who])
    assert client.get(SCREENING).status_code == code
    assert client.post(BULK, {"action": "approve", "projects": ["1"]}).status_code in (
        (302,) if code == 200 else (403,))


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(SCREENING)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_admin_queue_lists_submitted_projects_of_the_campaign_with_its_actions(client, people, tree, campaign):
    submitted = project_of(tree["town_a1"], campaign, status=ProjectStatus.SUBMITTED, title="待审项目")
    draft = project_of(tree["county_a"], campaign, status=ProjectStatus.DRAFT, title="草稿项目")
    approved = project_of(tree["county_b"], campaign, status=ProjectStatus.APPROVED, title="已立项项目")
    client.force_login(people["admin"])
    response = client.get(SCREENING)
    rows = [row["project"] for row in response.context["rows"]]
    assert rows == [submitted]
    page = response.content.decode()
    assert "待审项目" in page and "草稿项目" not in page
    row_actions = {a["value"] for a in response.context["rows"][0]["simple_actions"]} | {
        a["value"] for a in response.context["rows"][0]["reason_actions"]}
    assert row_actions == {"approve", "return", "reject"}
    assert {v for v, _label in response.context["bulk_choices"]} == {"approve", "return", "reject"}

    response = client.get(SCREENING, {"tab": "approved"})
    assert [row["project"] for row in response.context["rows"]] == [approved]
    assert [a["value"] for a in response.context["rows"][0]["simple_actions"]] == ["shortlist"]
    assert draft not in [row["project"] for row in response.context["rows"]]


def test_county_admin_sees_only_the_submitted_projects_below_it(client, people, tree):
    from tests.factories import CampaignFactory

    campaign = CampaignFactory(owner_union=tree["city"], require_recommendation=True, recommendation_quota=2)
    below = project_of(tree["town_a1"], campaign, status=ProjectStatus.SUBMITTED)
    project_of(tree["county_a"], campaign, status=ProjectStatus.SUBMITTED)  # its own union's: not to pre-screen
    project_of(tree["county_b"], campaign, status=ProjectStatus.SUBMITTED)  # another county's
    client.force_login(people["county_admin_a"])
    response = client.get(SCREENING)
    assert [row["project"] for row in response.context["rows"]] == [below]
    actions = {a["value"] for a in response.context["rows"][0]["simple_actions"]} | {
        a["value"] for a in response.context["rows"][0]["reason_actions"]}
    assert actions == {"recommend", "return"}
    assert not response.context["show_approved_tab"]

    client.post(reverse("projects:action", args=[below.pk, "recommend"]), {"next": SCREENING})
    below.refresh_from_db()
    assert below.status == ProjectStatus.RECOMMENDED


def test_filters_narrow_the_queue_and_bad_values_are_ignored(client, people, tree, campaign):
    from tests.factories import CampaignFactory

    other = CampaignFactory(owner_union=tree["city"])
    mine = project_of(tree["county_a"], campaign, status=ProjectStatus.SUBMITTED)
    theirs = project_of(tree["county_b"], other, status=ProjectStatus.SUBMITTED)
    client.force_login(people["admin"])

    def rows(**params):
        response = client.get(SCREENING, params)
        assert response.status_code == 200
        return {row["project"] for row in response.context["rows"]}

    assert rows() == {mine, theirs}
    assert rows(campaign=campaign.pk) == {mine}
    assert rows(status="recommended") == set()
    assert rows(campaign="abc", status="bogus", page="zz", tab="evil") == {mine, theirs}


def test_row_return_with_a_reason_goes_back_to_the_screening_page(client, people, tree, campaign):
    project = project_of(tree["county_a"], campaign, status=ProjectStatus.SUBMITTED)
    client.force_login(people["admin"])
    response = client.post(reverse("projects:action", args=[project.pk, "return"]),
                           {"reason": "请补充材料", "next": SCREENING})
    assert response["Location"] == SCREENING
    project.refresh_from_db()
    assert project.status == ProjectStatus.RETURNED
    assert project.events.last().reason == "请补充材料"


def test_bulk_approve_reports_what_was_done_and_what_was_refused(client, people, tree, campaign):
    first = project_of(tree["county_a"], campaign, status=ProjectStatus.SUBMITTED)
    second = project_of(tree["town_a1"], campaign, status=ProjectStatus.SUBMITTED)
    wrong = project_of(tree["county_b"], campaign, status=ProjectStatus.SHORTLISTED, title="已入围项目")
    client.force_login(people["admin"])
    response = client.post(BULK, {"action": "approve", "projects": [first.pk, second.pk, wrong.pk],
                                  "next": SCREENING + "?tab=queue"})
    assert response.status_code == 302 and response["Location"] == SCREENING + "?tab=queue"
    texts = messages_of(response)
    assert "2 个项目已立项。" in texts
    refused = [t for t in texts if t.startswith("1 个未处理：")]
    assert refused and "已入围项目" in refused[0] and "不能执行" in refused[0]
    statuses = dict(Project.objects.values_list("pk", "status"))
    assert statuses == {first.pk: "approved", second.pk: "approved", wrong.pk: "shortlisted"}


def test_bulk_return_needs_a_reason_for_each(client, people, tree, campaign):
    projects = [project_of(tree["county_a"], campaign, status=ProjectStatus.SUBMITTED) for _ in range(2)]
    client.force_login(people["admin"])
    response = client.post(BULK, {"action": "return", "projects": [p.pk for p in projects]})
    assert any(t.startswith("2 个未处理：") and "理由" in t for t in messages_of(response))
    assert set(Project.objects.values_list("status", flat=True)) == {"submitted"}

    response = client.post(BULK, {"action": "return", "projects": [p.pk for p in projects], "reason": "统一退回"})
    assert "2 个项目已退回修改。" in messages_of(response)
    assert set(Project.objects.values_list("status", flat=True)) == {"returned"}


def test_bulk_shortlist_of_approved_projects(client, people, tree, campaign):
    projects = [project_of(tree["county_a"], campaign, status=ProjectStatus.APPROVED) for _ in range(3)]
    client.force_login(people["admin"])
    response = client.post(BULK, {"action": "shortlist", "projects": [p.pk for p in projects],
                                  "next": SCREENING + "?tab=approved"})
    assert "3 个项目已入围。" in messages_of(response)
    assert set(Project.objects.values_list("status", flat=True)) == {"shortlisted"}


def test_bulk_on_projects_out_of_sight_touches_nothing(client, people, tree, campaign):
    hidden = project_of(tree["county_b"], campaign, status=ProjectStatus.SUBMITTED)
    client.force_login(people["county_admin_a"])
    response = client.post(BULK, {"action": "return", "projects": [hidden.pk, 999999], "reason": "x"})
    assert any(t.startswith("2 个未处理") for t in messages_of(response))
    hidden.refresh_from_db()
    assert hidden.status == ProjectStatus.SUBMITTED


@pytest.mark.parametrize("data, says", [
    ({"action": "approve"}, "请先勾选项目"),
    ({"action": "approve", "projects": ["abc"]}, ""),
    ({"action": "explode", "projects": ["1"]}, ""),
    ({}, ""),
])
def test_a_malformed_bulk_post_is_a_message(client, people, data, says):
    client.force_login(people["admin"])
    response = client.post(BULK, data)
    assert response.status_code == 302
    texts = messages_of(response)
    assert texts and all(says in t for t in texts)


def test_bulk_form_and_rows_are_on_the_page(client, people, tree, campaign):
    project = project_of(tree["county_a"], campaign, status=ProjectStatus.SUBMITTED)
    client.force_login(people["admin"])
    page = client.get(SCREENING).content.decode()
    assert f'action="{BULK}"' in page
    assert f'name="projects" value="{project.pk}" form="bulk-form"' in page
    assert reverse("projects:action", args=[project.pk, "approve"]) in page
    assert 'data-confirm="确认不予立项？此操作不可撤销。"' in page


@pytest.mark.parametrize("who, tab, status", [
    ("admin", "queue", ProjectStatus.SUBMITTED),
    ("admin", "approved", ProjectStatus.APPROVED),
    ("county_admin_a", "queue", ProjectStatus.SUBMITTED),
])
def test_screening_query_count_is_the_same_for_1_and_30_projects(client, people, tree, campaign, who, tab, status):
    client.force_login(people[who])
    project_of(tree["town_a1"], campaign, status=status)
    url = f"{SCREENING}?tab={tab}"
    one = count_queries(client, url)
    for i in range(29):
        project_of(tree["town_a1"], campaign, status=status)
    response = client.get(url)
    assert len(response.context["rows"]) == 30
    assert count_queries(client, url) == one


def test_county_queue_explains_rows_of_a_campaign_without_recommendation(client, people, tree):
    from tests.factories import CampaignFactory

    plain = CampaignFactory(owner_union=tree["city"], require_recommendation=False)
    needs = CampaignFactory(owner_union=tree["city"], require_recommendation=True, recommendation_quota=2)
    direct = project_of(tree["town_a1"], plain, status=ProjectStatus.SUBMITTED)
    to_recommend = project_of(tree["town_a1"], needs, status=ProjectStatus.SUBMITTED)
    client.force_login(people["county_admin_a"])
    response = client.get(SCREENING)
    notes = {row["project"]: row["note"] for row in response.context["rows"]}
    assert "不需要区县推荐" in notes[direct] and "无锡市总工会" in notes[direct]
    assert notes[to_recommend] == ""
    assert response.content.decode().count('data-testid="row-note"') == 1
    client.force_login(people["admin"])
    assert all(row["note"] == "" for row in client.get(SCREENING).context["rows"])
