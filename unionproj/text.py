"""Chinese text helpers."""

from __future__ import annotations

from django import template


def quoted(text) -> str:
    """A stored name in Chinese quotes, “name”, for messages that mention it.

    A message fills its placeholder with it — 项目%(t)s已提交申报。 with ``{"t": quoted(title)}`` —
    rather than putting “” round the placeholder itself, so that a title which already holds quotes
    (“澄江工匠”职工技能提升行动) is not quoted twice: a text that holds “ or ” is returned as it is.
    """
    text = "" if text is None else str(text)
    if "“" in text or "”" in text:
        return text
    return f"“{text}”"


# Templates: ``{% blocktranslate with t=project.title|quoted %}项目{{ t }}…`` (a builtin, see
# TEMPLATES in settings, so no {% load %} is needed).
register = template.Library()
register.filter("quoted", quoted)
