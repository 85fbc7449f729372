"""Django's SQLite backend, whose ``flush`` may empty the append-only audit tables
(:mod:`unionproj.append_only`): PostgreSQL's flush is a ``TRUNCATE``, which fires no row
trigger; SQLite's is a ``DELETE`` per table, which the triggers would refuse."""
