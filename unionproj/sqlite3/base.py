from django.db.backends.sqlite3 import base

from unionproj.append_only import PURGE_TABLE


class DatabaseOperations(base.DatabaseOperations):
    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        sql = super().sql_flush(style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        if not sql or PURGE_TABLE not in self.connection.introspection.table_names():
            return sql
        # execute_sql_flush runs the list in one transaction: the permission ends with it.
        return [f"INSERT INTO {PURGE_TABLE} (token) VALUES ('flush');", *sql, f"DELETE FROM {PURGE_TABLE};"]


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
