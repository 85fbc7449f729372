"""Setting a roadshow up through the API: the running order, the jury, juror groups and
recusals — admins only, in setup (recusals also while scoring)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from evaluations import services
from evaluations.models import Entry, JurySeat, Recusal, Scorecard
from projects.enums import ProjectStatus
from tests.factories import CampaignFactory, JurorFactory, ProjectFactory, StaffFactory, shortlisted


pytestmark = pytest.mark.django_db


def url(roadshow, rest=""):
    return f"/api/v1/roadshows/{roadshow.pk}/{rest}"


# --- entries --------------------------------------------------------------------------------


def test_admin_adds_a_shortlisted_project_at_the_end(admin_api, roadshow, tree, campaign):
    project = shortlisted(campaign, tree["town_a1"], title="劳模工作室")
    response = admin_api.post(url(roadshow, "entries/"), {"project": project.pk}, format="json")

    assert response.status_code == 201, response.content
    assert response.json() | {"opened_at": None} == {
        "id": response.json()["id"], "project": project.pk, "project_title": "劳模工作室",
        "applicant_union": tree["town_a1"].pk, "applicant_union_name": tree["town_a1"].display_name,
        "order": 3, "state": "waiting", "opened_at": None, "closed_at": None}


@pytest.mark.parametrize("case", ["approved", "other_campaign", "draft_not_visible", "already_in", "missing"])
def test_a_project_that_cannot_be_an_entry_is_400_on_project(admin_api, roadshow, tree, campaign,
                                                              entries_projects, case):
    project_id = {
        "approved": lambda: ProjectFactory(campaign=campaign, applicant_union=tree["county_a"],
                                           status=ProjectStatus.APPROVED).pk,
        "other_campaign": lambda: shortlisted(CampaignFactory(owner_union=tree["city"]), tree["county_a"]).pk,
        "draft_not_visible": lambda: ProjectFactory(campaign=campaign, applicant_union=tree["county_a"]).pk,
        "already_in": lambda: entries_projects[0].pk,
        "missing": lambda: 987654321,
    }[case]()
    response = admin_api.post(url(roadshow, "entries/"), {"project": project_id}, format="json")

    assert response.status_code == 400, response.content
    assert list(response.json()) == ["project"]
    assert roadshow.entries.count() == 2


@pytest.mark.parametrize("value", [None, "abc", 1.5, 10**30, -1, [], {}, True])
def test_odd_project_values_are_400(admin_api, roadshow, value):
    assert admin_api.post(url(roadshow, "entries/"), {"project": value}, format="json").status_code == 400


def test_entries_cannot_change_once_scoring_started(admin_api, scoring, tree, campaign):
    project = shortlisted(campaign, tree["town_a1"])
    response = admin_api.post(url(scoring, "entries/"), {"project": project.pk}, format="json")
    assert response.status_code == 409 and response.json()["state"] == "scoring"
    entry = scoring.entries.first()
    assert admin_api.delete(url(scoring, f"entries/{entry.pk}/")).status_code == 409


def test_admin_removes_an_entry_in_setup(admin_api, roadshow):
    entry = roadshow.entries.first()
    assert admin_api.delete(url(roadshow, f"entries/{entry.pk}/")).status_code == 204
    assert not Entry.objects.filter(pk=entry.pk).exists()
    assert admin_api.delete(url(roadshow, f"entries/{entry.pk}/")).status_code == 404


def test_admin_reorders_the_entries(admin_api, roadshow):
    first, second = roadshow.entries.order_by("order")
    response = admin_api.post(url(roadshow, "entries/reorder/"), {"entries": [second.pk, first.pk]}, format="json")

    assert response.status_code == 200
    assert [(e["id"], e["order"]) for e in response.json()] == [(second.pk, 1), (first.pk, 2)]
    listed = admin_api.get(url(roadshow, "entries/")).json()
    assert [e["id"] for e in listed["results"]] == [second.pk, first.pk]


@pytest.mark.parametrize("value", [[], "abc", None, [999998, 999999], ["x"], [[1]], {"a": 1}])
def test_a_bad_running_order_is_400_on_entries(admin_api, roadshow, value):
    response = admin_api.post(url(roadshow, "entries/reorder/"), {"entries": value}, format="json")
    assert response.status_code == 400 and "entries" in response.json()


def test_a_juror_reads_the_running_order_without_the_entries_they_are_recused_from(api_as, admin_api, people,
                                                                                     roadshow, tree):
    local = JurorFactory(username="juror_jiangyin", union=tree["town_a1"])  # below 江阴: recused from 职工书屋
    services.add_juror(actor=people["admin"], roadshow=roadshow, user=local)
    recused_entry = roadshow.entries.get(project__title="职工书屋")

    titles = [e["project_title"] for e in api_as(local).get(url(roadshow, "entries/")).json()["results"]]
    assert titles == ["安康杯竞赛"]
    assert api_as(local).get(url(roadshow, f"entries/{recused_entry.pk}/")).status_code == 404
    assert admin_api.get(url(roadshow, "entries/")).json()["count"] == 2


@pytest.mark.parametrize("method, rest, body", [
    ("post", "entries/", {"project": 1}), ("delete", "entries/{entry}/", None),
    ("post", "entries/reorder/", {"entries": []}), ("post", "jurors/", {"user": 1}), ("get", "jurors/", None),
    ("post", "groups/", {"name": "x", "weight": "1"}), ("get", "groups/", None),
    ("post", "recusals/", {"user": 1, "entry": 1, "reason": "x"}), ("get", "recusals/", None),
    ("post", "entries/{entry}/open/", None), ("post", "entries/{entry}/close/", None),
    ("get", "progress/", None), ("get", "scoring-results/", None),
])
def test_a_juror_of_the_roadshow_may_not_set_it_up(api_as, scoring, jurors, method, rest, body):
    entry = scoring.entries.first()
    response = getattr(api_as(jurors[0]), method)(url(scoring, rest.format(entry=entry.pk)), body, format="json")
    assert response.status_code == 403, response.content


@pytest.mark.parametrize("rest", ["entries/", "jurors/", "groups/", "recusals/", "live/", "scoreboard/"])
def test_outsiders_do_not_find_the_roadshow(api_as, people, roadshow, rest):
    assert api_as(JurorFactory(username="juror_elsewhere")).get(url(roadshow, rest)).status_code == 404
    assert api_as(StaffFactory(union=people["staff_a"].union)).get(url(roadshow, rest)).status_code == 404
    assert api_as(None).get(url(roadshow, rest)).status_code == 401


# --- jury -----------------------------------------------------------------------------------


def test_admin_seats_a_juror_and_sees_their_recusals(admin_api, roadshow, tree):
    local = JurorFactory(username="juror_jiangyin", name="王评委", union=tree["town_a1"], juror_kind="model_worker")
    response = admin_api.post(url(roadshow, "jurors/"), {"user": local.pk}, format="json")

    recused_entry = roadshow.entries.get(project__title="职工书屋")
    assert response.status_code == 201, response.content
    assert response.json() == {"user": local.pk, "name": "王评委", "juror_kind": "model_worker",
                               "union": tree["town_a1"].pk, "group": roadshow.groups.get().pk,
                               "recused_entries": [recused_entry.pk]}
    listed = admin_api.get(url(roadshow, "jurors/")).json()
    assert listed["count"] == 4
    assert [j["recused_entries"] for j in listed["results"] if j["user"] == local.pk] == [[recused_entry.pk]]


@pytest.mark.parametrize("who", ["staff_a", "admin", "missing"])
def test_only_a_juror_of_the_pool_can_be_seated(admin_api, people, roadshow, who):
    user_id = 987654321 if who == "missing" else people[who].pk
    response = admin_api.post(url(roadshow, "jurors/"), {"user": user_id}, format="json")
    assert response.status_code == 400 and list(response.json()) == ["user"]


def test_a_juror_is_seated_once(admin_api, roadshow, jurors):
    response = admin_api.post(url(roadshow, "jurors/"), {"user": jurors[0].pk}, format="json")
    assert response.status_code == 400 and "user" in response.json()


def test_groups_weight_the_jury(admin_api, roadshow, jurors):
    response = admin_api.post(url(roadshow, "groups/"), {"name": "专家评审组", "weight": "0.6"}, format="json")
    assert response.status_code == 201, response.content
    experts = response.json()
    assert experts["weight"] == "0.6000" and experts["name"] == "专家评审组"

    moved = admin_api.patch(url(roadshow, f"jurors/{jurors[0].pk}/"), {"group": experts["id"]}, format="json")
    assert moved.status_code == 200 and moved.json()["group"] == experts["id"]
    renamed = admin_api.patch(url(roadshow, f"groups/{experts['id']}/"), {"weight": "0.7"}, format="json")
    assert renamed.status_code == 200 and renamed.json() == {**experts, "weight": "0.7000"}
    names = [g["name"] for g in admin_api.get(url(roadshow, "groups/")).json()["results"]]
    assert names == ["评审组", "专家评审组"]


@pytest.mark.parametrize("body, field", [
    ({"name": "A", "weight": "0"}, "weight"), ({"name": "A", "weight": "-1"}, "weight"),
    ({"name": "A", "weight": "NaN"}, "weight"), ({"name": "", "weight": "1"}, "name"),
    ({"name": "评审组", "weight": "1"}, "name"), ({"name": "A", "weight": "1.00001"}, "weight"),
])
def test_a_bad_group_is_400(admin_api, roadshow, body, field):
    response = admin_api.post(url(roadshow, "groups/"), body, format="json")
    assert response.status_code == 400 and field in response.json()


def test_a_juror_cannot_be_moved_to_a_group_of_another_roadshow(admin_api, people, roadshow, jurors, campaign):
    other = services.create_roadshow(actor=people["admin"], campaign=campaign, title="另一场", date="2026-06-02")
    response = admin_api.patch(url(roadshow, f"jurors/{jurors[0].pk}/"), {"group": other.groups.get().pk},
                               format="json")
    assert response.status_code == 400 and list(response.json()) == ["group"]


def test_admin_unseats_a_juror_in_setup_only(admin_api, roadshow, jurors):
    assert admin_api.delete(url(roadshow, f"jurors/{jurors[0].pk}/")).status_code == 204
    assert not JurySeat.objects.filter(user=jurors[0]).exists()
    assert admin_api.delete(url(roadshow, f"jurors/{jurors[0].pk}/")).status_code == 404
    admin_api.post(url(roadshow, "start/"))
    assert admin_api.delete(url(roadshow, f"jurors/{jurors[1].pk}/")).status_code == 409


def test_jury_list_query_count_does_not_grow_with_jurors(admin_api, people, roadshow, tree):
    def count_queries():
        with CaptureQueriesContext(connection) as ctx:
            assert admin_api.get(url(roadshow, "jurors/")).status_code == 200
        return len(ctx)

    few = count_queries()
    for i in range(27):
        services.add_juror(actor=people["admin"], roadshow=roadshow,
                           user=JurorFactory(username=f"more_{i}", union=tree["town_a1"]))
    assert count_queries() == few


# --- recusals -------------------------------------------------------------------------------


def test_manual_recusal_while_scoring_takes_the_draft_card_away(api_as, admin_api, scoring, jurors):
    entry = scoring.entries.first()
    response = admin_api.post(url(scoring, "recusals/"), {"user": jurors[0].pk, "entry": entry.pk,
                                                          "reason": "系该项目指导老师"}, format="json")
    assert response.status_code == 201, response.content
    recusal = response.json()
    assert recusal | {"id": 0, "created_at": ""} == {"id": 0, "user": jurors[0].pk, "entry": entry.pk,
                                                      "automatic": False, "reason": "系该项目指导老师",
                                                      "created_at": ""}
    assert not Scorecard.objects.filter(entry=entry, juror=jurors[0]).exists()
    mine = api_as(jurors[0]).get(f"/api/v1/scorecards/?roadshow={scoring.pk}").json()["results"]
    assert entry.pk not in [c["entry"] for c in mine]
    listed = admin_api.get(url(scoring, "jurors/")).json()["results"]
    assert [j["recused_entries"] for j in listed if j["user"] == jurors[0].pk] == [[entry.pk]]

    assert admin_api.delete(url(scoring, f"recusals/{recusal['id']}/")).status_code == 204
    assert Scorecard.objects.filter(entry=entry, juror=jurors[0], status="draft").exists()


@pytest.mark.parametrize("body, field", [
    ({"user": "me", "entry": 1, "reason": "x"}, "user"), ({"user": 987654321, "entry": "{entry}", "reason": "x"},
                                                         "user"),
    ({"user": "{juror}", "entry": 987654321, "reason": "x"}, "entry"),
    ({"user": "{juror}", "entry": "{entry}", "reason": ""}, "reason"),
    ({"user": "{juror}", "entry": "{entry}"}, "reason"),
])
def test_a_bad_recusal_is_400(admin_api, roadshow, jurors, body, field):
    entry = roadshow.entries.first()
    body = {k: (int(v.format(entry=entry.pk, juror=jurors[0].pk)) if isinstance(v, str) and v.startswith("{")
                else v) for k, v in body.items()}
    response = admin_api.post(url(roadshow, "recusals/"), body, format="json")
    assert response.status_code == 400 and list(response.json()) == [field]
    assert not Recusal.objects.exists()


def test_an_automatic_recusal_cannot_be_withdrawn_and_every_recusal_is_listed(admin_api, people, roadshow, tree,
                                                                               jurors):
    services.add_juror(actor=people["admin"], roadshow=roadshow,
                       user=JurorFactory(username="juror_jiangyin", union=tree["county_a"]))
    entry = roadshow.entries.last()
    admin_api.post(url(roadshow, "recusals/"), {"user": jurors[1].pk, "entry": entry.pk, "reason": "亲属"},
                   format="json")
    listed = admin_api.get(url(roadshow, "recusals/")).json()["results"]
    assert sorted(r["automatic"] for r in listed) == [False, True]
    automatic = next(r for r in listed if r["automatic"])
    response = admin_api.delete(url(roadshow, f"recusals/{automatic['id']}/"))
    assert response.status_code == 400
    assert Recusal.objects.count() == 2


# --- live mode: opening and closing entries -------------------------------------------------


def test_admin_opens_and_closes_an_entry_with_the_counts(api_as, admin_api, scoring, jurors):
    from tests.factories import scores_body

    entry = scoring.entries.order_by("order").first()
    response = admin_api.post(url(scoring, f"entries/{entry.pk}/open/"))
    assert response.status_code == 200 and response.json()["state"] == "open"
    second = scoring.entries.order_by("order").last()
    refused = admin_api.post(url(scoring, f"entries/{second.pk}/open/"))
    assert refused.status_code == 409

    card = Scorecard.objects.get(entry=entry, juror=jurors[0])
    api_as(jurors[0]).post(f"/api/v1/scorecards/{card.pk}/submit/", {"scores": scores_body(scoring)}, format="json")
    response = admin_api.post(url(scoring, f"entries/{entry.pk}/close/"), {"override_reason": "一位评委临时离场"},
                              format="json")
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "closed"
    assert (response.json()["submitted_count"], response.json()["expected_count"]) == (1, 3)
    assert admin_api.post(url(scoring, f"entries/{entry.pk}/close/")).json()["state"] == "closed"
    assert admin_api.post(url(scoring, f"entries/{entry.pk}/close/")).status_code == 409


def test_entries_cannot_be_opened_before_scoring(admin_api, roadshow):
    entry = roadshow.entries.first()
    response = admin_api.post(url(roadshow, f"entries/{entry.pk}/open/"))
    assert response.status_code == 409 and response.json()["state"] == "setup"


def test_an_entry_of_another_roadshow_is_not_found(admin_api, people, scoring, campaign, tree):
    other = services.create_roadshow(actor=people["admin"], campaign=campaign, title="另一场", date="2026-06-02")
    foreign = services.add_entry(actor=people["admin"], roadshow=other, project=shortlisted(campaign, tree["city"]))
    for rest in [f"entries/{foreign.pk}/", f"entries/{foreign.pk}/open/", "entries/99999999999999999999999/open/"]:
        method = admin_api.get if rest.endswith(f"{foreign.pk}/") else admin_api.post
        assert method(url(scoring, rest)).status_code == 404
