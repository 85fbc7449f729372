"""The autosave's fixed statements are prepared on PostgreSQL (unionproj/prepared.py), and
logged with their values like any other query; ``DB_PREPARED_STATEMENTS=0`` turns it off.

PostgreSQL only (SQLite has no prepared statements to look at); CI's PostgreSQL pass runs it.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from evaluations import services
from evaluations.models import Score, Scorecard

from tests.factories import RoadshowFactory, full_scores

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql",
                                reason="prepared statements are PostgreSQL's (CI runs a PostgreSQL pass)")


@pytest.fixture
def started(db, people, campaign, entries_projects, jurors):
    roadshow = RoadshowFactory(actor=people["admin"], campaign=campaign, projects=entries_projects, jurors=jurors)
    return services.start_roadshow(actor=people["admin"], roadshow=roadshow)


def _prepared():
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements WHERE NOT from_sql")
        return [row[0] for row in cursor.fetchall()]


def _save(started, juror, step):
    card = Scorecard.objects.filter(juror=juror, entry__roadshow=started).first()
    scores = {k: str(min(float(v), 1.0 + step)) for k, v in full_scores(started).items()}
    services.save_draft(actor=juror, card=card, scores=scores)
    return card


def test_an_autosave_runs_prepared_statements_logged_with_their_values(started, jurors):
    before = set(_prepared())  # starting the roadshow wrote its audit row through the same path
    with CaptureQueriesContext(connection) as queries:
        card = _save(started, jurors[0], 0)
    statements = set(_prepared()) - before
    # The visibility check is the view's; here: the lock, the read and the one write statement
    # (scores + stamp + audit row).
    assert any("FOR NO KEY UPDATE" in s and "$1" in s for s in statements)
    assert any(s.startswith('WITH scores AS (INSERT INTO "evaluations_score"') for s in statements)
    assert len(statements) == 3
    logged = [q["sql"] for q in queries.captured_queries]
    assert any(f"WHERE id = {card.pk} FOR NO KEY UPDATE" in sql for sql in logged)  # values, not $1
    assert not any("$1" in sql for sql in logged)
    assert Score.objects.filter(card=card).count() == len(full_scores(started))

    _save(started, jurors[0], 1)  # the same statements again: none new
    assert set(_prepared()) - before == statements


def test_off_prepares_nothing(started, jurors, settings):
    settings.DB_PREPARED_STATEMENTS = False
    before = set(_prepared())
    card = _save(started, jurors[0], 0)
    assert set(_prepared()) == before
    assert Score.objects.filter(card=card).count() == len(full_scores(started))
