"""Pages of campaigns (年度项目): list, detail, create and edit."""

import datetime
from decimal import Decimal

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from projects.enums import ProjectStatus
from projects.models import Campaign
from tests.factories import AdminFactory, CampaignFactory, ProjectFactory

ROLES = ["admin", "staff_a", "county_admin_a", "juror"]


def _form(tree, **changes):
    today = timezone.localdate()
    data = {
        "year": 2026, "title": "2026年度无锡市工会创新工作项目", "owner_union": tree["city"].pk,
        "filing_opens": today.isoformat(), "filing_deadline": (today + datetime.timedelta(days=30)).isoformat(),
        "budget": "1000000.00", "categories": "思想政治引领\n劳动技能竞赛\n\n  工会自身建设  \n",
        "recommendation_quota": "",
    }
    data.update(changes)
    return data


# --- permissions ----------------------------------------------------------------------------


@pytest.mark.parametrize("name,needs_pk", [
    ("campaigns:list", False), ("campaigns:detail", True), ("campaigns:create", False), ("campaigns:edit", True),
])
def test_anonymous_is_sent_to_login(client_for, campaign, name, needs_pk):
    response = client_for(None).get(reverse(name, args=[campaign.pk] if needs_pk else []))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("role", ROLES)
def test_everyone_signed_in_reads_the_list_and_detail(client_for, people, campaign, role):
    client = client_for(people[role])
    assert client.get(reverse("campaigns:list")).status_code == 200
    assert client.get(reverse("campaigns:detail", args=[campaign.pk])).status_code == 200


@pytest.mark.parametrize("role,expected", [("admin", 200), ("staff_a", 403), ("county_admin_a", 403), ("juror", 403)])
def test_only_admins_create_and_edit(client_for, people, campaign, role, expected):
    client = client_for(people[role])
    assert client.get(reverse("campaigns:create")).status_code == expected
    assert client.get(reverse("campaigns:edit", args=[campaign.pk])).status_code == expected


def test_admin_of_another_union_cannot_edit(client_for, tree, campaign):
    admin_b = AdminFactory(union=tree["county_b"])
    assert client_for(admin_b).get(reverse("campaigns:edit", args=[campaign.pk])).status_code == 403


@pytest.mark.parametrize("name", ["campaigns:detail", "campaigns:edit"])
def test_unknown_campaign_is_404(client_for, people, name):
    assert client_for(people["admin"]).get(reverse(name, args=[424242])).status_code == 404


# --- list -----------------------------------------------------------------------------------


def test_list_shows_year_and_status(client_for, people, campaign):
    html = client_for(people["staff_a"]).get(reverse("campaigns:list")).content.decode()
    assert campaign.title in html
    assert "2026" in html
    assert "申报中" in html


def test_empty_list_invites_the_admin_to_create(client_for, people):
    html = client_for(people["admin"]).get(reverse("campaigns:list")).content.decode()
    assert "还没有年度项目" in html
    assert reverse("campaigns:create") in html


def test_empty_list_has_no_create_button_for_staff(client_for, people):
    html = client_for(people["staff_a"]).get(reverse("campaigns:list")).content.decode()
    assert "还没有年度项目" in html
    assert reverse("campaigns:create") not in html


def test_list_queries_do_not_grow_with_rows(client_for, tree, people):
    client = client_for(people["staff_a"])
    CampaignFactory(owner_union=tree["city"])
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("campaigns:list"))
    CampaignFactory.create_batch(29, owner_union=tree["city"])
    with CaptureQueriesContext(connection) as thirty:
        response = client.get(reverse("campaigns:list"))
    assert len(response.context["page"]) == 30
    assert len(one) == len(thirty)


# --- detail ---------------------------------------------------------------------------------


def test_detail_shows_window_budget_categories_and_rule(client_for, people, campaign):
    campaign.budget = Decimal("1234567.8")
    campaign.require_recommendation, campaign.recommendation_quota = True, 3
    campaign.save()
    html = client_for(people["juror"]).get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()
    assert "¥1,234,567.80" in html
    assert campaign.filing_opens.isoformat() in html and campaign.filing_deadline.isoformat() in html
    for category in django_settings.DEFAULT_CATEGORIES:
        assert category in html
    assert "每区县最多推荐 3 个" in html


def test_detail_counts_only_the_projects_the_user_sees(client_for, tree, people, campaign):
    ProjectFactory(campaign=campaign, applicant_union=tree["county_a"], status=ProjectStatus.SUBMITTED)
    ProjectFactory(campaign=campaign, applicant_union=tree["county_a"], status=ProjectStatus.DRAFT)
    ProjectFactory(campaign=campaign, applicant_union=tree["county_b"], status=ProjectStatus.SUBMITTED)

    staff = client_for(people["staff_a"]).get(reverse("campaigns:detail", args=[campaign.pk]))
    admin = client_for(people["admin"]).get(reverse("campaigns:detail", args=[campaign.pk]))

    assert {s: n for s, _label, n in staff.context["rows"]} == {"draft": 1, "submitted": 1}
    assert {s: n for s, _label, n in admin.context["rows"]} == {"submitted": 2}


