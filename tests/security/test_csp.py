"""The Content Security Policy: every page carries it, no template and no rendered page holds
anything it would block (inline script, <style>, style=, on*=, javascript:), and only the API
documentation pages relax it, for themselves."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver

from evaluations.models import Scorecard

from .inline import inline_problems

STRICT = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'none'",
    "frame-ancestors": "'self'",
    "form-action": "'self'",
}


def directives(response):
    header = response.get("Content-Security-Policy")
    assert header, "no Content-Security-Policy header"
    parsed = {}
    for part in header.split(";"):
        name, _, value = part.strip().partition(" ")
        if name:
            parsed[name] = value.strip()
    return parsed


@pytest.mark.parametrize("url", ["/users/", "/", "/projects/", "/campaigns/", "/audit/", "/roadshows/"])
def test_every_page_carries_the_strict_policy(client_for, people, url):
    response = client_for(people["admin"]).get(url)
    assert response.status_code == 200
    assert directives(response) == STRICT
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_anonymous_pages_and_errors_carry_the_policy_too(client_for, db):
    client = client_for()
    assert directives(client.get("/accounts/login/")) == STRICT
    assert directives(client.get("/no-such-page/")) == STRICT


def test_a_json_api_answer_carries_the_policy(client_for, people):
    response = client_for(people["admin"]).get("/api/v1/me/")
    assert response.status_code == 200
    assert directives(response)["script-src"] == "'self'"


def test_only_the_api_docs_pages_relax_styles_and_swagger_keeps_scripts_strict(client_for, people):
    client = client_for(people["admin"])
    swagger = client.get("/api/docs/")
    assert swagger.status_code == 200
    policy = directives(swagger)
    assert "'unsafe-inline'" in policy["style-src"]
    assert policy["script-src"] == "'self'"
    # Swagger UI's start-up script is a file of its own, not an inline block.
    assert not [p for p in inline_problems(swagger.content.decode()) if "inline <script>" in p]
    assert "'unsafe-inline'" in directives(client.get("/api/redoc/"))["style-src"]
    # ...and nothing else is relaxed.
    assert directives(client.get("/projects/")) == STRICT


def test_the_big_screen_is_framed_only_by_the_origins_the_setting_names(client_for, people, scoring, settings):
    client = client_for(people["admin"])
    url = f"/roadshows/{scoring.pk}/screen/"
    # By default it is as unframeable as every other page.
    response = client.get(url)
    assert directives(response) == STRICT and response["X-Frame-Options"] == "DENY"
    settings.SCREEN_FRAME_ANCESTORS = ["https://display.example.org"]
    response = client.get(url)
    assert directives(response)["frame-ancestors"] == "'self' https://display.example.org"
    assert "X-Frame-Options" not in response
    # ...that page only; and a refused request is not made frameable.
    assert directives(client.get("/projects/")) == STRICT and client.get("/projects/")["X-Frame-Options"] == "DENY"
    refused = client_for(people["staff_a"]).get(url)
    assert refused.status_code in (403, 404) and directives(refused)["frame-ancestors"] == "'self'"


def test_htmx_is_told_not_to_inject_styles_nor_evaluate_code(client_for, people):
    page = client_for(people["admin"]).get("/").content.decode()
    assert 'name="htmx-config"' in page
    assert '"includeIndicatorStyles": false' in page and '"allowEval": false' in page
    css = (Path(settings.BASE_DIR) / "static/css/app.css").read_text()
    assert ".htmx-indicator" in css


# --- no template holds anything the policy blocks ----------------------------------------------

TEMPLATE_PATTERNS = {
    "inline <script>": re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.IGNORECASE),
    "<style>": re.compile(r"<style[\s>]", re.IGNORECASE),
    "style attribute": re.compile(r"\sstyle\s*=", re.IGNORECASE),
    "event handler attribute": re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE),
    "javascript: URL": re.compile(r"javascript:", re.IGNORECASE),
}


def _templates():
    roots = [Path(settings.BASE_DIR) / "templates"]
    roots += [path for path in Path(settings.BASE_DIR).glob("*/templates") if ".venv" not in str(path)]
    return sorted(path for root in roots for path in root.rglob("*.html"))


# The PDF templates are laid out by WeasyPrint on the server and never served to a browser (no
# CSP applies): their computed column widths are style attributes. A script there stays refused.
PDF_TEMPLATES = "templates/exports/pdf/"


def test_no_template_holds_inline_script_style_or_handlers():
    found = []
    for path in _templates():
        text = path.read_text(encoding="utf-8")
        for what, pattern in TEMPLATE_PATTERNS.items():
            if what == "style attribute" and PDF_TEMPLATES in path.as_posix():
                continue
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{path.relative_to(settings.BASE_DIR)}:{line}: {what}")
    assert not found, "\n".join(found)


# --- no rendered page holds it either -----------------------------------------------------------

# Never fetched by the walk: they act (log out, switch language) or answer files, not pages.
SKIP = {"logout", "set_language", "healthz", "projects:history-template"}


def _routes(patterns=None, prefix="", namespace=""):
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            inner = namespace + (f"{entry.namespace}:" if entry.namespace else "")
            yield from _routes(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), namespace + (entry.name or "")


def _page_urls(objects):
    """GET pages of the site (not the API, not Django's admin): the routes without parameters,
    and those with one ``<int:pk>`` whose object the fixtures hold."""
    urls = []
    for route, name in _routes():
        if route.startswith(("api/", "django-admin/", "static/")) or name in SKIP:
            continue
        params = re.findall(r"<(?:\w+:)?(\w+)>", route)
        if not params:
            urls.append("/" + route)
        elif params == ["pk"]:
            head = route.split("<", 1)[0]
            pk = objects.get(head)
            if pk is not None:
                urls.append("/" + re.sub(r"<int:pk>", str(pk), route))
    return urls


def test_no_rendered_page_holds_inline_script_style_or_handlers(client_for, people, scoring, jurors):
    project = scoring.entries.first().project
    card = Scorecard.objects.filter(entry__roadshow=scoring, juror=jurors[0]).first()
    objects = {
        "campaigns/": scoring.campaign_id, "projects/": project.pk, "roadshows/": scoring.pk,
        "unions/": people["staff_a"].union_id, "users/": people["staff_a"].pk,
        "dashboards/campaigns/": scoring.campaign_id, "score/roadshows/": scoring.pk,
    }
    objects["score/cards/"] = card.pk
    urls = _page_urls(objects)
    assert "/audit/" in urls and f"/roadshows/{scoring.pk}/live/" in urls
    checked, found = 0, []
    for user in (people["admin"], people["staff_a"], people["county_admin_a"], jurors[0], None):
        client = client_for(user)
        for url in urls:
            response = client.get(url)
            if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                continue
            if getattr(response, "streaming", False):
                continue
            checked += 1
            for problem in inline_problems(response.content.decode()):
                found.append(f"{url} as {user}: {problem}")
    assert checked > 40
    assert not found, "\n".join(found)
