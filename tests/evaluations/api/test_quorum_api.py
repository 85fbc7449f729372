"""The quorum through the API (issue 13): a 409 naming the entries and their counts, the
optional ``override_reason`` of the close and compute endpoints, stored and audited, ``min_cards``
by PATCH in setup, and results that list an entry without a card as ``final_score``/``rank`` null."""

import pytest

from evaluations import services
from evaluations.models import EvaluationEvent, QuorumOverride, Scorecard
from tests.factories import RoadshowFactory, scores_body


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_celery")]  # jobs (the compute) run in process


def url(roadshow, rest=""):
    return f"/api/v1/roadshows/{roadshow.pk}/{rest}"


def submit(roadshow, entry, juror):
    card = Scorecard.objects.get(entry=entry, juror=juror)
    services.submit_card(actor=juror, card=card, scores=scores_body(roadshow))


def test_closing_an_entry_below_quorum_is_409_naming_it_then_an_override_is_stored(admin_api, people, campaign,
                                                                                   entries_projects, jurors):
    live = RoadshowFactory(actor=people["admin"], campaign=campaign, projects=entries_projects, jurors=jurors,
                           live=True)
    services.start_roadshow(actor=people["admin"], roadshow=live)
    entry = live.entries.order_by("order").first()
    services.open_entry(actor=people["admin"], entry=entry)
    submit(live, entry, jurors[0])
    refused = admin_api.post(url(live, f"entries/{entry.pk}/close/"))
    assert refused.status_code == 409
    body = refused.json()
    assert body["state"] == "open" and "“职工书屋”1 份（法定 2 份）" in body["detail"]
    assert body["below_quorum"] == [{"entry": entry.pk, "project": "职工书屋", "cards": 1, "quorum": 2}]

    closed = admin_api.post(url(live, f"entries/{entry.pk}/close/"), {"override_reason": "两位评委断网"},
                            format="json")
    assert closed.status_code == 200 and closed.json()["state"] == "closed"
    override = QuorumOverride.objects.get()
    assert (override.action, override.reason, override.actor) == ("close_entry", "两位评委断网", people["admin"])
    assert EvaluationEvent.objects.get(action="close_entry").reason == "两位评委断网"
    shown = admin_api.get(url(live)).json()["quorum_overrides"]
    assert [(o["action"], o["reason"], o["shortfall"][0]["cards"]) for o in shown] == [
        ("close_entry", "两位评委断网", 1)]


def test_closing_the_roadshow_and_computing_below_quorum(admin_api, people, campaign, entries_projects, jurors,
                                                        django_capture_on_commit_callbacks):
    admin = people["admin"]
    roadshow = RoadshowFactory(actor=admin, campaign=campaign, projects=entries_projects, jurors=jurors)
    services.start_roadshow(actor=admin, roadshow=roadshow)
    first, second = roadshow.entries.order_by("order")
    for juror in jurors:
        submit(roadshow, first, juror)
    refused = admin_api.post(url(roadshow, "close/"), {}, format="json")
    assert refused.status_code == 409
    assert refused.json()["below_quorum"] == [{"entry": second.pk, "project": "安康杯竞赛", "cards": 0, "quorum": 2}]
    assert "“安康杯竞赛”0 份（法定 2 份）" in refused.json()["detail"]
    bad = admin_api.post(url(roadshow, "close/"), {"override_reason": "长" * 2001}, format="json")
    assert bad.status_code == 400 and "override_reason" in bad.json()
    closed = admin_api.post(url(roadshow, "close/"), {"override_reason": "项目方当天弃权"}, format="json")
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    assert closed.json()["quorum_overrides"][0]["reason"] == "项目方当天弃权"
    assert EvaluationEvent.objects.get(action="close").reason == "项目方当天弃权"

    # The close's reason covers the same shortfall (cards cannot change once closed).
    with django_capture_on_commit_callbacks(execute=True):
        accepted = admin_api.post(url(roadshow, "compute/"))
    assert accepted.status_code == 202
    results = admin_api.get(url(roadshow, "results/")).json()
    assert [(r["entry"], r["rank"], r["card_count"]) for r in results] == [(first.pk, 1, 3), (second.pk, None, 0)]
    assert results[0]["final_score"] == "80.00"
    assert (results[1]["final_score"], results[1]["tier"], results[1]["amount"], results[1]["note"]) == (
        None, "", "0.00", "无有效评分")

    # Without the close's override (a roadshow closed before the quorum existed) compute is 409.
    QuorumOverride.objects.all().delete()
    refused = admin_api.post(url(roadshow, "compute/"))
    assert refused.status_code == 409 and refused.json()["state"] == "closed"
    assert refused.json()["below_quorum"][0]["entry"] == second.pk and "不能计算结果" in refused.json()["detail"]
    with django_capture_on_commit_callbacks(execute=True):
        accepted = admin_api.post(url(roadshow, "compute/"), {"override_reason": "补算历史路演"}, format="json")
    assert accepted.status_code == 202
    assert QuorumOverride.objects.get().action == "request_compute"
    assert EvaluationEvent.objects.filter(action="request_compute").latest("id").reason == "补算历史路演"


def test_min_cards_by_patch_in_setup_only(admin_api, people, roadshow):
    response = admin_api.patch(url(roadshow), {"min_cards": 3}, format="json")
    assert response.status_code == 200 and response.json()["min_cards"] == 3
    assert admin_api.patch(url(roadshow), {"min_cards": "x"}, format="json").status_code == 400
    assert admin_api.patch(url(roadshow), {"min_cards": None}, format="json").json()["min_cards"] is None
    services.start_roadshow(actor=people["admin"], roadshow=roadshow)
    response = admin_api.patch(url(roadshow), {"min_cards": 2}, format="json")
    assert response.status_code == 409 and response.json()["state"] == "scoring"


def test_a_juror_cannot_override(api_as, jurors, scoring):
    response = api_as(jurors[0]).post(url(scoring, "close/"), {"override_reason": "我来结束"}, format="json")
    assert response.status_code in (403, 404)
    assert not QuorumOverride.objects.exists()
