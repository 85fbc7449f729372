"""What people type, read one way in the pages, the API and the query strings (docs/SECURITY.md,
"Issue 13 item 5", "Issue 21 items 6 and 7").

- **Ids and whole numbers** are ASCII digits within what a database column holds: an id is
  1 … 2^63 − 1 (``MAX_ID``), and so at most is a whole number without a bound of its own; a
  count stored in a 32-bit column (a tier's quota) at most 2^31 − 1 (``MAX_INT``).
  Anything else is a form error / a 400 in a form or a body, and "not found" in a query string.
- **Decimals** (scores, amounts, money) are ASCII digits with an optional sign and point:
  full-width ``１２`` or Arabic-Indic ``٣`` are refused (Python's ``int`` and ``Decimal`` would
  read them as 12 and 3, which no one typing them meant to be checked so loosely); ``-0`` is
  read as 0 (it is zero, and a stored "−0.0" would show as such).
- **Text** never holds a NUL character (PostgreSQL refuses it, so it is refused before it gets
  there) and loses the bidirectional control characters U+202A–U+202E and U+2066–U+2069, with
  which a title or name could be made to display as something else.

``CleanInputMixin`` gives every field of a Django form these rules; ``CleanInputSerializerMixin``
every field of a DRF serializer; ``parse_id``/``parse_int`` read a query string; ``parse_decimal``
is what services use on values that come as JSON or form text (scores, tier amounts).
"""

import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import fields as api_fields
from rest_framework import relations as api_relations
from rest_framework import serializers

MAX_ID = 2**63 - 1
MAX_INT = 2**31 - 1

DIGITS_MESSAGE = _("请使用半角数字 0–9 填写。")
RANGE_MESSAGE = _("数值超出允许范围。")
ID_MESSAGE = _("所选对象不存在或编号无效。")
NUL_MESSAGE = _("不能包含空字符（NUL）。")

_INT = re.compile(r"[+-]?[0-9]+")
_ID = re.compile(r"[0-9]{1,19}")
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_NO_BIDI = str.maketrans(dict.fromkeys(map(ord, BIDI_CONTROLS)))


# --- plain parsers --------------------------------------------------------------------------


