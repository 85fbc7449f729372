"""The juror's list tells the truth about each card — 待开始, 评分中, 已提交, 已结束（未评）, 回避 —
and a submitted card offers the next one; the home page's summary links to the list."""

import pytest

from evaluations import services
from evaluations.models import Scorecard

from tests.factories import RoadshowFactory, full_scores

HTMX = {"HTTP_HX_REQUEST": "true"}


def _cards(roadshow, juror):
    return [Scorecard.objects.get(entry=entry, juror=juror) for entry in roadshow.entries.order_by("order")]


def _state(html, card):
    start = html.index(f'data-testid="card-state-{card.pk}">') + len(f'data-testid="card-state-{card.pk}">')
    return html[start:html.index("<", start)]


def _english(client_for, user, settings):
    client = client_for(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_live_list_shows_each_entrys_state(client_for, people, jurors, live, settings):
    first, second = _cards(live, jurors[0])
    admin = people["admin"]
    html = client_for(jurors[0]).get("/score/").content.decode()
    assert _state(html, first) == _state(html, second) == "待开始"

    services.open_entry(actor=admin, entry=first.entry)
    html = client_for(jurors[0]).get("/score/").content.decode()
    assert (_state(html, first), _state(html, second)) == ("评分中", "待开始")

    # The first entry closes before this juror scored it: over, not "to do".
    services.close_entry(actor=admin, entry=first.entry, override_reason="测试：提前结束")
    services.open_entry(actor=admin, entry=second.entry)
    services.submit_card(actor=jurors[0], card=second, scores=full_scores(live))
    html = client_for(jurors[0]).get("/score/").content.decode()
    assert (_state(html, first), _state(html, second)) == ("已结束（未评）", "已提交")
    # ... as its own page says.
    assert "本项目的评分已结束" in client_for(jurors[0]).get(f"/score/cards/{first.pk}/").content.decode()

    html = _english(client_for, jurors[0], settings).get("/score/").content.decode()
    assert (_state(html, first), _state(html, second)) == ("Ended (not scored)", "Submitted")


def test_english_list_names_pending_scoring_and_recused(client_for, people, jurors, campaign, projects, settings):
    roadshow = RoadshowFactory(actor=people["admin"], campaign=campaign, projects=projects, jurors=jurors, live=True)
    recused_entry = roadshow.entries.order_by("order")[1]
    services.add_manual_recusal(actor=people["admin"], seat=roadshow.seats.get(user=jurors[0]), entry=recused_entry,
                                reason="亲属关系")
    services.start_roadshow(actor=people["admin"], roadshow=roadshow)
    (card,) = Scorecard.objects.filter(entry__roadshow=roadshow, juror=jurors[0])
    client = _english(client_for, jurors[0], settings)
    html = client.get("/score/").content.decode()
    assert _state(html, card) == "Not started"
    assert f'data-testid="recused-{recused_entry.pk}"' in html and ">Recused</span>" in html
    assert "You are recused from this entry" in html and recused_entry.project.title not in html
    services.open_entry(actor=people["admin"], entry=card.entry)
    assert _state(client.get("/score/").content.decode(), card) == "Scoring"


def test_unsubmitted_cards_of_a_closed_roadshow_are_over(client_for, people, jurors, scoring):
    first, second = _cards(scoring, jurors[0])
    services.save_draft(actor=jurors[0], card=first, scores={scoring.rubric.criteria.first().pk: "20"})
    for juror in jurors:
        services.submit_card(actor=juror, card=Scorecard.objects.get(entry=second.entry, juror=juror),
                             scores=full_scores(scoring))
    services.close_roadshow(actor=people["admin"], roadshow=scoring, override_reason="测试：提前结束")
    html = client_for(jurors[0]).get("/score/").content.decode()
    assert (_state(html, first), _state(html, second)) == ("已结束（未评）", "已提交")


def test_a_submitted_card_offers_the_next_one(client_for, jurors, scoring):
    first, second = _cards(scoring, jurors[0])
    client = client_for(jurors[0])
    response = client.post(f"/score/cards/{first.pk}/submit/",
                           {f"c{c}": v for c, v in full_scores(scoring).items()}, follow=True)
    html = response.content.decode()
    assert "评分已提交" in html
    assert f'href="/score/cards/{second.pk}/" data-testid="next-card"' in html and "下一个项目" in html
    services.submit_card(actor=jurors[0], card=second, scores=full_scores(scoring))
    html = client.get(f"/score/cards/{second.pk}/").content.decode()
    assert 'data-testid="next-card"' not in html and 'data-testid="back-to-list"' in html


@pytest.mark.parametrize("open_second", [False, True])
def test_in_live_mode_the_next_one_is_the_entry_now_open(client_for, people, jurors, live, open_second):
    first, second = _cards(live, jurors[0])
    services.open_entry(actor=people["admin"], entry=first.entry)
    services.submit_card(actor=jurors[0], card=first, scores=full_scores(live))
    if open_second:
        services.close_entry(actor=people["admin"], entry=first.entry, override_reason="测试：提前结束")
        services.open_entry(actor=people["admin"], entry=second.entry)
    html = client_for(jurors[0]).get(f"/score/cards/{first.pk}/").content.decode()
    if open_second:
        assert f'href="/score/cards/{second.pk}/" data-testid="next-card"' in html
    else:  # the second has not started: not offered, the page waits for the host
        assert 'data-testid="next-card"' not in html and 'data-testid="next-card-wait"' in html


def test_the_live_banner_comes_with_the_card_page(client_for, people, jurors, live):
    first, second = _cards(live, jurors[0])
    services.open_entry(actor=people["admin"], entry=second.entry)
    client = client_for(jurors[0])
    # On another entry's page the banner is there from the start, as the poll would show it.
    html = client.get(f"/score/cards/{first.pk}/").content.decode()
    assert 'data-testid="live-open-entry"' in html and f'href="/score/cards/{second.pk}/"' in html
    # On the page of the entry being scored there is no banner to appear later.
    html = client.get(f"/score/cards/{second.pk}/").content.decode()
    assert 'data-testid="live-open-entry"' not in html and 'data-testid="entry-live"' in html
    poll = client.get(f"/score/roadshows/{live.pk}/now/", {"card": second.pk, "state": "open"}, **HTMX)
    assert 'data-testid="live-open-entry"' not in poll.content.decode()
    # The list shows it too, without waiting for the first poll.
    assert 'data-testid="live-open-entry"' in client.get("/score/").content.decode()


def test_home_summary_links_each_roadshow_to_the_list(client_for, jurors, scoring):
    client = client_for(jurors[0])
    html = client.get("/score/summary/", **HTMX).content.decode()
    assert f'href="/score/#roadshow-{scoring.pk}"' in html and "<progress" in html
    assert "<html" not in html
    page = client.get("/score/summary/").content.decode()  # opened as a page: in the site's frame
    assert "<html" in page and f'href="/score/#roadshow-{scoring.pk}"' in page
    assert f'id="roadshow-{scoring.pk}"' in client.get("/score/").content.decode()
    assert 'href="/score/summary/"' in client.get("/").content.decode()
