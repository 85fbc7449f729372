"""The pages' side of the quorum (issue 13): a close or compute refused below quorum shows the
refusal, the entries and their counts, and a form to go on with a reason, which posts back to
the same action with ``override_reason``."""

from django.shortcuts import render

from ..services.quorum import REASON_LIMIT, QuorumNotMet

__all__ = ["QuorumNotMet", "override_reason", "refusal"]


def override_reason(request):
    """The reason the admin typed on the refusal page (``None`` on the first try)."""
    return request.POST.get("override_reason") or None


def refusal(request, roadshow, exc, *, back_url, button):
    """The refusal page of ``exc`` (a ``QuorumNotMet``): the message, the entries below quorum,
    and a form posting a reason back to this very URL."""
    return render(request, "evaluations/quorum_override.html", {
        "roadshow": roadshow, "message": str(exc.message), "below": exc.extra["below_quorum"],
        "action_url": request.path, "back_url": back_url, "button": button, "limit": REASON_LIMIT,
        "reason": request.POST.get("override_reason", ""),
    })
