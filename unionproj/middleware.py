import logging

from django.http import HttpResponseBadRequest, HttpResponseNotFound, JsonResponse
from django.utils.deprecation import MiddlewareMixin
from django.utils.translation import gettext as _

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


# Django's own debug pages (the yellow 404 that lists every URL pattern, the traceback page)
# carry this robots tag; the product's pages never do.
TECHNICAL_PAGE_MARK = b'content="NONE,NOARCHIVE"'


class ProductErrorPagesMiddleware:
    """With DEBUG on (the demo, ``runserver``), answer with the product's own 400/404/500 pages
    instead of Django's debug pages, which list every URL pattern and, on a failure, settings
    and source. ``DEBUG_ERROR_PAGES=1`` brings Django's pages back for a developer. With DEBUG
    off Django already calls the handlers in ``unionproj.urls``, and this does nothing."""

    def __init__(self, get_response):
        from django.conf import settings

        self.get_response = get_response
        self.active = settings.DEBUG and not getattr(settings, "DEBUG_ERROR_PAGES", False)

    def __call__(self, request):
        response = self.get_response(request)
        if not self.active or response.status_code not in (400, 404, 500):
            return response
        if getattr(response, "streaming", False) or TECHNICAL_PAGE_MARK not in response.content:
            return response
        from unionproj import views

        if response.status_code == 404:
            return views.page_not_found(request)
        if response.status_code == 400:
            return views.bad_request(request)
        return views.server_error(request)


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


class RefuseNulMiddleware:
    """A NUL character, which PostgreSQL cannot hold in text, never reaches a view's query or
    its database (docs/SECURITY.md, "More 500s"): in the path it names nothing (404, as
    JSON under /api/); in a page's query string or form it is a 400. The API's bodies are
    checked by its parsers (``unionproj.api``), its query filters by their form fields."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path:
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": _("未找到。")}, status=404)
            return HttpResponseNotFound(_("页面不存在。"))
        if not request.path.startswith("/api/") and (_holds_nul(request.GET) or (
                request.method == "POST" and request.content_type == "application/x-www-form-urlencoded"
                and _holds_nul(request.POST))):
            return HttpResponseBadRequest(_("请求中含有空字符（NUL）。"))
        return self.get_response(request)


def _holds_nul(data):
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in data.lists())
