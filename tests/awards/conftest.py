"""Fixtures of the awards tests: closed roadshows whose cards carry chosen totals, built
through the services (the scoring services submit every card)."""

import datetime
from decimal import Decimal

import pytest

from evaluations import services
from awards import services as award_services
from evaluations.models import Scorecard
from projects.enums import ProjectStatus
from tests.factories import JurorFactory, ProjectFactory
from unionproj.celery import app



@pytest.fixture(autouse=True)
def eager_celery(request):
    """The awards tests run the jobs in process (as the embedded default does) even where
    ``CELERY_BROKER_URL`` is set, as in CI; the real-worker tests opt out (``real_worker``)."""
    if "real_worker" in request.fixturenames:
        yield
        return
    saved = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = saved


MAXIMA = (Decimal(25), Decimal(25), Decimal(30), Decimal(20))  # the default rubric


def split(total):
    """Per-criterion values (one decimal) of the default rubric adding up to ``total``."""
    left, values = Decimal(str(total)), []
    for maximum in MAXIMA:
        value = min(maximum, left)
        values.append(value)
        left -= value
    assert left == 0, f"{total} is above 100"
    return values


def card_scores(roadshow, total):
    return {c.pk: str(v) for c, v in zip(roadshow.rubric.criteria.all(), split(total), strict=True)}


def make_closed_roadshow(admin, campaign, union, totals, *, title="路演展评", submit=True, close_reason=None,
                         **kwargs):
    """A closed roadshow with one entry per item of ``totals``; item ``i`` lists the card
    totals of jurors 0, 1, … for entry ``i`` (a shorter list leaves the other jurors' cards as
    drafts, which do not count). Entries below quorum need ``close_reason`` (the override)."""
    n_jurors = max(len(t) for t in totals)
    jurors = [JurorFactory() for _ in range(n_jurors)]
    roadshow = services.create_roadshow(actor=admin, campaign=campaign, title=title, date=datetime.date(2026, 6, 1),
                                        **kwargs)
    entries = []
    for i, _t in enumerate(totals):
        project = ProjectFactory(campaign=campaign, applicant_union=union, status=ProjectStatus.SHORTLISTED,
                                 title=f"{title}项目{i + 1}")
        entries.append(services.add_entry(actor=admin, roadshow=roadshow, project=project))
    for juror in jurors:
        services.add_juror(actor=admin, roadshow=roadshow, user=juror)
    services.start_roadshow(actor=admin, roadshow=roadshow)
    if submit:
        for entry, entry_totals in zip(entries, totals, strict=True):
            for juror, total in zip(jurors, entry_totals, strict=False):
                card = Scorecard.objects.get(entry=entry, juror=juror)
                services.submit_card(actor=juror, card=card, scores=card_scores(roadshow, total))
    services.close_roadshow(actor=admin, roadshow=roadshow, override_reason=close_reason)
    roadshow.refresh_from_db()
    roadshow.test_entries = entries
    roadshow.test_jurors = jurors
    return roadshow


@pytest.fixture
def admin(people):
    return people["admin"]


@pytest.fixture
def closed_roadshow(admin, campaign, tree):
    """Four entries, three jurors each: trimmed means 90, 80, 80, 60."""
    return make_closed_roadshow(admin, campaign, tree["county_a"],
                                [["95", "90", "85"], ["80", "80", "80"], ["70", "80", "90"], ["50", "60", "70"]])


@pytest.fixture
def computed(admin, closed_roadshow, django_capture_on_commit_callbacks):
    """The closed roadshow with tiers 一等 1 × 10,000, 二等 2 × 5,000 and its results computed."""
    award_services.save_tiers(actor=admin, roadshow=closed_roadshow, tiers=[
        {"name": "一等", "quota_count": 1, "amount": "10000"},
        {"name": "二等", "quota_count": 2, "amount": "5000"},
    ])
    with django_capture_on_commit_callbacks(execute=True):
        job = award_services.request_compute(actor=admin, roadshow=closed_roadshow)
    job.refresh_from_db()
    assert job.state == "succeeded", job.error
    closed_roadshow.refresh_from_db()
    return closed_roadshow