def test_staff_gets_the_file_button_while_filing_is_open(client_for, people, campaign):
    html = client_for(people["staff_a"]).get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()
    assert f'href="/projects/new/?campaign={campaign.pk}"' in html


@pytest.mark.parametrize("role", ["admin", "juror", "county_admin_a"])
def test_others_get_no_file_button(client_for, people, campaign, role):
    html = client_for(people[role]).get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()
    assert "/projects/new/" not in html


def test_no_file_button_after_the_deadline(client_for, people, campaign):
    campaign.filing_opens = timezone.localdate() - datetime.timedelta(days=10)
    campaign.filing_deadline = timezone.localdate() - datetime.timedelta(days=1)
    campaign.save()
    html = client_for(people["staff_a"]).get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()
    assert "/projects/new/" not in html
    assert "申报已截止" in html


# --- create and edit ------------------------------------------------------------------------


def test_create_form_offers_the_default_categories(client_for, people):
    html = client_for(people["admin"]).get(reverse("campaigns:create")).content.decode()
    assert "\n".join(django_settings.DEFAULT_CATEGORIES) in html


def test_admin_creates_a_campaign(client_for, tree, people):
    response = client_for(people["admin"]).post(reverse("campaigns:create"), _form(tree))
    campaign = Campaign.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("campaigns:detail", args=[campaign.pk])
    assert campaign.categories == ["思想政治引领", "劳动技能竞赛", "工会自身建设"]
    assert campaign.budget == Decimal("1000000.00")
    assert campaign.history.first().history_user == people["admin"]


def test_deadline_before_opening_shows_the_error(client_for, tree, people):
    today = timezone.localdate()
    response = client_for(people["admin"]).post(reverse("campaigns:create"), _form(
        tree, filing_opens=today.isoformat(), filing_deadline=(today - datetime.timedelta(days=1)).isoformat(),
    ))
    assert response.status_code == 200
    assert "申报截止日期不能早于开始日期" in response.content.decode()
    assert not Campaign.objects.exists()


def test_unreadable_date_and_negative_budget_are_form_errors(client_for, tree, people):
    response = client_for(people["admin"]).post(reverse("campaigns:create"), _form(
        tree, filing_opens="明天", budget="-5",
    ))
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"filing_opens", "budget"}
    assert not Campaign.objects.exists()


def test_recommendation_without_quota_is_a_form_error(client_for, tree, people):
    response = client_for(people["admin"]).post(reverse("campaigns:create"), _form(
        tree, require_recommendation="on",
    ))
    assert response.status_code == 200
    assert "请填写每区县推荐名额" in response.content.decode()


def test_owner_outside_the_admins_tree_is_refused(client_for, tree):
    admin_b = AdminFactory(union=tree["county_b"])
    response = client_for(admin_b).post(reverse("campaigns:create"), _form(tree))
    assert response.status_code == 200
    assert "owner_union" in response.context["form"].errors
    assert not Campaign.objects.exists()


def test_admin_edits_a_campaign(client_for, tree, people, campaign):
    client = client_for(people["admin"])
    html = client.get(reverse("campaigns:edit", args=[campaign.pk])).content.decode()
    assert campaign.title in html
    response = client.post(reverse("campaigns:edit", args=[campaign.pk]), _form(
        tree, title="改过的名称", categories="职工帮扶服务", require_recommendation="on", recommendation_quota="5",
    ))
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.title == "改过的名称"
    assert campaign.categories == ["职工帮扶服务"]
    assert campaign.recommendation_quota == 5


def test_script_in_a_campaign_title_is_shown_escaped(client_for, tree, people):
    CampaignFactory(owner_union=tree["city"], title="<script>alert(1)</script>")
    html = client_for(people["staff_a"]).get(reverse("campaigns:list")).content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_report_due_dates_are_set_on_the_campaign_form_and_shown(client_for, people, campaign):
    from projects.models import Campaign

    client = client_for(people["admin"])
    data = {
        "year": campaign.year, "title": campaign.title, "owner_union": campaign.owner_union_id,
        "filing_opens": campaign.filing_opens.isoformat(), "filing_deadline": campaign.filing_deadline.isoformat(),
        "budget": "1000000.00", "categories": "\n".join(campaign.categories),
        "progress_report_due": "2026-09-30", "closing_report_due": "2026-12-15",
    }
    response = client.post(f"/campaigns/{campaign.pk}/edit/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    campaign = Campaign.objects.get(pk=campaign.pk)
    assert campaign.progress_report_due.isoformat() == "2026-09-30"
    assert campaign.closing_report_due.isoformat() == "2026-12-15"
    page = client.get(f"/campaigns/{campaign.pk}/").content.decode()
    assert "2026-09-30" in page and "2026-12-15" in page
