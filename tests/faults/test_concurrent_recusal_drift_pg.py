"""Issue 13, item 2, under a race on PostgreSQL: an admin moves a juror into an applicant's union
while the juror saves and submits that applicant's card. Whoever takes the card's lock first
wins; the other is refused; no deadlock (the user row is locked FOR NO KEY UPDATE, so the
juror's events, which name the juror, still go in), and never a recused juror with a card.

Runs only on PostgreSQL (SQLite serialises every write and has no row locks to race)."""

import pytest
from django.db import connection

from evaluations import services
from evaluations.models import Recusal, Scorecard
from members.models import User
from members.services import save_user
from unionproj.errors import WorkflowError
from tests.factories import RoadshowFactory, full_scores

from .racing import run_in_threads

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql",
                                reason="row locks are tested on PostgreSQL (CI runs a PostgreSQL pass)")


@pytest.mark.parametrize("round_", range(3))
def test_a_move_racing_the_jurors_own_writes_leaves_a_consistent_state(transactional_db, people, tree, campaign,
                                                                      entries_projects, jurors, round_):
    admin, juror = people["admin"], jurors[0]
    roadshow = services.start_roadshow(actor=admin, roadshow=RoadshowFactory(actor=admin, campaign=campaign,
                                                                             projects=entries_projects, jurors=jurors))
    card = Scorecard.objects.get(entry__roadshow=roadshow, juror=juror, entry__project__title="职工书屋")

    def move():
        user = User.objects.get(pk=juror.pk)
        return save_user(actor=admin, user=user, username=user.username, name=user.name, union=tree["town_a1"],
                         roles=user.roles, juror_kind=user.juror_kind)

    calls = [lambda i=i: services.save_draft(actor=juror, card=card, scores=full_scores(
        roadshow, (str(10 + i), "20", "25", "15"))) for i in range(3)]
    calls.insert(round_, move)
    calls.append(lambda: services.submit_card(actor=juror, card=card, scores=full_scores(roadshow)))
    outcomes = run_in_threads(calls)

    unexpected = [o for o in outcomes if isinstance(o, Exception)
                  and not isinstance(o, WorkflowError | Scorecard.DoesNotExist)]
    assert unexpected == []
    moved = User.objects.get(pk=juror.pk).union_id == tree["town_a1"].pk
    recused = Recusal.objects.filter(seat__user=juror, entry=card.entry).exists()
    remaining = Scorecard.objects.filter(pk=card.pk).first()
    assert moved == recused
    if moved:
        assert remaining is None
    else:
        assert isinstance(outcomes[round_], WorkflowError)
        assert remaining.status == "submitted"
