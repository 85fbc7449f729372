"""The juror's scoring card on a phone (390×844): a bad value never costs the valid ones, the
total and the fields say what is wrong, submitting asks only for a complete and valid card, the
server's errors mark the fields they name, and the live banner never moves the inputs."""

import re

import pytest
from playwright.sync_api import expect

from evaluations import services
from evaluations.enums import CardStatus
from evaluations.models import Criterion, Scorecard
from tests.factories import PASSWORD

from .browser import login, shot
from .test_roadshow_scoring import _criteria, _roadshow, hall  # noqa: F401 (the fixture)

pytestmark = pytest.mark.e2e

POLL = 10_000  # ms
INVALID = re.compile(r"\bis-invalid\b")
PHONE_390 = {"width": 390, "height": 844}


@pytest.fixture
def phone390(new_context):
    context = new_context(viewport=PHONE_390, is_mobile=True, has_touch=True, device_scale_factor=2)
    return context.new_page()


@pytest.fixture
def csp_violations(phone390):
    """What the browser refused under the Content Security Policy (nothing, we hope)."""
    refused = []
    phone390.on("console", lambda message: refused.append(message.text)
                if "Content Security Policy" in message.text else None)
    return refused


@pytest.fixture
def dialogs(phone390):
    """The messages of the confirmation dialogs the phone showed (each accepted)."""
    shown = []
    phone390.on("dialog", lambda dialog: (shown.append(dialog.message), dialog.accept()))
    return shown


def _open_card(page, live_server, hall, roadshow, index=0):
    card = Scorecard.objects.get(juror=hall["jurors"][0], entry__project=hall["projects"][index],
                                 entry__roadshow=roadshow)
    login(page, live_server, "juror_wang", PASSWORD)
    page.goto(f"{live_server.url}/score/cards/{card.pk}/")
    return card


def _field(page, criterion):
    return page.get_by_label(criterion.name)


def test_a_bad_value_keeps_the_valid_ones_saved_across_a_reload(hall, live_server, phone390, dialogs,
                                                                csp_violations):
    roadshow = _roadshow(hall)
    organisation, innovation, results, replicable = _criteria(roadshow)
    card = _open_card(phone390, live_server, hall, roadshow)

    _field(phone390, organisation).fill("30")  # on a 25-point criterion
    expect(_field(phone390, organisation)).to_have_class(INVALID)
    expect(phone390.get_by_test_id(f"feedback-c{organisation.pk}")).to_have_text(
        "“组织管理”的分数须在 0 到 25 之间，最多一位小数。")
    expect(phone390.get_by_test_id("running-total")).to_have_text("有无效分数")
    for criterion, value in ((innovation, "20"), (results, "25.5"), (replicable, "15")):
        _field(phone390, criterion).fill(value)
    expect(phone390.get_by_test_id("autosave-ok")).to_be_visible(timeout=POLL)
    expect(phone390.get_by_test_id("autosave-unsaved")).to_contain_text("组织管理")
    expect(phone390.get_by_test_id("running-total")).to_have_text("有无效分数")
    shot(phone390, "juror_card_01_bad_value_marked")
    card.refresh_from_db()
    assert {c: str(v) for c, v in card.values().items()} == {innovation.pk: "20.0", results.pk: "25.5",
                                                              replicable.pk: "15.0"}

    # A reload shows the saved values and, from this phone, the bad one still marked.
    phone390.reload()
    expect(_field(phone390, innovation)).to_have_value("20.0")
    expect(_field(phone390, results)).to_have_value("25.5")
    expect(_field(phone390, replicable)).to_have_value("15.0")
    expect(_field(phone390, organisation)).to_have_value("30")
    expect(_field(phone390, organisation)).to_have_class(INVALID)
    expect(phone390.get_by_test_id(f"feedback-c{organisation.pk}")).to_be_visible()
    expect(phone390.get_by_test_id("running-total")).to_have_text("有无效分数")
    expect(phone390.get_by_test_id("autosave-unsaved")).to_have_text("分数无效，未保存：组织管理")
    shot(phone390, "juror_card_02_after_reload")

    # Submitting an invalid card asks nothing: it says what to fix.
    phone390.get_by_test_id("submit-card").click()
    expect(phone390.get_by_test_id("submit-blocked")).to_be_visible()
    assert dialogs == []
    card.refresh_from_db()
    assert card.status == CardStatus.DRAFT

    _field(phone390, organisation).fill("20")
    expect(_field(phone390, organisation)).not_to_have_class(INVALID)
    expect(phone390.get_by_test_id("running-total")).to_have_text("80.5")
    expect(phone390.get_by_test_id("autosave-ok")).to_be_visible(timeout=POLL)
    phone390.reload()
    expect(_field(phone390, organisation)).to_have_value("20.0")  # the kept bad value is gone
    with phone390.expect_navigation():
        phone390.get_by_test_id("submit-card").click()
    assert dialogs == ["确认提交评分？提交后不能修改。"]
    expect(phone390.get_by_test_id("card-locked")).to_be_visible()
    card.refresh_from_db()
    assert card.status == CardStatus.SUBMITTED and str(card.total) == "80.5"
    assert csp_violations == []


