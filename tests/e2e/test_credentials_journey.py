"""Credentials in a real browser (issues 13 and 20): a wrong password warns how many tries are
left; an admin cannot give a seated juror a password, issues a one-time reset link instead, and
the juror sets a new password with it on a phone."""

import datetime

import pytest
from playwright.sync_api import expect

from evaluations import services
from members.enums import UnionLevel
from projects.enums import ProjectStatus
from tests.factories import PASSWORD, AdminFactory, CampaignFactory, JurorFactory, ProjectFactory, UnionFactory

from .browser import DESKTOP, login, shot

pytestmark = pytest.mark.e2e

JUROR_PHONE = {"width": 390, "height": 844}
NEW_PASSWORD = "Juror-new-pass-2027!"


@pytest.fixture
def seated(transactional_db):
    city = UnionFactory(name="无锡市总工会", short_name="市总", level=UnionLevel.MUNICIPAL)
    county = UnionFactory(name="江阴市总工会", short_name="江阴", level=UnionLevel.COUNTY, parent=city)
    campaign = CampaignFactory(owner_union=city, title="2026年度无锡工会创新工作项目")
    admin = AdminFactory(username="city_admin", name="李管理", union=city)
    juror = JurorFactory(username="juror_wang", name="王评委")
    project = ProjectFactory(campaign=campaign, applicant_union=county, status=ProjectStatus.SHORTLISTED,
                             title="职工书屋")
    roadshow = services.create_roadshow(actor=admin, campaign=campaign, title="2026年度路演展评",
                                        date=datetime.date(2026, 6, 1), venue="市工人文化宫")
    services.add_entry(actor=admin, roadshow=roadshow, project=project)
    services.add_juror(actor=admin, roadshow=roadshow, user=juror)
    services.start_roadshow(actor=admin, roadshow=roadshow)
    return {"admin": admin, "juror": juror}


def test_a_wrong_password_warns_how_many_tries_are_left(live_server, seated, new_context):
    page = new_context(viewport=JUROR_PHONE, is_mobile=True, has_touch=True).new_page()
    login(page, live_server, "juror_wang", "wrong-password")
    expect(page.get_by_text("还可尝试 4 次")).to_be_visible()
    shot(page, "login-tries-left-phone")


def test_an_admin_issues_a_reset_link_and_the_juror_sets_a_password_on_the_phone(live_server, seated, new_context):
    admin_page = new_context(viewport=DESKTOP).new_page()
    login(admin_page, live_server, "city_admin", PASSWORD)
    admin_page.goto(f"{live_server.url}/users/{seated['juror'].pk}/edit/")
    expect(admin_page.locator("input[name=password]")).to_have_count(0)
    expect(admin_page.get_by_text("尚未定稿路演的评委")).to_be_visible()
    with admin_page.expect_navigation():
        admin_page.get_by_role("button", name="发放一次性重置链接").click()
    link = admin_page.get_by_test_id("reset-link").inner_text().strip()
    assert "/accounts/reset/" in link
    shot(admin_page, "admin-reset-link-issued")

    phone = new_context(viewport=JUROR_PHONE, is_mobile=True, has_touch=True).new_page()
    phone.goto(link)
    expect(phone.get_by_test_id("reset-code")).to_contain_text("juror_wang")
    phone.fill("input[name=new_password1]", NEW_PASSWORD)
    phone.fill("input[name=new_password2]", NEW_PASSWORD)
    shot(phone, "juror-reset-set-password-phone")
    with phone.expect_navigation():
        phone.click("main form [type=submit]")
    expect(phone.get_by_text("新密码已设置")).to_be_visible()
    login(phone, live_server, "juror_wang", NEW_PASSWORD)
    assert "/accounts/login/" not in phone.url
    phone.goto(link)
    expect(phone.get_by_test_id("reset-invalid")).to_be_visible()
