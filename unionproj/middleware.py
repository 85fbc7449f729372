from django.http import HttpResponseBadRequest, HttpResponseNotFound, JsonResponse
from django.utils.deprecation import MiddlewareMixin
from django.utils.translation import gettext as _


class ChineseFirstMiddleware(MiddlewareMixin):
    """Make Chinese the language unless the user picked another with the switcher.

    Django would otherwise follow the browser's Accept-Language, and an office PC set up in
    English would show the platform in English to a user who never asked for it. The choice
    made with the language switcher (a cookie) still wins.
    """

    def process_request(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)


class RefuseNulMiddleware:
    """A NUL character, which PostgreSQL cannot hold in text, never reaches a view's query or
    its database (docs/SECURITY.md, "Issue 21 item 6"): in the path it names nothing (404, as
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
