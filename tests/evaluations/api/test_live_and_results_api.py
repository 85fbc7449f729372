"""The live display, the admin's progress view, the big screen and the scoring results; a full
roadshow through the API; query counts that do not grow with the number of entries."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from evaluations import services
from evaluations.models import Roadshow, Scorecard
from tests.factories import JurorFactory, RoadshowFactory, scores_body, shortlisted


pytestmark = pytest.mark.django_db

MAXIMA = (25, 25, 30, 20)


def split(total):
    """Scores per criterion adding up to ``total`` (filling the criteria in order)."""
    values, left = [], Decimal(total)
    for maximum in MAXIMA:
        value = min(Decimal(maximum), left)
        values.append(str(value))
        left -= value
    assert left == 0
    return values


def url(roadshow, rest=""):
    return f"/api/v1/roadshows/{roadshow.pk}/{rest}"


def submit(client, card, roadshow, total):
    response = client.post(f"/api/v1/scorecards/{card.pk}/submit/",
                           {"scores": scores_body(roadshow, split(total))}, format="json")
    assert response.status_code == 200, response.content
    return response


# --- a whole roadshow through the API -------------------------------------------------------


def test_a_roadshow_from_setup_to_ranked_results(api_as, people, tree, campaign):
    admin = api_as(people["admin"])
    titles = ["职工书屋", "安康杯竞赛", "劳模工作室", "困难职工帮扶"]
    projects = [shortlisted(campaign, tree["county_b"], title=t) for t in titles]
    jurors = [JurorFactory(username=f"flow_juror_{i}") for i in range(3)]

    roadshow = admin.post("/api/v1/roadshows/", {"campaign": campaign.pk, "title": "2026年度路演展评",
                                                 "date": "2026-06-01", "aggregation": "trimmed_mean"},
                          format="json").json()
    rid = roadshow["id"]
    for project in projects:
        assert admin.post(f"/api/v1/roadshows/{rid}/entries/", {"project": project.pk},
                          format="json").status_code == 201
    for juror in jurors:
        assert admin.post(f"/api/v1/roadshows/{rid}/jurors/", {"user": juror.pk}, format="json").status_code == 201
    assert admin.post(f"/api/v1/roadshows/{rid}/start/").json()["status"] == "scoring"
    # Nothing submitted yet: every entry is listed, unranked, with no score (无有效评分).
    unscored = admin.get(f"/api/v1/roadshows/{rid}/scoring-results/").json()
    assert [(r["final_score"], r["rank"], r["card_count"], r["note"]) for r in unscored] == [
        (None, None, 0, "无有效评分")] * 4

    totals = {"职工书屋": (90, 85, 80), "安康杯竞赛": (85, 85, 85), "劳模工作室": (70, 75, 60),
              "困难职工帮扶": (95, 90, 50)}
    model = Roadshow.objects.get(pk=rid)
    for i, juror in enumerate(jurors):
        client = api_as(juror)
        cards = client.get(f"/api/v1/scorecards/?roadshow={rid}").json()["results"]
        assert len(cards) == 4
        for card in cards:
            submit(client, Scorecard.objects.get(pk=card["id"]), model, totals[card["project_title"]][i])

    progress = admin.get(f"/api/v1/roadshows/{rid}/progress/").json()
    assert (progress["submitted"], progress["expected"]) == (12, 12)
    assert all(row["complete"] for row in progress["entries"])
    assert admin.post(f"/api/v1/roadshows/{rid}/close/").json()["status"] == "closed"

    results = admin.get(f"/api/v1/roadshows/{rid}/scoring-results/").json()
    assert [(r["project_title"], r["final_score"], r["rank"]) for r in results] == [
        ("困难职工帮扶", "90.00", 1), ("职工书屋", "85.00", 2), ("安康杯竞赛", "85.00", 2), ("劳模工作室", "70.00", 4)]
    top = results[0]
    assert top["card_count"] == 3 and top["spread"] == "45.0" and top["note"] == "" and top["untrimmed"] is False
    assert (top["min_total"], top["max_total"]) == ("50.0", "95.0")
    assert set(top["per_criterion"]) == {str(c.pk) for c in model.rubric.criteria.all()}
    assert top["entry"] and top["project"] and top["applicant_union"] == tree["county_b"].pk

    board = admin.get(f"/api/v1/roadshows/{rid}/scoreboard/").json()
    assert [(e["project_title"], e["rank"]) for e in board["ranking"]] == [
        ("困难职工帮扶", 1), ("职工书屋", 2), ("安康杯竞赛", 2), ("劳模工作室", 4)]


def test_fewer_than_three_cards_say_so(api_as, people, scoring, jurors):
    entry = scoring.entries.order_by("order").first()
    for juror, total in zip(jurors[:2], (80, 90), strict=True):
        submit(api_as(juror), Scorecard.objects.get(entry=entry, juror=juror), scoring, total)
    rows = api_as(people["admin"]).get(url(scoring, "scoring-results/")).json()
    assert [(r["final_score"], r["card_count"], r["untrimmed"]) for r in rows] == [("85.00", 2, True),
                                                                                 (None, 0, False)]
    assert rows[0]["note"]


def test_scoring_results_are_for_admins_after_start(api_as, people, roadshow, jurors):
    response = api_as(people["admin"]).get(url(roadshow, "scoring-results/"))
    assert response.status_code == 409 and response.json()["state"] == "setup"
    assert api_as(jurors[0]).get(url(roadshow, "scoring-results/")).status_code == 403


# --- live mode ------------------------------------------------------------------------------


@pytest.fixture
def live(people, campaign, tree, jurors):
    local = JurorFactory(username="juror_jiangyin", union=tree["town_a1"])  # recused from 职工书屋
    projects = [shortlisted(campaign, tree["county_a"], title="职工书屋"),
                shortlisted(campaign, tree["county_b"], title="安康杯竞赛")]
    roadshow = RoadshowFactory(actor=people["admin"], campaign=campaign, projects=projects, jurors=[*jurors, local],
                               live=True)
    return services.start_roadshow(actor=people["admin"], roadshow=roadshow), local


def test_the_phones_follow_the_open_entry(api_as, people, live, jurors):
    roadshow, local = live
    admin = api_as(people["admin"])
    first = roadshow.entries.get(project__title="职工书屋")

    idle = api_as(jurors[0]).get(url(roadshow, "live/")).json()
    assert idle["open_entry"] is None and idle["my_card"] is None
    assert (idle["entries_total"], idle["entries_closed"], idle["live"]) == (2, 0, True)

    admin.post(url(roadshow, f"entries/{first.pk}/open/"))
    mine = api_as(jurors[0]).get(url(roadshow, "live/")).json()
    assert mine["open_entry"]["id"] == first.pk and mine["open_entry"]["project_title"] == "职工书屋"
    assert mine["my_card"] == Scorecard.objects.get(entry=first, juror=jurors[0]).pk
    assert mine["my_card_status"] == "draft" and mine["open_entry_recused"] is False

    recused = api_as(local).get(url(roadshow, "live/")).json()
    assert recused["open_entry"] is None and recused["open_entry_recused"] is True and recused["my_card"] is None

    console = admin.get(url(roadshow, "live/")).json()
    assert console["open_entry"]["id"] == first.pk and console["my_card"] is None


def test_the_big_screen_shows_a_score_only_once_the_entry_is_closed(api_as, people, live, jurors):
    roadshow, _local = live
    admin = api_as(people["admin"])
    first = roadshow.entries.get(project__title="职工书屋")
    admin.post(url(roadshow, f"entries/{first.pk}/open/"))
    for juror, total in zip(jurors, (80, 90, 70), strict=True):
        submit(api_as(juror), Scorecard.objects.get(entry=first, juror=juror), roadshow, total)

    board = api_as(jurors[0]).get(url(roadshow, "scoreboard/")).json()
    assert board["current"]["entry"] == first.pk
    assert (board["current"]["submitted"], board["current"]["expected"]) == (3, 3)
    assert board["current"]["final_score"] is None and board["ranking"] == []

    progress = admin.get(url(roadshow, "progress/")).json()
    row = next(r for r in progress["entries"] if r["entry"] == first.pk)
    assert sorted(c["status"] for c in row["cells"]) == ["recused", "submitted", "submitted", "submitted"]
    assert progress["open_entry"] == first.pk

    admin.post(url(roadshow, f"entries/{first.pk}/close/"))
    board = api_as(people["admin"]).get(url(roadshow, "scoreboard/")).json()
    assert board["current"] is None
    shown = {e["project_title"]: (e["state"], e["final_score"], e["rank"]) for e in board["entries"]}
    assert shown == {"职工书屋": ("closed", "80.00", 1), "安康杯竞赛": ("waiting", None, None)}
    assert [e["entry"] for e in board["ranking"]] == [first.pk]


def test_live_and_scoreboard_are_for_the_jury_and_admins(api_as, people, live):
    roadshow, local = live
    stranger = JurorFactory(username="stranger")
    for rest in ["live/", "scoreboard/"]:
        assert api_as(stranger).get(url(roadshow, rest)).status_code == 404
        assert api_as(people["staff_a"]).get(url(roadshow, rest)).status_code == 404
        assert api_as(None).get(url(roadshow, rest)).status_code == 401
    assert api_as(local).get(url(roadshow, "progress/")).status_code == 403


# --- query counts ---------------------------------------------------------------------------


def scored_roadshow(people, campaign, tree, jurors, n):
    projects = [shortlisted(campaign, tree["county_b"], title=f"项目{i}") for i in range(n)]
    roadshow = RoadshowFactory(actor=people["admin"], campaign=campaign, projects=projects, jurors=jurors,
                               title=f"{n}个项目")
    services.start_roadshow(actor=people["admin"], roadshow=roadshow)
    entry = roadshow.entries.order_by("order").first()
    services.open_entry(actor=people["admin"], entry=entry)
    for card in Scorecard.objects.filter(entry__roadshow=roadshow).select_related("juror"):
        services.submit_card(actor=card.juror, card=card, scores=scores_body(roadshow))
    services.close_entry(actor=people["admin"], entry=entry)
    return roadshow


@pytest.mark.parametrize("who, rest", [
    ("juror", "/api/v1/scorecards/?roadshow={id}"), ("admin", "progress/"), ("admin", "scoring-results/"),
    ("admin", "scoreboard/"), ("juror", "live/"), ("juror", "entries/"), ("admin", "jurors/"),
    ("admin", "recusals/"), ("admin", ""),
])
def test_query_count_is_the_same_for_3_and_30_entries(api_as, people, campaign, tree, jurors, who, rest):
    counts = []
    for n in (3, 30):
        roadshow = scored_roadshow(people, campaign, tree, jurors, n)
        client = api_as(jurors[0] if who == "juror" else people["admin"])
        target = rest.format(id=roadshow.pk) if rest.startswith("/") else url(roadshow, rest)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(target)
        assert response.status_code == 200, response.content
        counts.append(len(ctx))
    assert counts[0] == counts[1], counts
