"""Parallel writes to one card on PostgreSQL: row locks and unique constraints leave one card,
one score per criterion and one submit event.

Runs only on PostgreSQL (SQLite serialises every write and has no row locks to test); the CI
pipeline has a PostgreSQL pass, which is where this test runs.
"""


import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from evaluations import services
from evaluations.models import EvaluationEvent, Score, Scorecard
from unionproj.errors import WorkflowError

from tests.factories import RoadshowFactory, full_scores

from .racing import run_in_threads

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql",
                                reason="row locks are tested on PostgreSQL (CI runs a PostgreSQL pass)")

PARALLEL = 8


@pytest.fixture
def started(transactional_db, people, campaign, entries_projects, jurors):
    roadshow = RoadshowFactory(actor=people["admin"], campaign=campaign, projects=entries_projects, jurors=jurors)
    return services.start_roadshow(actor=people["admin"], roadshow=roadshow)


def test_parallel_submits_and_saves_leave_one_card_one_score_per_criterion_one_submit(started, jurors):
    juror = jurors[0]
    card = Scorecard.objects.get(entry=started.entries.first(), juror=juror)
    scores = full_scores(started)
    calls = []
    for i in range(PARALLEL):
        calls.append(lambda: services.submit_card(actor=juror, card=card, scores=scores))
        calls.append(lambda i=i: services.save_draft(actor=juror, card=card, scores=full_scores(
            started, (str(10 + i), "20", "25", "15"))))
    outcomes = run_in_threads(calls)

    unexpected = [o for o in outcomes if isinstance(o, Exception) and not isinstance(o, WorkflowError)]
    assert unexpected == []
    submits = [o for o in outcomes[0::2] if isinstance(o, Scorecard)]
    assert len(submits) == 1
    assert Scorecard.objects.filter(entry=card.entry, juror=juror).count() == 1
    card.refresh_from_db()
    assert card.status == "submitted"
    assert Score.objects.filter(card=card).count() == len(scores)
    assert EvaluationEvent.objects.filter(object_type="scorecard", object_id=card.pk, action="submit").count() == 1
    # The submitted values are the ones the winning submit saw: the submit event holds them.
    event = EvaluationEvent.objects.get(object_type="scorecard", object_id=card.pk, action="submit")
    assert event.data["scores"] == {str(s.criterion_id): str(s.value) for s in card.scores.all()}


def test_parallel_identical_submits_of_a_complete_draft(started, jurors):
    juror = jurors[1]
    card = Scorecard.objects.get(entry=started.entries.first(), juror=juror)
    services.save_draft(actor=juror, card=card, scores=full_scores(started))
    outcomes = run_in_threads([lambda: services.submit_card(actor=juror, card=card)] * PARALLEL)
    assert sum(isinstance(o, Scorecard) for o in outcomes) == 1
    assert sum(isinstance(o, WorkflowError) for o in outcomes) == PARALLEL - 1
    assert Score.objects.filter(card=card).count() == 4
    assert EvaluationEvent.objects.filter(object_id=card.pk, object_type="scorecard", action="submit").count() == 1


def test_parallel_starts_create_the_cards_once(transactional_db, people, campaign, entries_projects, jurors):
    roadshow = RoadshowFactory(actor=people["admin"], campaign=campaign, projects=entries_projects, jurors=jurors)
    outcomes = run_in_threads([lambda: services.start_roadshow(actor=people["admin"], roadshow=roadshow)] * 4)
    assert sum(not isinstance(o, Exception) for o in outcomes) == 1
    assert all(isinstance(o, WorkflowError) for o in outcomes if isinstance(o, Exception))
    assert Scorecard.objects.filter(entry__roadshow=roadshow).count() == 2 * 3


def test_submit_racing_close_is_either_counted_or_refused(started, people, jurors):
    cards = list(Scorecard.objects.filter(entry__roadshow=started))
    calls = [lambda c=c: services.submit_card(actor=c.juror, card=c, scores=full_scores(started)) for c in cards]
    # With a reason, so that a close that wins the race before enough cards are in is not
    # refused for quorum: what is tested here is the count.
    calls.append(lambda: services.close_roadshow(actor=people["admin"], roadshow=started,
                                                 override_reason="并发测试：结束时未达法定数"))
    outcomes = run_in_threads(calls)
    assert not [o for o in outcomes if isinstance(o, (ValidationError, AssertionError))]
    closed = outcomes[-1]
    submitted = Scorecard.objects.filter(entry__roadshow=started, status="submitted").count()
    close_event = EvaluationEvent.objects.get(roadshow=started, action="close")
    # No card was submitted after the roadshow closed: the close event counted them all.
    assert close_event.data["submitted"] == submitted
    assert closed.status == "closed"


# --- the draft's commit (issue 7) ------------------------------------------------------------


def _commit_modes(call):
    """``synchronous_commit`` as each statement of ``call`` left it: read right after the
    statement, in its transaction, on the connection itself (past Django's execute wrappers)."""
    seen = []

    def spy(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        seen.append((sql, connection.connection.execute("SHOW synchronous_commit").fetchone()[0]))
        return result

    with connection.execute_wrapper(spy):
        call()
    return seen


def _mode_at_event(modes):
    """The mode in force when the card's audit row was written (the commit that follows uses it)."""
    return [mode for sql, mode in modes if "evaluations_evaluationevent" in sql][-1]


def test_a_draft_alone_commits_without_waiting_for_the_flush_a_submission_waits(started, jurors, settings):
    card, scores = Scorecard.objects.filter(juror=jurors[0]).first(), full_scores(started)
    draft = _commit_modes(lambda: services.save_draft(actor=jurors[0], card=card, scores=scores))
    assert _mode_at_event(draft) == "off"
    assert Score.objects.filter(card=card).count() == 4  # committed all the same
    assert connection.connection.execute("SHOW synchronous_commit").fetchone()[0] == "on"  # for this transaction only
    submit = _commit_modes(lambda: services.submit_card(actor=jurors[0], card=card))
    assert {mode for _sql, mode in submit} == {"on"}
    assert Scorecard.objects.get(pk=card.pk).status == "submitted"

    settings.SCORING_DRAFT_ASYNC_COMMIT = False
    other = Scorecard.objects.filter(juror=jurors[1]).first()
    modes = _commit_modes(lambda: services.save_draft(actor=jurors[1], card=other, scores=scores))
    assert _mode_at_event(modes) == "on"


def test_a_draft_inside_a_callers_transaction_leaves_its_commit_alone(started, jurors):
    from django.db import transaction

    card, scores = Scorecard.objects.filter(juror=jurors[0]).first(), full_scores(started)
    with transaction.atomic():
        modes = _commit_modes(lambda: services.save_draft(actor=jurors[0], card=card, scores=scores))
    assert {mode for _sql, mode in modes} == {"on"}
