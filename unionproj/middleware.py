import logging

from django.utils.deprecation import MiddlewareMixin

from .views import DATABASE_ERRORS, database_unavailable

logger = logging.getLogger(__name__)


class ChineseFirstMiddleware(MiddlewareMixin):
    """Make Chinese the language unless the user picked another with the switcher.

    Django would otherwise follow the browser's Accept-Language, and an office PC set up in
    English would show the platform in English to a user who never asked for it. The choice
    made with the language switcher (a cookie) still wins.
    """

    def process_request(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)


class DatabaseUnavailableMiddleware(MiddlewareMixin):
    """A view failing because the database is away or busy (SQLite's "database is locked" past
    its busy timeout, a PostgreSQL restart) answers 503 with ``Retry-After`` — in the embedded
    default too, where ``DEBUG`` is on and Django would otherwise show its 500 page. In
    production ``handler500`` (unionproj.views.server_error) gives the same answer for a
    failure outside a view."""

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_ERRORS):
            logger.warning("database unavailable for %s %s: %s", request.method, request.path, exception)
            return database_unavailable(request)
        return None
