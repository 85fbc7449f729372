"""Error pages. Under /api/ the answer is JSON ``{"detail": "…"}`` like every other API error
(API.md, "Conventions/Errors"): a URL that no API route matches (``/api/v1/roadshows/-1/entries/``),
a request Django refuses before any view runs, or a failure, reaches these handlers and not DRF's
exception handler, and a client reading JSON must not get an HTML page."""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views import defaults

API_PREFIX = "/api/"


def _json(detail, status):
    return JsonResponse({"detail": detail}, status=status, json_dumps_params={"ensure_ascii": False})


def _is_api(request):
    return request.path.startswith(API_PREFIX)


def bad_request(request, exception=None):
    if _is_api(request):
        return _json(_("请求无效。"), 400)
    return defaults.bad_request(request, exception)


def page_not_found(request, exception=None):
    if _is_api(request):
        return _json(_("未找到。"), 404)
    return render(request, "404.html", status=404)


def permission_denied(request, exception=None):
    if _is_api(request):
        return _json(_("您没有执行该操作的权限。"), 403)
    return render(request, "403.html", status=403)


DATABASE_ERRORS = (OperationalError, InterfaceError)


def _database_unavailable():
    """Whether the failure being handled is the database going away (a restart, a failover, a
    cut connection) or busy (SQLite's "database is locked" past its busy timeout): then the
    answer is 503, "try again", not a server bug. Django calls this handler inside its
    ``except`` block, so the exception is at hand."""
    return isinstance(sys.exc_info()[1], DATABASE_ERRORS)


def database_unavailable(request):
    """503 with ``Retry-After``: JSON under /api/, the 503 page elsewhere."""
    message = _("数据库暂时无法连接，请稍后重试。")
    if _is_api(request):
        response = _json(message, 503)
    else:
        response = HttpResponse(loader.get_template("503.html").render({"message": message}), status=503)
    response["Retry-After"] = "5"
    return response


def server_error(request):
    if _database_unavailable():
        return database_unavailable(request)
    if _is_api(request):
        return _json(_("服务器出错，请稍后再试。"), 500)
    # No context processors: they may touch the database that has just failed.
    return HttpResponseServerError(loader.get_template("500.html").render())


def favicon(request):
    """``/favicon.ico``: the SVG icon that ``base.html`` links (its hashed name in production)."""
    return redirect(static("img/favicon.svg"))
