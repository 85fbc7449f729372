"""Moved to ``unionproj.errors`` (shared by every app). This re-export stays only until
``evaluations`` imports them from there."""

from unionproj.errors import NOT_ALLOWED, WorkflowError  # noqa: F401
