"""Issue 13, item 2, in a real browser: an admin moves a juror into 梁溪 while the roadshow is
scoring. With the juror's 梁溪 card submitted the user page refuses and says what to do; once the
card is reopened the move goes through, and the juror's phone no longer offers that card."""

import datetime

import pytest
from playwright.sync_api import expect

from evaluations import services
from evaluations.models import Recusal, Scorecard
from members.enums import UnionLevel
from members.models import User
from projects.enums import ProjectStatus
from tests.factories import PASSWORD, AdminFactory, CampaignFactory, JurorFactory, ProjectFactory, UnionFactory

from .browser import DESKTOP, login, shot

pytestmark = pytest.mark.e2e

PHONE_390 = {"width": 390, "height": 844}


@pytest.fixture
def world(transactional_db):
    city = UnionFactory(name="无锡市总工会", short_name="市总", level=UnionLevel.MUNICIPAL)
    liangxi = UnionFactory(name="梁溪区总工会", short_name="梁溪", level=UnionLevel.COUNTY, parent=city)
    xishan = UnionFactory(name="锡山区总工会", short_name="锡山", level=UnionLevel.COUNTY, parent=city)
    admin = AdminFactory(username="city_admin", name="李管理", union=city)
    juror = JurorFactory(username="juror_wang", name="王评委")
    campaign = CampaignFactory(owner_union=city)
    projects = [ProjectFactory(campaign=campaign, applicant_union=union, status=ProjectStatus.SHORTLISTED, title=title)
                for union, title in ((liangxi, "梁溪职工书屋"), (xishan, "锡山安康杯竞赛"))]
    roadshow = services.create_roadshow(actor=admin, campaign=campaign, title="2026年度路演展评",
                                        date=datetime.date(2026, 6, 1))
    for project in projects:
        services.add_entry(actor=admin, roadshow=roadshow, project=project)
    services.add_juror(actor=admin, roadshow=roadshow, user=juror)
    services.start_roadshow(actor=admin, roadshow=roadshow)
    card = Scorecard.objects.get(juror=juror, entry__project__title="梁溪职工书屋")
    scores = {c.pk: v for c, v in zip(roadshow.rubric.criteria.all(), ("20", "20", "25", "15"), strict=True)}
    services.submit_card(actor=juror, card=card, scores=scores)
    return {"admin": admin, "juror": juror, "liangxi": liangxi, "card": card}


def test_moving_a_juror_into_an_applicants_union_while_scoring(world, live_server, new_context):
    juror, card = world["juror"], world["card"]
    page = new_context(viewport=DESKTOP).new_page()
    login(page, live_server, "city_admin", PASSWORD)
    edit = f"{live_server.url}/users/{juror.pk}/edit/"

    page.goto(edit)
    page.select_option("select[name=union]", str(world["liangxi"].pk))
    with page.expect_navigation():
        page.click("main form [type=submit]")
    expect(page.get_by_text("请先由路演管理员退回该评分表")).to_be_visible()
    expect(page.get_by_text("梁溪职工书屋").first).to_be_visible()
    shot(page, "recusal-drift-refused")
    assert User.objects.get(pk=juror.pk).union is None

    services.reopen_card(actor=world["admin"], card=card, reason="评委调入梁溪，须回避")
    page.goto(edit)
    page.select_option("select[name=union]", str(world["liangxi"].pk))
    with page.expect_navigation():
        page.click("main form [type=submit]")
    expect(page.get_by_text("已保存用户")).to_be_visible()
    assert Recusal.objects.filter(seat__user=juror, automatic=True).count() == 1

    phone = new_context(viewport=PHONE_390, is_mobile=True, has_touch=True).new_page()
    login(phone, live_server, "juror_wang", PASSWORD)
    phone.goto(f"{live_server.url}/score/")
    expect(phone.get_by_text("锡山安康杯竞赛")).to_be_visible()
    expect(phone.get_by_test_id(f"card-{card.pk}")).to_have_count(0)
    shot(phone, "recusal-drift-juror-cards")