def parse_int(raw, *, low=1, high=MAX_ID):
    """``raw`` (a query-string value) as an int in [low, high], or ``None`` for anything else
    (absent, blank, not ASCII digits, out of range)."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, str) and _INT.fullmatch(raw.strip()) and len(raw.strip()) <= 40:
        value = int(raw.strip())
    else:
        return None
    return value if low <= value <= high else None


def parse_id(raw):
    """An object id from a query string, or ``None`` (then the object is simply not found)."""
    return parse_int(raw, low=1, high=MAX_ID)


def is_id(raw):
    """Whether ``raw`` (an int or text) is an id some row could have."""
    if isinstance(raw, str):
        return bool(_ID.fullmatch(raw.strip())) and 0 < int(raw) <= MAX_ID
    return isinstance(raw, int) and not isinstance(raw, bool) and 0 < raw <= MAX_ID


def parse_decimal(raw):
    """``raw`` (text, an int, a Decimal or a float from JSON) as a finite ``Decimal``; ``-0`` is 0.
    Raises ``ValueError`` for anything else, full-width and other non-ASCII digits included."""
    if isinstance(raw, bool):
        raise ValueError(raw)
    if isinstance(raw, str):
        text = raw.strip()
        if len(text) > 100 or not _DECIMAL.fullmatch(text):
            raise ValueError(raw)
        value = Decimal(text)
    elif isinstance(raw, (int, Decimal)):
        value = Decimal(raw)
    elif isinstance(raw, float):
        value = Decimal(repr(raw))
    else:
        raise ValueError(raw)
    if not value.is_finite():
        raise ValueError(raw)
    return zero_is_zero(value)


def zero_is_zero(value):
    """``-0`` (of any exponent) as ``0``: a value of zero is stored and shown without a sign."""
    return value.copy_abs() if value.is_zero() else value


def clean_text(value):
    """``value`` without bidirectional controls; ``ValidationError`` if it holds a NUL."""
    if "\x00" in value:
        raise ValidationError(NUL_MESSAGE, code="null_characters_not_allowed")
    return value.translate(_NO_BIDI)


def _non_ascii_digits(raw):
    return isinstance(raw, str) and not raw.isascii()


# --- Django forms ---------------------------------------------------------------------------


def _guard_form_field(field):
    """Wrap ``field.clean`` with the rules of this module, by the kind of field."""
    original = field.clean
    if isinstance(field, (forms.ModelChoiceField, forms.TypedChoiceField, forms.TypedMultipleChoiceField)):
        by_id = isinstance(field, forms.ModelChoiceField) and field.to_field_name is None
        by_int = getattr(field, "coerce", None) is int
        if not (by_id or by_int):
            return

        def clean(value, *args):
            values = value if isinstance(value, (list, tuple)) else [value]
            if any(v not in field.empty_values and not is_id(v) for v in values):
                raise ValidationError(ID_MESSAGE, code="invalid_choice")
            return original(value, *args)
    elif isinstance(field, forms.IntegerField):
        def clean(value, *args):
            if _non_ascii_digits(value):
                raise ValidationError(DIGITS_MESSAGE, code="invalid")
            result = original(value, *args)
            if result is not None and abs(result) > MAX_ID:
                raise ValidationError(RANGE_MESSAGE, code="max_value")
            return result
    elif isinstance(field, forms.DecimalField):
        def clean(value, *args):
            if _non_ascii_digits(value):
                raise ValidationError(DIGITS_MESSAGE, code="invalid")
            result = original(value, *args)
            return zero_is_zero(result) if isinstance(result, Decimal) else result
    elif isinstance(field, forms.CharField) and not isinstance(field.widget, forms.PasswordInput):
        def clean(value, *args):
            result = original(value, *args)
            return clean_text(result) if isinstance(result, str) else result
    else:
        return
    field.clean = clean


class AsciiIntegerField(forms.IntegerField):
    """An integer form field reading ASCII digits only, for forms that are not ours to give the
    mixin (django-filter builds the forms of the API's query filters)."""

    def to_python(self, value):
        if _non_ascii_digits(value):
            raise ValidationError(DIGITS_MESSAGE, code="invalid")
        return super().to_python(value)


class CleanInputMixin:
    """For every form of the site (first in the bases): ids bounded, numbers in ASCII digits,
    ``-0`` as 0, no NUL and no bidirectional controls in text (module docstring)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            _guard_form_field(field)


# --- DRF serializers ------------------------------------------------------------------------


def _wrap_api(field, before=None, after=None):
    original = field.to_internal_value

    def to_internal_value(data):
        if before is not None:
            before(data)
        result = original(data)
        return after(result) if after is not None else result

    field.to_internal_value = to_internal_value


def _ascii_number(data):
    if _non_ascii_digits(data):
        raise serializers.ValidationError(DIGITS_MESSAGE, code="invalid")


def _api_id(data):
    if data not in (None, "") and not is_id(data):
        raise serializers.ValidationError(ID_MESSAGE, code="does_not_exist")


def _bounded_int(field):
    def check(result):
        high = MAX_ID if field.max_value is None else field.max_value
        if abs(result) > high:
            raise serializers.ValidationError(RANGE_MESSAGE, code="max_value")
        return result
    return check


def _api_text(result):
    try:
        return clean_text(result)
    except ValidationError as exc:
        raise serializers.ValidationError(exc.messages, code="null_characters_not_allowed") from None


def guard_api_field(field):
    """Give a DRF field (and the fields inside it) the rules of this module."""
    if getattr(field, "read_only", False):
        return
    if isinstance(field, serializers.BaseSerializer):
        inner = getattr(field, "child", None)
        if inner is not None:
            guard_api_field(inner)
        elif not isinstance(field, CleanInputSerializerMixin):
            for sub in field.fields.values():
                guard_api_field(sub)
    elif isinstance(field, api_relations.ManyRelatedField):
        guard_api_field(field.child_relation)
    elif isinstance(field, api_relations.PrimaryKeyRelatedField):
        _wrap_api(field, before=_api_id)
    elif isinstance(field, (api_fields.ListField, api_fields.DictField)):
        guard_api_field(field.child)
    elif isinstance(field, api_fields.IntegerField):
        _wrap_api(field, before=_ascii_number, after=_bounded_int(field))
    elif isinstance(field, api_fields.DecimalField):
        _wrap_api(field, before=_ascii_number, after=zero_is_zero)
    elif isinstance(field, api_fields.CharField) and (field.style or {}).get("input_type") != "password":
        _wrap_api(field, after=_api_text)


# For every serializer of the API (first in the bases): the rules of this module on each of its
# fields. (No docstring: drf-spectacular would describe every serializer without one of its own
# with it, through ``inspect.getdoc``.)
class CleanInputSerializerMixin:

    def get_fields(self):
        fields = super().get_fields()
        for field in fields.values():
            guard_api_field(field)
        return fields
