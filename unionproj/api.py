"""API plumbing shared by every app: parsers, ids in paths and filters, pagination and the error
contract of API.md."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, status
from rest_framework.exceptions import ParseError
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .errors import StateConflict
from .inputs import MAX_ID, NUL_MESSAGE, AsciiIntegerField, parse_id

# The path pattern of an object's id in every router (``lookup_value_regex``).
ID = r"[0-9]+"


class StrictJSONParser(JSONParser):
    """JSON that every part of the API can answer about: a body nested too deeply to decode,
    holding a lone UTF-16 surrogate (which no response could echo back in UTF-8), or a NUL
    character in any text (which PostgreSQL cannot store; unionproj/inputs.py), is a 400."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(_("JSON 嵌套层数过多。")) from None
        # (the top-level field it is under, a value): a NUL is refused naming that field
        pending = [(None, data)]
        while pending:
            field, item = pending.pop()
            if isinstance(item, dict):
                top = field is None
                pending.extend((key if top else field, key) for key in item.keys())
                pending.extend((key if top else field, value) for key, value in item.items())
            elif isinstance(item, list):
                pending.extend((field, value) for value in item)
            elif isinstance(item, str):
                try:
                    item.encode("utf-8")
                except UnicodeEncodeError:
                    raise ParseError(_("JSON 中含有无效的 Unicode 字符。")) from None
                if "\x00" in item:
                    _nul_refused(field)
        return data


def _nul_refused(field):
    if field is None or not isinstance(field, str) or "\x00" in field:
        raise ParseError(NUL_MESSAGE)
    raise exceptions.ValidationError({field: [NUL_MESSAGE]})


def _refuse_nul(data):
    for key, values in data.lists():
        if "\x00" in key or any(isinstance(v, str) and "\x00" in v for v in values):
            _nul_refused(key)


class StrictFormParser(FormParser):
    """A form-encoded body with a NUL character in any field is a 400 (as in JSON)."""

    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        _refuse_nul(data)
        return data


class StrictMultiPartParser(MultiPartParser):
    """A multipart body with a NUL character in any text field is a 400 (as in JSON)."""

    def parse(self, stream, media_type=None, parser_context=None):
        result = super().parse(stream, media_type, parser_context)
        _refuse_nul(result.data)
        return result


# The parsers of every endpoint of the API (the default in settings, named here for clarity).
PARSERS = [StrictJSONParser, StrictFormParser, StrictMultiPartParser]


def get_or_404(queryset, pk):
    """``queryset.get(pk=pk)``, or ``Http404`` for a missing row or an id no row can have."""
    pk = parse_id(pk)
    if pk is None:
        raise Http404
    try:
        return queryset.get(pk=pk)
    except queryset.model.DoesNotExist:
        raise Http404 from None


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(filters.NumberFilter):
    """An integer id in a list's filters; anything else (``abc``, ``1.5``, too big) is a 400."""

    field_class = AsciiIntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def get_page_number(self, request, paginator):
        # A page number that is not a positive integer is the first page, not a 500 or a 404.
        number = request.query_params.get(self.page_query_param, 1)
        try:
            return max(1, int(number))
        except (TypeError, ValueError):
            return 1


def validation_error_body(exc):
    if hasattr(exc, "message_dict"):
        return {field if field != "__all__" else "detail": msgs for field, msgs in exc.message_dict.items()}
    return {"detail": " ".join(exc.messages)}


def exception_handler(exc, context):
    """Map domain errors to the contract: ``StateConflict`` (``WorkflowError`` and the refusals
    members' writes receive from the apps above them) → 409 with the state, Django's
    ``ValidationError`` → 400 with fields, ``PermissionDenied`` → 403, not found → 404."""
    if isinstance(exc, StateConflict):
        # A domain error may name what blocks it (e.g. ``below_quorum``) beside the message.
        return Response({"detail": str(exc.message), "state": exc.state, **getattr(exc, "extra", {})},
                        status=status.HTTP_409_CONFLICT)
    if isinstance(exc, DjangoValidationError):
        return Response(validation_error_body(exc), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    return drf_exception_handler(exc, context)
