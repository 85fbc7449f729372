"""The statements of a juror's autosave (:func:`evaluations.services.scoring.save_draft` and
``submit_card``), which every phone of the hall sends every two seconds.

They are fixed statements, run through :func:`unionproj.prepared.cursor` (prepared once per
connection on PostgreSQL): an autosave reads what it needs in two statements — the card row,
locked (:func:`lock_card`); then, once the lock is granted, its entry, roadshow, project title
and the rubric's criteria, each with this card's stored score
(:func:`read_entry_and_criteria`) — and writes in one (:func:`write_draft`, PostgreSQL) or
three (:func:`upsert_scores`, :func:`stamp_card`, then the audit row; SQLite ≥ 3.24 has the
same upsert). The ORM form they replace is the ``select_for_update`` / ``save`` /
``EvaluationEvent.objects.create`` sequence; tests/evaluations/test_scoring.py checks what
they leave behind through the ORM, tests/evaluations/test_prepared_pg.py that they run
prepared.
"""

import functools

from django.db import connection
from psycopg import sql

from projects.models import Project

from ..models import Criterion, Entry, Roadshow, Score, Scorecard
from .events import insert_event

# The card columns :func:`lock_card` reads, in its row's order; the others stay deferred.
CARD_FIELDS = ("id", "entry_id", "juror_id", "status", "comment", "submitted_at")
# A draft's transaction on PostgreSQL sets its commit mode in the lock statement (no round trip
# of its own; see evaluations.services.scoring._draft_commit).
_ASYNC_COMMIT = ", set_config('synchronous_commit', 'off', true)"


def _table(model):
    return sql.Identifier(model._meta.db_table)


def _lock_clause():
    # The row lock of evaluations.services.common.ROW_LOCK: FOR NO KEY UPDATE of the card
    # only. SQLite has no row locks (one writer at a time).
    if connection.features.has_select_for_no_key_update:
        return " FOR NO KEY UPDATE"
    return " FOR UPDATE" if connection.features.has_select_for_update else ""


def lock_card(*, async_commit=False):
    """Read and lock one card (parameter: its id): :data:`CARD_FIELDS`. ``async_commit``: also
    ``SET LOCAL synchronous_commit TO OFF`` for the transaction (PostgreSQL only)."""
    return _lock_card(async_commit, _lock_clause())


@functools.cache
def _lock_card(async_commit, lock):
    return sql.SQL("SELECT {fields}{extra} FROM {card} WHERE id = %s{lock}").format(
        fields=sql.SQL(", ").join(map(sql.Identifier, CARD_FIELDS)),
        extra=sql.SQL(_ASYNC_COMMIT if async_commit else ""),
        card=_table(Scorecard),
        lock=sql.SQL(lock),
    ).as_string()


@functools.cache
def read_entry_and_criteria():
    """Read a card's entry with its roadshow, project and the rubric's criteria, each with the
    card's stored score (parameters: card id, entry id). One row per criterion, in the rubric's
    order (one row of ``NULL`` criterion columns for a rubric without criteria)::

        roadshow_id, project_id, entry order, entry state, roadshow status, live, rubric_id,
        project title, criterion id, name, max_points, order, score id, score value
    """
    return sql.SQL(
        'SELECT e.roadshow_id, e.project_id, e."order", e.state, r.status, r.live, r.rubric_id, p.title, '
        'c.id, c.name, c.max_points, c."order", s.id, s.value '
        "FROM {entry} e "
        "JOIN {roadshow} r ON r.id = e.roadshow_id "
        "JOIN {project} p ON p.id = e.project_id "
        "LEFT JOIN {criterion} c ON c.rubric_id = r.rubric_id "
        "LEFT JOIN {score} s ON s.criterion_id = c.id AND s.card_id = %s "
        'WHERE e.id = %s ORDER BY c."order", c.id'
    ).format(entry=_table(Entry), roadshow=_table(Roadshow), project=_table(Project), criterion=_table(Criterion),
             score=_table(Score)).as_string()


@functools.cache
def upsert_scores(count):
    """Insert or update ``count`` scores of one card (parameters: card id, criterion id, value
    per score). The card's lock serialises writers; the unique (card, criterion) constraint is
    the conflict target."""
    return sql.SQL(
        "INSERT INTO {score} (card_id, criterion_id, value) VALUES {rows} "
        "ON CONFLICT (card_id, criterion_id) DO UPDATE SET value = excluded.value"
    ).format(score=_table(Score), rows=sql.SQL(", ").join([sql.SQL("(%s, %s, %s)")] * count)).as_string()


@functools.cache
def stamp_card():
    """Write a card's comment and ``updated_at`` (parameters: comment, updated_at, card id):
    what ``save(update_fields=["comment", "updated_at"])`` would write."""
    return sql.SQL("UPDATE {card} SET comment = %s, updated_at = %s WHERE id = %s").format(
        card=_table(Scorecard)).as_string()


@functools.cache
def write_draft(score_count):
    """PostgreSQL only: :func:`upsert_scores` (left out when ``score_count`` is 0),
    :func:`stamp_card` and the audit row (:func:`evaluations.sql.events.insert_event`) as one
    statement — data-modifying ``WITH`` clauses run exactly once, to completion, in the
    statement's snapshot — so an autosave makes one round trip for them instead of three.
    Parameters: those of the three, in that order."""
    clauses = [sql.SQL("card AS ({})").format(sql.SQL(stamp_card()))]
    if score_count:
        clauses.insert(0, sql.SQL("scores AS ({})").format(sql.SQL(upsert_scores(score_count))))
    return sql.SQL("WITH {clauses} {event}").format(clauses=sql.SQL(", ").join(clauses),
                                                    event=sql.SQL(insert_event())).as_string()
