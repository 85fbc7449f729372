"""Every hand-written SQL statement of the evaluations app, in one place.

The convention (docs/STYLE.md, item 13):

- each statement lives in a module of this package named for the job it serves
  (:mod:`.autosave`, :mod:`.events`, :mod:`.visibility`, :mod:`.aggregation`), behind a
  function named for what the statement does (``lock_card``, ``insert_event``,
  ``card_to_score`` …), which returns the statement (or, where a job is several statements
  with Python between them, runs them on the cursor it is given);
- identifiers (tables from the models' ``_meta``, generated column names) and fragments are
  composed with :mod:`psycopg.sql` (``sql.Identifier``, ``sql.SQL(...).format``), never with
  string formatting; constants of the code itself (a rounding precision, the "no group" key)
  are ``sql.Literal``;
- values are always bound as parameters (``%s`` / ``%(name)s``), never written into the text;
- each statement has a parity test against the ORM or Python form it replaces (see the
  docstring of each module), and the reason it exists — speed — is measured in
  docs/PERFORMANCE.md.

The statements are rendered to plain text once (``as_string()`` needs no connection), so they
run on SQLite and PostgreSQL alike, through Django's cursor or, on the autosave's hot path,
through :func:`unionproj.prepared.cursor` (prepared once per connection on PostgreSQL).
Callers execute them; this package holds no domain rule beyond what a statement states.
"""
