"""One money format for every page, PDF and the big screen: two decimals and a comma every
three digits (``50,000.00``), whatever the language. Django's own ``floatformat:"2g"`` groups
by the locale, and the Chinese locale has no thousands separator (``50000.00``), so pages in
the two languages disagreed. XLSX keeps numbers as numbers (``#,##0.00``); CSV keeps plain
decimals (``50000.00``) for machines to read (docs/EXPORTS.md).

Registered as a template builtin (``settings.TEMPLATES``): ``{{ amount|money }}`` needs no
``{% load %}`` in any app's template.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template

register = template.Library()

CENT = Decimal("0.01")


def format_money(value):
    """``50000`` → ``"50,000.00"``; ``None``/``""`` → ``""``; text that is no number unchanged.
    Half-up to the fen, as ``awards.allocation.quantize_money`` stores amounts."""
    if value is None or value == "":
        return ""
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value))
        return f"{amount.quantize(CENT, rounding=ROUND_HALF_UP):,.2f}"
    except (InvalidOperation, ValueError, TypeError):
        return str(value)


@register.filter(name="money")
def money(value):
    return format_money(value)