def test_an_incomplete_card_is_not_confirmed_and_its_empty_fields_are_marked(hall, live_server, phone390,
                                                                             dialogs):
    roadshow = _roadshow(hall)
    organisation, innovation, results, replicable = _criteria(roadshow)
    card = _open_card(phone390, live_server, hall, roadshow)
    _field(phone390, organisation).fill("20")
    _field(phone390, innovation).fill("20")
    phone390.get_by_test_id("submit-card").click()
    expect(phone390.get_by_test_id("submit-blocked")).to_be_visible()
    expect(_field(phone390, results)).to_have_class(INVALID)
    expect(phone390.get_by_test_id(f"feedback-c{results.pk}")).to_have_text("请填写“工作成效”的分数。")
    expect(_field(phone390, replicable)).to_have_class(INVALID)
    expect(_field(phone390, organisation)).not_to_have_class(INVALID)
    shot(phone390, "juror_card_03_incomplete_submit")
    assert dialogs == []
    card.refresh_from_db()
    assert card.status == CardStatus.DRAFT


def test_the_servers_errors_mark_the_fields_they_name(hall, live_server, phone390):
    roadshow = _roadshow(hall)
    organisation, innovation, results, replicable = _criteria(roadshow)
    phone390.on("dialog", lambda dialog: dialog.accept())
    card = _open_card(phone390, live_server, hall, roadshow)
    # The rubric changes under the open page (the Django admin may edit it): the page still
    # believes 25, the server now says 10.
    Criterion.objects.filter(pk=organisation.pk).update(max_points=10)
    _field(phone390, organisation).fill("20")
    expect(phone390.get_by_test_id("autosave-error")).to_contain_text("0 到 10", timeout=POLL)
    expect(_field(phone390, organisation)).to_have_class(INVALID)
    expect(phone390.get_by_test_id(f"feedback-c{organisation.pk}")).to_contain_text("0 到 10")

    for criterion, value in ((innovation, "20"), (results, "25"), (replicable, "15")):
        _field(phone390, criterion).fill(value)
    with phone390.expect_navigation():
        phone390.get_by_test_id("submit-card").click()
    # The page comes back with the server's message on the field it names.
    expect(_field(phone390, organisation)).to_have_class(INVALID)
    expect(phone390.get_by_test_id(f"feedback-c{organisation.pk}")).to_contain_text("0 到 10")
    expect(_field(phone390, innovation)).not_to_have_class(INVALID)
    shot(phone390, "juror_card_04_server_error_on_field")
    card.refresh_from_db()
    assert card.status == CardStatus.DRAFT



def test_the_live_banner_never_moves_the_inputs(hall, live_server, phone390):
    roadshow = _roadshow(hall, live=True)
    first = roadshow.entries.order_by("order").first()
    services.open_entry(actor=hall["admin"], entry=first)
    _open_card(phone390, live_server, hall, roadshow)
    inputs = phone390.locator("input[data-score]")
    expect(inputs.first).to_be_enabled()
    before = [inputs.nth(i).bounding_box() for i in range(inputs.count())]
    # Two polls of the banner (every 3 s), each swapped in.
    for _poll in range(2):
        with phone390.expect_response(lambda response: f"/score/roadshows/{roadshow.pk}/now/" in response.url,
                                      timeout=POLL):
            pass
    phone390.wait_for_timeout(300)
    after = [inputs.nth(i).bounding_box() for i in range(inputs.count())]
    assert before == after
    shot(phone390, "juror_card_05_live_card_steady")


def test_a_failed_autosave_says_so_and_retries_when_the_network_returns(hall, live_server, phone390):
    roadshow = _roadshow(hall)
    organisation, innovation, *_rest = _criteria(roadshow)
    card = _open_card(phone390, live_server, hall, roadshow)
    phone390.route("**/autosave/", lambda route: route.abort("internetdisconnected"))
    _field(phone390, organisation).fill("20")
    expect(phone390.get_by_test_id("autosave-error")).to_have_text("未保存：连接不上服务器，稍后自动重试。",
                                                                   timeout=POLL)
    shot(phone390, "juror_card_06_offline")
    phone390.unroute("**/autosave/")
    expect(phone390.get_by_test_id("autosave-ok")).to_be_visible(timeout=POLL)  # the retry, untouched
    card.refresh_from_db()
    assert {c: str(v) for c, v in card.values().items()} == {organisation.pk: "20.0"}

    # The login ends (cookies gone): no login page in the status line, but what happened.
    phone390.context.clear_cookies()
    _field(phone390, innovation).fill("21")
    expect(phone390.get_by_test_id("autosave-error")).to_have_text("未保存：登录已失效，请重新登录后再填写。",
                                                                   timeout=POLL)
    expect(phone390.get_by_test_id("autosave-status").locator("input")).to_have_count(0)
    card.refresh_from_db()
    assert list(card.values()) == [organisation.pk]


def test_an_autosave_after_the_session_ended_shows_no_login_page(hall, live_server, phone390, settings):
    roadshow = _roadshow(hall)
    organisation = _criteria(roadshow)[0]
    card = _open_card(phone390, live_server, hall, roadshow)
    settings.SESSION_ABSOLUTE_SECONDS = 0  # the next request ends the session: redirected to the login page
    _field(phone390, organisation).fill("20")
    expect(phone390.get_by_test_id("autosave-error")).to_have_text("未保存：登录已失效，请重新登录后再填写。",
                                                                   timeout=POLL)
    expect(phone390.locator("input[name=password]")).to_have_count(0)
    assert card.values() == {}
