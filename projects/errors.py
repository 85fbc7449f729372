from django.utils.translation import gettext_lazy as _


class WorkflowError(Exception):
    """The object's state (or the campaign's) forbids the action: 409 in the API, a message in
    the UI. ``state`` is the current state, reported to API clients."""

    def __init__(self, message, *, state=""):
        super().__init__(str(message))
        self.message = message
        self.state = state


NOT_ALLOWED = _("您无权执行此操作。")
