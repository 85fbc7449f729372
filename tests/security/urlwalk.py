"""The named URL patterns of the site, walked from ``django.urls.get_resolver()``."""

import re

from django.urls import URLPattern, URLResolver, get_resolver

# Not ours (Django's admin, the language switch, static files) or not pages (the API schema
# and its documentation bundles, checked in test_csp.py).
SKIPPED_PREFIXES = ("django-admin/", "i18n/", "static/", "api/schema/", "api/docs/", "api/redoc/")


def routes(patterns=None, prefix="", namespace=""):
    """``(route, "namespace:name")`` of every named pattern, recursively."""
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            inner = namespace + (f"{entry.namespace}:" if entry.namespace else "")
            yield from routes(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield prefix + str(entry.pattern), namespace + entry.name


def our_routes(api=False):
    """``{name: route}`` of our page URLs (``api=True``: of the API under /api/v1/)."""
    found = {}
    for route, name in routes():
        if route.startswith(SKIPPED_PREFIXES):
            continue
        if route.startswith("api/") != api:
            continue
        found.setdefault(name, route)
    return found


def params(route):
    return re.findall(r"<(?:\w+:)?(\w+)>", route)


def fill(route, values):
    """The path of ``route`` with its parameters taken from ``values``."""
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), route)


def api_path(name, route, values):
    """The path of the API URL ``name`` (routes of DRF's routers are regular expressions)."""
    from django.urls import reverse

    wanted = set(re.findall(r"<(?:\w+:)?(\w+)>", route)) | set(re.findall(r"\(\?P<(\w+)>", route))
    return reverse(name, kwargs={key: values[key] for key in wanted})
