"""Transition guards: a hook through which a later app (``evaluations``) may refuse a project's
status change without ``projects`` importing it (the dependency points the other way).

A guard is a callable ``guard(*, project, action, context)`` registered once, at the
registering app's ``AppConfig.ready``. :func:`check_transition` runs every guard inside the
workflow service's transaction, after the project row is locked and its permission and state
are checked; a guard refuses by raising ``WorkflowError`` (409 / a message). ``action`` is an
``Action`` or an ``AwardAction``. ``context`` is what the caller of a status change passed to
say on whose behalf it acts (``{"roadshow": <id>}`` when a roadshow awards, revokes or restores
its own entry); the workflow's own buttons pass ``None``.
"""

_GUARDS = {}


def register_transition_guard(guard, *, key=None):
    """Register ``guard`` (idempotent per ``key``, default the guard's qualified name, so that
    calling ``ready()`` twice does not run a guard twice)."""
    _GUARDS[key or f"{guard.__module__}.{guard.__qualname__}"] = guard


def check_transition(*, project, action, context=None):
    """Ask every registered guard whether ``project`` may move by ``action``; raises
    ``WorkflowError`` from the first guard that refuses."""
    for guard in list(_GUARDS.values()):
        guard(project=project, action=action, context=context)
