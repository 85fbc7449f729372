from django.utils.translation import gettext_lazy as _

from unionproj.errors import StateConflict


class WorkflowError(StateConflict):
    """The object's state (or the campaign's) forbids the action: 409 in the API, a message in
    the UI. ``state`` is the current state, reported to API clients."""


NOT_ALLOWED = _("您无权执行此操作。")
