"""Who may open which roadshow page: admin / juror on the roadshow / juror not on it / staff /
anonymous × every page, and who may press which button."""

import pytest

from evaluations.enums import EntryState, RoadshowStatus
from evaluations.models import Scorecard
from tests.factories import RoadshowFactory, shortlisted

ADMIN_PAGES = ["setup", "live", "live/progress", "screen", "screen/panel", "results"]
WHO = ["admin", "juror_on", "juror_off", "staff", "anonymous"]
# What each person gets on an admin page: the jury sees the roadshow but does not run it.
ADMIN_EXPECTED = {"admin": 200, "juror_on": 403, "juror_off": 404, "staff": 404, "anonymous": 302}
SCORE_LIST_EXPECTED = {"admin": 403, "juror_on": 200, "juror_off": 200, "staff": 403, "anonymous": 302}
CARD_EXPECTED = {"admin": 404, "juror_on": 200, "juror_off": 404, "staff": 404, "anonymous": 302}


def _person(who, people, jurors):
    return {"admin": people["admin"], "juror_on": jurors[0], "juror_off": people["juror"],
            "staff": people["staff_a"], "anonymous": None}[who]


def _admin_url(roadshow, page):
    return f"/roadshows/{roadshow.pk}/" if page == "setup" else f"/roadshows/{roadshow.pk}/{page}/"


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("page", ADMIN_PAGES)
def test_admin_pages_answer_by_role(client_for, people, jurors, scoring, page, who):
    response = client_for(_person(who, people, jurors)).get(_admin_url(scoring, page))
    assert response.status_code == ADMIN_EXPECTED[who]
    if who == "anonymous":
        assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("who", WHO)
def test_juror_list_answers_by_role(client_for, people, jurors, scoring, who):
    response = client_for(_person(who, people, jurors)).get("/score/")
    assert response.status_code == SCORE_LIST_EXPECTED[who]


@pytest.mark.parametrize("who", WHO)
def test_scoring_page_is_only_for_the_cards_juror(client_for, people, jurors, scoring, who):
    card = Scorecard.objects.get(juror=jurors[0], entry=scoring.entries.first())
    response = client_for(_person(who, people, jurors)).get(f"/score/cards/{card.pk}/")
    assert response.status_code == CARD_EXPECTED[who]


@pytest.mark.parametrize("who", WHO)
def test_roadshow_list_and_creation_are_for_admins(client_for, people, jurors, roadshow, who):
    client = client_for(_person(who, people, jurors))
    expected = {"admin": 200, "anonymous": 302}.get(who, 403)
    assert client.get("/roadshows/").status_code == expected
    assert client.get("/roadshows/new/").status_code == expected


def test_juror_cannot_start_close_or_open(client_for, people, campaign, tree, jurors, roadshow):
    # A project joins one unfinished roadshow at a time (issue 21): the live one has its own.
    own = [shortlisted(campaign, tree["county_a"], title="现场项目一"), shortlisted(campaign, tree["county_b"])]
    live = RoadshowFactory(actor=people["admin"], campaign=campaign, projects=own, jurors=jurors, live=True,
                           title="现场亮分路演", started=True)
    client = client_for(jurors[0])
    assert client.post(f"/roadshows/{roadshow.pk}/start/").status_code == 403
    assert client.post(f"/roadshows/{live.pk}/close/").status_code == 403
    entry = live.entries.first()
    assert client.post(f"/roadshows/{live.pk}/entries/{entry.pk}/open/").status_code == 403
    assert client.post(f"/roadshows/{live.pk}/live/next/").status_code == 403
    assert client.post(f"/roadshows/{live.pk}/entries/{entry.pk}/close/").status_code == 403
    roadshow.refresh_from_db()
    live.refresh_from_db()
    entry.refresh_from_db()
    assert roadshow.status == RoadshowStatus.SETUP
    assert live.status == RoadshowStatus.SCORING
    assert entry.state == EntryState.WAITING


def test_juror_cannot_reopen_a_card(client_for, jurors, scoring):
    card = Scorecard.objects.get(juror=jurors[0], entry=scoring.entries.first())
    response = client_for(jurors[0]).post(f"/roadshows/{scoring.pk}/cards/{card.pk}/reopen/", {"reason": "x"})
    assert response.status_code == 403


def test_juror_cannot_change_the_setup(client_for, jurors, roadshow):
    client = client_for(jurors[0])
    entry = roadshow.entries.first()
    assert client.post(f"/roadshows/{roadshow.pk}/entries/{entry.pk}/remove/").status_code == 403
    assert roadshow.entries.count() == 2
