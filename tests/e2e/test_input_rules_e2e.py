"""A count typed in full-width digits (a Chinese input method's default) is refused on the awards
page with a message naming the tier, not read as a number (docs/SECURITY.md, "Issue 21 item 7")."""

import datetime

import pytest
from playwright.sync_api import expect

from evaluations import services
from awards.models import TierRule
from members.enums import UnionLevel
from projects.enums import ProjectStatus
from tests.factories import PASSWORD, AdminFactory, CampaignFactory, ProjectFactory, UnionFactory

from .browser import login, shot

pytestmark = pytest.mark.e2e


@pytest.fixture
def roadshow(transactional_db):
    city = UnionFactory(name="无锡市总工会", short_name="市总", level=UnionLevel.MUNICIPAL)
    campaign = CampaignFactory(owner_union=city, title="2026年度无锡工会创新工作项目")
    admin = AdminFactory(username="city_admin", name="李管理", union=city)
    roadshow = services.create_roadshow(actor=admin, campaign=campaign, title="2026年度路演展评",
                                        date=datetime.date(2026, 6, 1), venue="市工人文化宫")
    project = ProjectFactory(campaign=campaign, applicant_union=city, status=ProjectStatus.SHORTLISTED,
                             title="职工书屋")
    services.add_entry(actor=admin, roadshow=roadshow, project=project)
    return roadshow


def test_a_full_width_tier_count_is_refused_with_a_message_naming_the_tier(roadshow, live_server, desktop):
    login(desktop, live_server, "city_admin", PASSWORD)
    desktop.goto(f"{live_server.url}/roadshows/{roadshow.pk}/awards/")
    form = desktop.get_by_test_id("tiers-form")
    first_row = form.locator("tbody tr").first
    name = first_row.get_by_label("等次").input_value()
    first_row.get_by_label("名额", exact=True).fill("２")
    first_row.get_by_label("名额比例（%）").fill("")
    with desktop.expect_navigation():
        form.get_by_test_id("save-tiers").click()
    expect(desktop.get_by_text(f"“{name}”的名额须为正整数。")).to_be_visible()
    # what was typed is still there to be corrected
    expect(desktop.get_by_test_id("tiers-form").locator("tbody tr").first.get_by_label("名额", exact=True)) \
        .to_have_value("２")
    shot(desktop, "inputs_full_width_tier_count_refused")
    assert not TierRule.objects.filter(roadshow=roadshow).exists()
