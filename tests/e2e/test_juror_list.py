"""The juror's list on a phone (390×844) through a live roadshow: 待开始, 评分中, 已结束（未评）,
已提交 and 回避 (without the project), and after a submission the next entry."""

import datetime

import pytest
from playwright.sync_api import expect

from evaluations import services
from evaluations.models import Scorecard
from projects.enums import ProjectStatus
from tests.factories import PASSWORD, ProjectFactory

from .browser import login, shot
from .test_juror_card import csp_violations, phone390  # noqa: F401 (the fixtures)
from .test_roadshow_scoring import _roadshow, hall, score_and_submit  # noqa: F401 (the fixture)

pytestmark = pytest.mark.e2e

POLL = 10_000  # ms


def _state(page, card):
    return page.get_by_test_id(f"card-state-{card.pk}")


def test_live_list_states_and_the_next_entry(hall, live_server, phone390, csp_violations):
    admin, (wang, _zhao) = hall["admin"], hall["jurors"]
    union = hall["projects"][0].applicant_union
    more = [ProjectFactory(campaign=hall["campaign"], applicant_union=union, status=ProjectStatus.SHORTLISTED,
                           title=title) for title in ("回避的项目甲", "最后的项目丁")]
    roadshow = services.create_roadshow(actor=admin, campaign=hall["campaign"], title="2026年度现场亮分",
                                        date=datetime.date(2026, 6, 2), live=True)
    for project in [*hall["projects"], *more]:
        services.add_entry(actor=admin, roadshow=roadshow, project=project)
    for juror in hall["jurors"]:
        services.add_juror(actor=admin, roadshow=roadshow, user=juror)
    a, b, c, d = roadshow.entries.order_by("order")
    services.add_manual_recusal(actor=admin, seat=roadshow.seats.get(user=wang), entry=c, reason="曾指导该项目")
    services.start_roadshow(actor=admin, roadshow=roadshow)
    card_a, card_b, card_d = (Scorecard.objects.get(entry=e, juror=wang) for e in (a, b, d))
    phone390.on("dialog", lambda dialog: dialog.accept())

    services.open_entry(actor=admin, entry=a)
    login(phone390, live_server, "juror_wang", PASSWORD)
    phone390.goto(f"{live_server.url}/score/")
    expect(_state(phone390, card_a)).to_have_text("评分中")
    expect(_state(phone390, card_b)).to_have_text("待开始")
    expect(phone390.get_by_test_id(f"recused-{c.pk}")).to_contain_text("回避")
    expect(phone390.get_by_test_id(f"roadshow-{roadshow.pk}")).not_to_contain_text("回避的项目甲")
    shot(phone390, "juror_list_01_live_states")

    # The host moves on before this juror scored the first entry: it is over, not "to do".
    services.close_entry(actor=admin, entry=a, override_reason="主持人先行结束（测试）")
    services.open_entry(actor=admin, entry=b)
    phone390.reload()
    expect(_state(phone390, card_a)).to_have_text("已结束（未评）")
    expect(_state(phone390, card_b)).to_have_text("评分中")
    phone390.get_by_test_id(f"card-{card_b.pk}").click()
    score_and_submit(phone390, roadshow, ["20", "21", "25", "15"])
    expect(phone390.get_by_test_id("next-card-wait")).to_be_visible()
    shot(phone390, "juror_list_02_submitted_waiting")

    # The host opens the last entry: the submitted card offers it as the next one.
    services.close_entry(actor=admin, entry=b, override_reason="主持人先行结束（测试）")
    services.open_entry(actor=admin, entry=d)
    phone390.goto(f"{live_server.url}/score/cards/{card_b.pk}/")
    expect(phone390.get_by_test_id("next-card")).to_have_attribute("href", f"/score/cards/{card_d.pk}/")
    shot(phone390, "juror_list_03_next_entry")
    phone390.get_by_test_id("next-card").click()
    expect(phone390.get_by_test_id("project-title")).to_have_text("最后的项目丁", timeout=POLL)

    phone390.goto(f"{live_server.url}/score/")
    expect(_state(phone390, card_a)).to_have_text("已结束（未评）")
    expect(_state(phone390, card_b)).to_have_text("已提交")
    expect(_state(phone390, card_d)).to_have_text("评分中")
    expect(phone390.get_by_test_id(f"recused-{c.pk}")).to_be_visible()
    shot(phone390, "juror_list_04_live_states_later")
    assert csp_violations == []


def test_after_a_submission_the_next_entry_is_one_tap_away(hall, live_server, phone390):
    roadshow = _roadshow(hall)
    first, second = (Scorecard.objects.get(entry=e, juror=hall["jurors"][0]) for e in roadshow.entries.order_by("order"))
    phone390.on("dialog", lambda dialog: dialog.accept())
    login(phone390, live_server, "juror_wang", PASSWORD)
    phone390.goto(f"{live_server.url}/score/cards/{first.pk}/")
    score_and_submit(phone390, roadshow, ["20", "21", "25", "15"])
    phone390.get_by_test_id("next-card").click()
    expect(phone390.get_by_test_id("project-title")).to_have_text("宜兴安康杯竞赛")
    assert phone390.url.endswith(f"/score/cards/{second.pk}/")
    phone390.goto(f"{live_server.url}/")
    phone390.get_by_test_id("juror-summary-link").click()
    expect(phone390.get_by_test_id(f"summary-roadshow-{roadshow.pk}")).to_contain_text("已提交 1 / 2")
    shot(phone390, "juror_list_05_summary_page")
    phone390.get_by_test_id(f"summary-roadshow-{roadshow.pk}").click()
    expect(phone390.get_by_test_id(f"roadshow-{roadshow.pk}")).to_be_visible()
