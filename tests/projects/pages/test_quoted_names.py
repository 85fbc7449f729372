"""A stored name that already holds “…” is not quoted twice in messages and pages (issue 22 item 3)."""

import pytest
from django.urls import reverse

from projects.models import Project
from tests.factories import CampaignFactory

from .helpers import messages_of
from .test_project_pages import filing_data

QUOTED_TITLE = "“澄江工匠”职工技能提升行动"


@pytest.mark.parametrize(("title", "message"), [
    (QUOTED_TITLE, "项目“澄江工匠”职工技能提升行动已提交申报。"),
    ("职工书屋建设", "项目“职工书屋建设”已提交申报。"),
])
def test_the_submit_message_quotes_the_title_once(client, people, campaign, title, message):
    client.force_login(people["staff_a"])
    response = client.post(reverse("projects:create") + f"?campaign={campaign.pk}",
                           filing_data(intent="submit", title=title))
    assert Project.objects.get().title == title
    assert messages_of(response) == [message]


def test_the_submit_message_in_english_quotes_the_title_once(client, people, campaign, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(people["staff_a"])
    response = client.post(reverse("projects:create") + f"?campaign={campaign.pk}",
                           filing_data(intent="submit", title=QUOTED_TITLE))
    assert messages_of(response) == [f"Project {QUOTED_TITLE} has been submitted."]


def test_the_home_page_quotes_an_open_campaign_once(client, people, tree):
    CampaignFactory(owner_union=tree["city"], title="2026年度“澄江工匠”创新项目")
    CampaignFactory(owner_union=tree["city"], title="2026年度职工服务项目")
    client.force_login(people["staff_a"])
    html = client.get(reverse("home")).content.decode()
    assert "申报2026年度“澄江工匠”创新项目" in html
    assert "申报“2026年度职工服务项目”" in html
    assert "““" not in html and "””" not in html
