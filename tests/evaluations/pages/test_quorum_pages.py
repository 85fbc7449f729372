"""The quorum on the pages (issue 13): the roadshow close and the compute show the refusal, the
entries and their counts, and a form for a reason; the reason is printed on the results pages;
an entry nobody scored shows 无有效评分 on the results page, the awards page and the big screen;
``min_cards`` is set on the setup page."""

import pytest

from evaluations import services
from evaluations.models import QuorumOverride, Scorecard

from tests.factories import full_scores

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_celery")]  # jobs (the compute) run in process


def submit_all(roadshow, entry, jurors):
    for juror in jurors:
        card = Scorecard.objects.get(entry=entry, juror=juror)
        services.submit_card(actor=juror, card=card, scores=full_scores(roadshow))


def test_closing_the_roadshow_below_quorum_asks_for_a_reason_and_prints_it(client_for, people, scoring, jurors):
    client = client_for(people["admin"])
    first, second = scoring.entries.order_by("order")
    submit_all(scoring, first, jurors)
    refused = client.post(f"/roadshows/{scoring.pk}/close/")
    html = refused.content.decode()
    assert refused.status_code == 200
    assert 'data-testid="quorum-refusal"' in html and "“安康杯竞赛”0 份（法定 2 份）" in html
    assert 'name="override_reason"' in html and f'action="/roadshows/{scoring.pk}/close/"' in html
    scoring.refresh_from_db()
    assert scoring.status == "scoring"

    response = client.post(f"/roadshows/{scoring.pk}/close/", {"override_reason": "项目方当天弃权"})
    assert response["Location"] == f"/roadshows/{scoring.pk}/results/"
    html = client.get(response["Location"]).content.decode()
    assert 'data-testid="quorum-overrides"' in html and "项目方当天弃权" in html
    row = html[html.index(f'data-entry="{second.pk}"'):]
    assert 'data-testid="no-valid-score"' in row[:600] and "无有效评分" in row[:600]


def test_compute_below_quorum_asks_for_a_reason_then_the_awards_page_shows_the_result(
        client_for, people, scoring, jurors, django_capture_on_commit_callbacks):
    admin = people["admin"]
    first, second = scoring.entries.order_by("order")
    submit_all(scoring, first, jurors)
    services.close_roadshow(actor=admin, roadshow=scoring, override_reason="项目方当天弃权")
    QuorumOverride.objects.all().delete()  # as if closed before the quorum existed
    client = client_for(admin)
    html = client.post(f"/roadshows/{scoring.pk}/awards/compute/").content.decode()
    assert "不能计算结果" in html and 'name="override_reason"' in html
    assert f'action="/roadshows/{scoring.pk}/awards/compute/"' in html
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/roadshows/{scoring.pk}/awards/compute/", {"override_reason": "补算历史路演"})
    assert response.status_code == 302
    html = client.get(f"/roadshows/{scoring.pk}/awards/").content.decode()
    assert "补算历史路演" in html
    row = html[html.index(f'data-entry="{second.pk}"'):]
    assert "无有效评分" in row[:800]


def test_the_big_screen_lists_a_closed_entry_nobody_scored(client_for, people, campaign, projects, jurors):
    from tests.factories import RoadshowFactory

    admin = people["admin"]
    live = RoadshowFactory(actor=admin, campaign=campaign, projects=projects, jurors=jurors, live=True, title="现场亮分路演")
    services.start_roadshow(actor=admin, roadshow=live)
    entry = live.entries.order_by("order").first()
    services.open_entry(actor=admin, entry=entry)
    services.close_entry(actor=admin, entry=entry, override_reason="评委全部断网")
    html = client_for(admin).get(f"/roadshows/{live.pk}/screen/panel/").content.decode()
    assert 'data-testid="screen-no-score"' in html and 'data-testid="screen-unscored"' in html
    assert "职工书屋" in html


def test_min_cards_is_set_on_the_setup_page(client_for, people, roadshow):
    client = client_for(people["admin"])
    html = client.get(f"/roadshows/{roadshow.pk}/").content.decode()
    assert 'name="min_cards"' in html
    data = {"title": roadshow.title, "date": "2026-06-01", "venue": "", "aggregation": roadshow.aggregation,
            "min_cards": "3"}
    client.post(f"/roadshows/{roadshow.pk}/settings/", data)
    roadshow.refresh_from_db()
    assert roadshow.min_cards == 3
    services.start_roadshow(actor=people["admin"], roadshow=roadshow)
    html = client.get(f"/roadshows/{roadshow.pk}/").content.decode()
    assert 'id="id_min_cards" name="min_cards" type="number" min="1" max="999" value="3" disabled' in html
