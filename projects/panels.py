"""Panels other apps add to a project's page, below its header: the awards show the project's
tier and subsidy there. ``projects`` knows nothing of them; an app registers a panel in its
``apps.py`` ``ready()`` (the apps above ``projects`` may import it, never the other way)."""

_PANELS = []


def register_panel(panel):
    """``panel(request, project)`` returns the panel's HTML (safe), or ``""`` for none."""
    _PANELS.append(panel)


def panels_for(request, project):
    """The registered panels' HTML for ``project``'s page, empty ones left out."""
    return [html for html in (panel(request, project) for panel in _PANELS) if html]
