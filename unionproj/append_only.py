"""The audit tables are append-only in the database itself, not only in the ORM.

A trigger on each table in :data:`TABLES` refuses every ``UPDATE`` and every ``DELETE``, whoever
sends it: a service with a bug, a raw query, the Django admin, a ``psql`` session of the app's
role. ``INSERT`` is untouched. Both vendors raise an error Django reports as
``django.db.IntegrityError`` (PostgreSQL: SQLSTATE 23001 ``restrict_violation``; SQLite:
``RAISE(ABORT)`` is a constraint failure).

One way out, for deleting whole demo data sets (``load_demo --reset``) and for emptying the
database (``manage.py flush``, the test runner between transactional tests): rows may be
*deleted* (never updated) inside :func:`purge_allowed`, which inserts a row into the plain
table ``audit_purge`` and removes it before its transaction ends. The triggers let a ``DELETE``
through while that table has a row the deleting transaction can see: on PostgreSQL an
uncommitted row is seen by its own transaction only, SQLite has a single writer at a time, so
the permission never leaks to another request. (PostgreSQL's ``flush`` is a ``TRUNCATE``, which
fires no row trigger; SQLite's is a ``DELETE`` per table, which :mod:`unionproj.sqlite3` wraps in
the same permission.)

The parents of audit rows (a project, a roadshow, a user who acted) are ``PROTECT``-ed, so the
ORM refuses to delete them with a clear ``ProtectedError`` before the database has to.

This guards against the application and its mistakes, not against the database owner, who
can drop a trigger; see docs/SECURITY.md.

The triggers are created by the migration ``evaluations.0005_append_only_audit`` and ensured
again after every ``migrate`` (:func:`ensure`): SQLite drops a table's triggers when a later
migration rebuilds the table.
"""

import uuid
from contextlib import contextmanager

from django.db import connections, transaction
from django.db.migrations.recorder import MigrationRecorder

# The audit tables: security events, project workflow, scoring/awards/payouts.
TABLES = ("members_auditlog", "projects_projectevent", "evaluations_evaluationevent")
PURGE_TABLE = "audit_purge"
FUNCTION = "unionproj_append_only"
MIGRATION = ("evaluations", "0005_append_only_audit")  # the migration that installs them

_PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND EXISTS (SELECT 1 FROM {PURGE_TABLE}) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION USING ERRCODE = 'restrict_violation',
        MESSAGE = TG_OP || ' on ' || TG_TABLE_NAME || ': the audit table is append-only';
END
$$;
"""


def _trigger(table, op):
    return f"{table}_append_only_{op.lower()}"


def _create_sql(vendor):
    if vendor == "postgresql":
        sql = [f"CREATE TABLE IF NOT EXISTS {PURGE_TABLE} (token varchar(36) PRIMARY KEY)", _PG_FUNCTION]
        for table in TABLES:
            sql.append(f"CREATE OR REPLACE TRIGGER {_trigger(table, 'ALL')} BEFORE UPDATE OR DELETE ON {table} "
                       f"FOR EACH ROW EXECUTE FUNCTION {FUNCTION}()")
        return sql
    if vendor == "sqlite":
        sql = [f"CREATE TABLE IF NOT EXISTS {PURGE_TABLE} (token varchar(36) PRIMARY KEY)"]
        for table in TABLES:
            sql.append(f"CREATE TRIGGER IF NOT EXISTS {_trigger(table, 'UPDATE')} BEFORE UPDATE ON {table} "
                       f"BEGIN SELECT RAISE(ABORT, 'UPDATE on {table}: the audit table is append-only'); END")
            sql.append(f"CREATE TRIGGER IF NOT EXISTS {_trigger(table, 'DELETE')} BEFORE DELETE ON {table} "
                       f"WHEN NOT EXISTS (SELECT 1 FROM {PURGE_TABLE}) "
                       f"BEGIN SELECT RAISE(ABORT, 'DELETE on {table}: the audit table is append-only'); END")
        return sql
    raise NotImplementedError(f"append-only audit triggers for {vendor}")


def _drop_sql(vendor):
    if vendor == "postgresql":
        sql = [f"DROP TRIGGER IF EXISTS {_trigger(table, 'ALL')} ON {table}" for table in TABLES]
        return [*sql, f"DROP FUNCTION IF EXISTS {FUNCTION}()", f"DROP TABLE IF EXISTS {PURGE_TABLE}"]
    sql = [f"DROP TRIGGER IF EXISTS {_trigger(table, op)}" for table in TABLES for op in ("UPDATE", "DELETE")]
    return [*sql, f"DROP TABLE IF EXISTS {PURGE_TABLE}"]


def _run(connection, statements):
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)  # no parameters: nothing in the SQL is a placeholder


def install(apps, schema_editor):
    """Migration step: the purge table, the triggers (idempotent)."""
    _run(schema_editor.connection, _create_sql(schema_editor.connection.vendor))


def uninstall(apps, schema_editor):
    _run(schema_editor.connection, _drop_sql(schema_editor.connection.vendor))


def installed(using="default"):
    """The names of the append-only triggers present in the database (for checks and tests)."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgname LIKE %s",
                           ["%_append_only_%"])
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s",
                           ["%_append_only_%"])
        return {row[0] for row in cursor.fetchall()}


def expected_triggers(vendor):
    ops = ("ALL",) if vendor == "postgresql" else ("UPDATE", "DELETE")
    return {_trigger(table, op) for table in TABLES for op in ops}


def ensure(sender=None, using="default", **kwargs):
    """``post_migrate``: create the triggers again where a migration dropped them (SQLite drops a
    table's triggers when it rebuilds the table). Does nothing before the tables exist."""
    connection = connections[using]
    if connection.vendor not in ("postgresql", "sqlite"):
        return
    tables = set(connection.introspection.table_names())
    if not set(TABLES) <= tables:
        return
    if MIGRATION not in MigrationRecorder(connection).applied_migrations():
        return  # not yet installed, or the migration was unapplied on purpose
    if installed(using) >= expected_triggers(connection.vendor) and PURGE_TABLE in tables:
        return
    _run(connection, _create_sql(connection.vendor))


@contextmanager
def purge_allowed(using="default"):
    """Inside this block (one transaction) rows of the audit tables may be deleted — for
    removing whole demo data sets only; never for correcting history. Updates stay refused."""
    token = uuid.uuid4().hex
    with transaction.atomic(using=using):
        with connections[using].cursor() as cursor:
            cursor.execute(f"INSERT INTO {PURGE_TABLE} (token) VALUES (%s)", [token])
        yield
        # Removed before the commit: the permission never outlives the block. (On an exception
        # the rollback removes it.)
        with connections[using].cursor() as cursor:
            cursor.execute(f"DELETE FROM {PURGE_TABLE} WHERE token = %s", [token])
