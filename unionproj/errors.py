"""Errors every app shares. ``unionproj`` imports no app, so an app low in the dependency order
(``members``) can catch an error raised by one above it (``evaluations``) through this base."""

from django.utils.translation import gettext_lazy as _


class StateConflict(Exception):
    """The state of an object forbids the action: 409 in the API (``{"detail", "state"}``), a
    message in the UI. ``state`` is the current state, reported to API clients."""

    def __init__(self, message, *, state=""):
        super().__init__(str(message))
        self.message = message
        self.state = state


class WorkflowError(StateConflict):
    """The object's state (or the campaign's) forbids the action: 409 in the API, a message in
    the UI. ``state`` is the current state, reported to API clients."""


NOT_ALLOWED = _("您无权执行此操作。")
