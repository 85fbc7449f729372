"""The audit tables are append-only in the database (unionproj/append_only.py): a trigger refuses
UPDATE and DELETE whoever sends them — raw SQL or the ORM — on SQLite and on PostgreSQL; INSERT
works; a demo purge may delete (never update); parents with a history cannot be deleted."""

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, models, transaction
from django.db.models import ProtectedError

from evaluations.models import EvaluationEvent
from members import audit
from members.models import AuditKind, AuditLog
from projects.models import ProjectEvent
from tests.factories import ProjectFactory
from unionproj import append_only


@pytest.fixture
def insert(people, campaign):
    """``insert(model)`` writes one row into that audit table (an INSERT)."""
    admin = people["admin"]
    project = ProjectFactory(campaign=campaign, applicant_union=people["staff_a"].union)

    def make(model):
        if model is AuditLog:
            return audit.record(AuditKind.LOGIN, user=admin)
        if model is ProjectEvent:
            return ProjectEvent.objects.create(project=project, actor=admin, action="submit",
                                               from_status="draft", to_status="submitted")
        return EvaluationEvent.objects.create(actor=admin, object_type="rubric", object_id=1, action="create")

    return make


@pytest.fixture
def rows(insert):
    """One row in each audit table."""
    return {model: insert(model) for model in MODELS}


MODELS = [AuditLog, ProjectEvent, EvaluationEvent]
IDS = ["auditlog", "projectevent", "evaluationevent"]


def refused(run):
    """``run()`` fails with the trigger's error; the surrounding transaction stays usable."""
    with pytest.raises(IntegrityError, match="append-only"):
        with transaction.atomic():
            run()


def raw(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_every_audit_table_has_its_triggers(db):
    assert append_only.installed() >= append_only.expected_triggers(connection.vendor)
    assert {model._meta.db_table for model in MODELS} == set(append_only.TABLES)


@pytest.mark.parametrize("model", MODELS, ids=IDS)
def test_insert_works_and_the_row_is_there(rows, model):
    assert model.objects.filter(pk=rows[model].pk).exists()


@pytest.mark.parametrize("model", MODELS, ids=IDS)
def test_raw_sql_update_and_delete_are_refused(rows, model):
    table, pk = model._meta.db_table, rows[model].pk
    column = "reason" if model is not EvaluationEvent else "to_state"
    refused(lambda: raw(f"UPDATE {table} SET {column} = %s WHERE id = %s", ["rewritten", pk]))
    refused(lambda: raw(f"DELETE FROM {table} WHERE id = %s", [pk]))
    refused(lambda: raw(f"DELETE FROM {table}", []))
    assert model.objects.filter(pk=pk).exists()


@pytest.mark.parametrize("model", MODELS, ids=IDS)
def test_orm_update_save_and_delete_are_refused_by_the_database(rows, model):
    row = rows[model]
    # A plain queryset: AuditLog's own manager refuses before the database is asked.
    plain = models.QuerySet(model=model).filter(pk=row.pk)
    refused(lambda: plain.update(at=row.at))
    refused(lambda: plain.delete())
    if model is not AuditLog:  # AuditLog.save/delete refuse in Python (tests/security/test_audit.py)
        refused(lambda: model.objects.filter(pk=row.pk).update(reason="rewritten"))
        refused(lambda: model.objects.get(pk=row.pk).save())
        refused(lambda: model.objects.get(pk=row.pk).delete())
    assert model.objects.filter(pk=row.pk).exists()


@pytest.mark.parametrize("model", MODELS, ids=IDS)
def test_a_purge_may_delete_but_never_update_and_ends_with_its_block(rows, insert, model):
    pk = rows[model].pk
    plain = models.QuerySet(model=model).filter(pk=pk)
    with pytest.raises(IntegrityError, match="append-only"):
        with append_only.purge_allowed():
            plain.update(at=rows[model].at)
    with append_only.purge_allowed():
        plain.delete()
    assert not model.objects.filter(pk=pk).exists()
    later = insert(model)
    refused(lambda: models.QuerySet(model=model).delete())  # the permission is gone
    assert model.objects.filter(pk=later.pk).exists()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {append_only.PURGE_TABLE}")
        assert cursor.fetchone() == (0,)


def test_a_project_roadshow_or_user_with_a_history_cannot_be_deleted(rows, people):
    project = rows[ProjectEvent].project
    with pytest.raises(ProtectedError):
        project.delete()
    with pytest.raises(ProtectedError):
        people["admin"].delete()  # users who acted are deactivated, not deleted
    assert ProjectEvent.objects.filter(pk=rows[ProjectEvent].pk).exists()


def test_triggers_dropped_by_a_table_rebuild_are_created_again_after_migrate(db):
    """SQLite loses a table's triggers when a migration rebuilds the table; post_migrate puts
    them back (PostgreSQL keeps them, the same check holds)."""
    name = sorted(append_only.expected_triggers(connection.vendor))[0]
    on = f" ON {name.split('_append_only_')[0]}" if connection.vendor == "postgresql" else ""
    raw(f"DROP TRIGGER {name}{on}", None)
    assert name not in append_only.installed()
    append_only.ensure(using="default")
    assert append_only.installed() >= append_only.expected_triggers(connection.vendor)


@pytest.mark.django_db(transaction=True)
def test_flush_empties_the_audit_tables(people, campaign):
    """``manage.py flush`` (and the test runner between transactional tests) may empty them:
    TRUNCATE on PostgreSQL, DELETE inside a purge on SQLite (unionproj/sqlite3)."""
    audit.record(AuditKind.LOGIN, user=people["admin"])
    EvaluationEvent.objects.create(actor=people["admin"], object_type="rubric", object_id=1, action="create")
    call_command("flush", interactive=False, verbosity=0)
    assert not AuditLog.objects.exists() and not EvaluationEvent.objects.exists()
    audit.record(AuditKind.LOGIN, username="after-flush")
    refused(lambda: raw(f"DELETE FROM {AuditLog._meta.db_table}", []))  # allowed for the flush only
