"""The default names the product gives things — tier names (特优, 一等 …), the default rubric's
criteria, the default categories, the default jury panel — shown in the user's language.

A name is stored as entered: a federation that renames 一等 to 一等奖, or adds its own category,
sees its own words in every language. Only a name that is still one of the defaults is
translated, through the English catalogue. The apps that own the defaults name them here at
start-up (``register``), and mark them with ``gettext_noop`` where they are defined, so the
catalogue keeps them.

Registered as a template builtin (``settings.TEMPLATES``): ``{{ tier.name|label }}``.
"""

from django import template
from django.utils.translation import gettext

register = template.Library()

_DEFAULTS = set()


def register_defaults(*names):
    """Declare ``names`` as default names that have a translation."""
    _DEFAULTS.update(str(name) for name in names)


def label(value):
    """``value`` in the active language if it is a default name, else as stored."""
    if value is None:
        return ""
    text = str(value)
    return gettext(text) if text in _DEFAULTS else text


register.filter("label", label)
