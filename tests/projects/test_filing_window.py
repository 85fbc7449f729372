"""Submission only inside the campaign's filing window; the days are Asia/Shanghai days."""

import datetime

import pytest
from django.utils import timezone

from projects import services
from projects.enums import ProjectStatus
from unionproj.errors import WorkflowError
from tests.factories import CampaignFactory, ProjectFactory

OPENS = datetime.date(2026, 4, 1)
DEADLINE = datetime.date(2026, 4, 30)


@pytest.fixture
def window_campaign(tree):
    return CampaignFactory(owner_union=tree["city"], filing_opens=OPENS, filing_deadline=DEADLINE)


@pytest.fixture
def draft(window_campaign, people):
    return ProjectFactory(campaign=window_campaign, applicant_union=people["staff_a"].union)


@pytest.mark.parametrize("today", [OPENS - datetime.timedelta(days=1), DEADLINE + datetime.timedelta(days=1),
                                   datetime.date(2025, 4, 15)])
def test_submit_outside_the_window_is_refused_with_the_dates(today, draft, people):
    with pytest.raises(WorkflowError) as err:
        services.submit_project(actor=people["staff_a"], project=draft, today=today)
    assert "2026-04-01" in str(err.value)
    assert "2026-04-30" in str(err.value)
    assert err.value.state == ProjectStatus.DRAFT
    draft.refresh_from_db()
    assert draft.status == ProjectStatus.DRAFT
    assert draft.submitted_at is None
    assert not draft.events.exists()


@pytest.mark.parametrize("today", [OPENS, DEADLINE, datetime.date(2026, 4, 15)])
def test_submit_inside_the_window_is_accepted_including_the_first_and_last_day(today, draft, people):
    project = services.submit_project(actor=people["staff_a"], project=draft, today=today)
    assert project.status == ProjectStatus.SUBMITTED


def test_a_returned_project_is_resubmitted_only_inside_the_window(window_campaign, people):
    project = ProjectFactory(campaign=window_campaign, applicant_union=people["staff_a"].union,
                             status=ProjectStatus.RETURNED)
    with pytest.raises(WorkflowError):
        services.submit_project(actor=people["staff_a"], project=project, today=datetime.date(2026, 5, 1))
    services.submit_project(actor=people["staff_a"], project=project, today=datetime.date(2026, 4, 30))
    project.refresh_from_db()
    assert project.status == ProjectStatus.SUBMITTED


def _utc(*args):
    return datetime.datetime(*args, tzinfo=datetime.UTC)


@pytest.mark.parametrize("utc_now,accepted", [
    (_utc(2026, 3, 31, 15, 59), False),  # 23:59 on 31 March in 上海
    (_utc(2026, 3, 31, 16, 0), True),    # 00:00 on 1 April in 上海, still 31 March in UTC
    (_utc(2026, 4, 30, 15, 59), True),   # 23:59 on the last day in 上海
    (_utc(2026, 4, 30, 16, 0), False),   # 00:00 on 1 May in 上海, still 30 April in UTC
])
def test_without_today_the_window_is_read_in_shanghai_time(utc_now, accepted, draft, people, monkeypatch, settings):
    assert settings.TIME_ZONE == "Asia/Shanghai"
    # Stop Django's clock (not our code) at a moment when the UTC and 上海 dates differ.
    monkeypatch.setattr(timezone, "now", lambda: utc_now)
    if accepted:
        services.submit_project(actor=people["staff_a"], project=draft)
        draft.refresh_from_db()
        assert draft.status == ProjectStatus.SUBMITTED
        assert draft.submitted_at == utc_now
    else:
        with pytest.raises(WorkflowError):
            services.submit_project(actor=people["staff_a"], project=draft)
