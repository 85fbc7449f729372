"""Many identical submits of one card through the API at the same moment (issue 3,
"Concurrency"): 8 threads, each its own API client signed in with the juror's token, released
together by a barrier. Exactly one submit succeeds, the rest are 409; the database holds one
card, one score per criterion and one submit event.

PostgreSQL only (SQLite serialises every write and has no row locks to test); the CI pipeline
has a PostgreSQL pass. Locally: ``DATABASE_URL=postgres://… pytest tests/faults/test_parallel_submit_api_pg.py``.
"""

import threading

import pytest
from django.db import connection
from rest_framework.test import APIClient

from evaluations import services
from evaluations.enums import CardStatus, EventAction
from evaluations.models import EvaluationEvent, Score, Scorecard
from members.credentials import issue_token
from tests.factories import RoadshowFactory, scores_body


pytestmark = pytest.mark.skipif(connection.vendor != "postgresql",
                                reason="parallel requests are tested on PostgreSQL (CI runs a PostgreSQL pass)")

PARALLEL = 8


def send_together(token, requests):
    """Send each ``(method, url, body)`` from its own thread and API client, all released at
    once by a barrier; return the status codes (an exception, if a request raised one)."""
    barrier = threading.Barrier(len(requests))
    outcomes = [None] * len(requests)

    def worker(i, method, url, body):
        try:
            client = APIClient()
            client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
            barrier.wait(timeout=30)
            outcomes[i] = getattr(client, method)(url, body, format="json").status_code
        except Exception as exc:  # noqa: BLE001 - the outcome is what the test inspects
            outcomes[i] = exc
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=worker, args=(i, *r)) for i, r in enumerate(requests)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return outcomes


@pytest.fixture
def started(transactional_db, people, campaign, entries_projects, jurors):
    roadshow = RoadshowFactory(actor=people["admin"], campaign=campaign, projects=entries_projects, jurors=jurors)
    return services.start_roadshow(actor=people["admin"], roadshow=roadshow)


@pytest.fixture
def card(started, jurors):
    return Scorecard.objects.get(entry=started.entries.order_by("order").first(), juror=jurors[0])


@pytest.fixture
def token(jurors):
    return issue_token(user=jurors[0])


def assert_one_card_one_set_of_scores_one_submit(card, roadshow):
    assert Scorecard.objects.filter(entry=card.entry, juror=card.juror).count() == 1
    card.refresh_from_db()
    assert card.status == CardStatus.SUBMITTED
    criteria = list(roadshow.rubric.criteria.values_list("pk", flat=True))
    scores = Score.objects.filter(card=card)
    assert scores.count() == len(criteria)
    assert sorted(scores.values_list("criterion_id", flat=True)) == sorted(criteria)
    assert EvaluationEvent.objects.filter(object_type="scorecard", object_id=card.pk, action=EventAction.SUBMIT).count() == 1


def test_identical_parallel_submits_leave_one_card_one_set_of_scores_one_submit(started, card, token):
    body = {"scores": scores_body(started)}
    url = f"/api/v1/scorecards/{card.pk}/submit/"

    outcomes = send_together(token, [("post", url, body)] * PARALLEL)

    assert all(isinstance(o, int) for o in outcomes), outcomes
    assert outcomes.count(200) == 1, outcomes
    assert sorted(outcomes) == [200] + [409] * (PARALLEL - 1), outcomes
    assert_one_card_one_set_of_scores_one_submit(card, started)


def test_parallel_saves_and_submits_mixed_leave_one_submitted_card(started, card, token):
    body = {"scores": scores_body(started)}
    requests = [("put", f"/api/v1/scorecards/{card.pk}/", body) if i % 2 else
                ("post", f"/api/v1/scorecards/{card.pk}/submit/", body) for i in range(PARALLEL)]

    outcomes = send_together(token, requests)

    assert all(isinstance(o, int) for o in outcomes), outcomes
    submits = [o for (method, _url, _body), o in zip(requests, outcomes, strict=True) if method == "post"]
    saves = [o for (method, _url, _body), o in zip(requests, outcomes, strict=True) if method == "put"]
    assert submits.count(200) == 1 and set(submits) <= {200, 409}, outcomes
    assert set(saves) <= {200, 409}, outcomes  # a save after the submit is refused, never a 500
    assert_one_card_one_set_of_scores_one_submit(card, started)
