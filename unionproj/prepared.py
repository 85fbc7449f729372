"""Prepared statements for the few fixed SQL statements every juror's autosave runs.

Django's cursors bind parameters client-side (the values are written into the SQL text), so
PostgreSQL parses and plans every statement every time it runs, and Django leaves psycopg's
automatic preparation off (``prepare_threshold=None``): not all SQL the ORM generates can be
prepared (Django ticket #20516). For an autosave — seven short statements on one card, sent by
every phone of the hall every two seconds — parsing and planning were most of PostgreSQL's work
(measured with pgbench on the same statements: 2.7× the throughput prepared).

:func:`cursor` gives a Django cursor (queries logged and counted as any other, execute wrappers
applied) whose statements are bound server-side and prepared on the connection the first time
they run; PostgreSQL then plans each once per connection. Only fixed statements written for it
go through it, with ``%s`` placeholders and no ``%`` otherwise.

Off, and a plain Django cursor, on SQLite and when ``DB_PREPARED_STATEMENTS`` is false: a
PgBouncer older than 1.21 in transaction-pooling mode cannot keep prepared statements (1.21+
can, with ``max_prepared_statements``; see docs/DEPLOY.md).
"""

import functools
from contextlib import contextmanager

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections


@contextmanager
def cursor():
    """A cursor whose ``execute`` prepares its statement (PostgreSQL), else Django's own."""
    db = connections[DEFAULT_DB_ALIAS]  # once: each ``connection.x`` is a look-up of its own
    if db.vendor != "postgresql" or not settings.DB_PREPARED_STATEMENTS:
        with db.cursor() as plain:
            yield plain
        return
    db.ensure_connection()
    db.validate_thread_sharing()
    preparing, logged = _classes()
    raw = preparing(db.connection)
    with (logged(raw, db) if db.queries_logged else db.make_cursor(raw)) as wrapped:
        yield wrapped


@functools.cache
def _classes():
    # Imported on first use: the embedded (SQLite) mode never loads the PostgreSQL backend.
    from django.db.backends.postgresql.base import CursorDebugWrapper, ServerBindingCursor

    class PreparingCursor(ServerBindingCursor):
        """psycopg's server-side binding cursor (as Django configures it with
        ``server_side_binding``), preparing every statement it executes."""

        def execute(self, query, params=None, *, prepare=None, binary=None):
            return super().execute(query, params, prepare=True if prepare is None else prepare, binary=binary)

    class LoggedCursor(CursorDebugWrapper):
        """Django's debug wrapper (``connection.queries``, ``assertNumQueries``) logging the
        statement with its values, as for its own cursors: Django reads the SQL text of a
        client-side bound statement back from the cursor, which a prepared one does not have."""

        def execute(self, sql, params=None):
            with self.debug_sql(self.db.ops.compose_sql(sql, params)):
                return self._execute_with_wrappers(sql, params, many=False, executor=self._execute)

    return PreparingCursor, LoggedCursor
