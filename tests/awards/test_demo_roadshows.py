"""``manage.py load_demo_roadshows``: the 2019 roadshow finalised with payouts, the 2020 live
roadshow in progress; idempotent; ``--reset`` reloads the whole demo."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command

from evaluations.enums import CardStatus
from evaluations.models import Entry, Roadshow, Scorecard
from awards.models import Payout, Result
from projects.enums import ProjectStatus
from projects.models import Project

pytestmark = pytest.mark.django_db


def load(**options):
    # pytest-django runs with DEBUG=False, which the commands treat as production.
    call_command("load_demo", force=True, stdout=StringIO())
    call_command("load_demo_roadshows", force=True, stdout=StringIO(), **options)


def test_the_demo_roadshows_are_scored_computed_finalised_and_live():
    load()
    done = Roadshow.objects.get(campaign__year=2019)
    live = Roadshow.objects.get(campaign__year=2020)
    assert (done.status, live.status, live.live) == ("finalized", "scoring", True)
    assert done.entries.count() == 16 and Result.objects.filter(roadshow=done).count() == 16
    payouts = Payout.objects.filter(roadshow=done)
    assert payouts.filter(status="approved").count() == 3
    assert payouts.count() == Project.objects.filter(campaign__year=2019, status=ProjectStatus.AWARDED).count() > 0
    assert sum(p.amount for p in payouts) <= done.campaign.budget
    first, second = live.entries.order_by("order")[:2]
    assert (first.state, second.state) == ("closed", "open")
    assert not Scorecard.objects.filter(entry=first, status=CardStatus.DRAFT).exists()
    assert Scorecard.objects.filter(entry=second, status=CardStatus.SUBMITTED).exists()
    assert Scorecard.objects.filter(entry=second, status=CardStatus.DRAFT).exists()


def test_loading_twice_changes_nothing_and_reset_reloads():
    load()
    before = (Roadshow.objects.count(), Entry.objects.count(), Scorecard.objects.count(), Payout.objects.count())
    load()
    assert (Roadshow.objects.count(), Entry.objects.count(), Scorecard.objects.count(),
            Payout.objects.count()) == before
    old = set(Roadshow.objects.values_list("pk", flat=True))
    call_command("load_demo_roadshows", reset=True, force=True, stdout=StringIO())
    assert (Roadshow.objects.count(), Payout.objects.count()) == (before[0], before[3])
    assert old.isdisjoint(Roadshow.objects.values_list("pk", flat=True))


def test_the_2019_roadshow_is_finalised_and_approved_in_2019_and_audited():
    from evaluations.models import EvaluationEvent

    load()
    done = Roadshow.objects.get(campaign__year=2019)
    assert done.finalized_at.year == 2019 and done.finalized_at.date() > done.date
    approved = Payout.objects.filter(roadshow=done, status="approved")
    assert {p.approved_at.year for p in approved} == {2019}
    event = EvaluationEvent.objects.get(roadshow=done, action="finalize")
    assert datetime.datetime.fromisoformat(event.data["finalized_at"]) == done.finalized_at
    assert EvaluationEvent.objects.filter(roadshow=done, action="approve_payout").count() == 3
