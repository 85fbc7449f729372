from csp.decorators import csp_update
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from awards import urls as awards_urls
from evaluations import urls as evaluations_urls

from . import views

api_v1 = [
    path("", include("members.api_urls")),
    path("", include("projects.api_urls")),
    path("", include("evaluations.api_urls")),
    path("", include("awards.api_urls")),
    path("", include("exports.api_urls")),
]

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("django-admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The API docs pages (third-party bundles) style themselves inline; Redoc also runs its
    # settings inline and starts a blob: worker. Only these two pages relax the CSP (SECURITY.md);
    # Swagger UI's own start-up script is served as a file (the "split" view).
    path("api/docs/", csp_update({"style-src": ["'unsafe-inline'"]})(
        SpectacularSwaggerSplitView.as_view(url_name="schema")), name="api-docs"),
    path("api/redoc/", csp_update({"style-src": ["'unsafe-inline'"], "script-src": ["'unsafe-inline'"],
                                   "worker-src": ["blob:"]})(
        SpectacularRedocView.as_view(url_name="schema")), name="api-redoc"),
    path("healthz/", include("unionproj.health")),
    # Browsers and crawlers ask for /favicon.ico whatever the page says (base.html links the SVG).
    path("favicon.ico", views.favicon),
    path("audit/", include("dashboards.audit_urls")),
    path("", include("dashboards.home_urls")),
    path("", include("members.urls")),
    path("", include("projects.campaign_urls")),
    path("", include("projects.urls")),
    # The awards' pages keep the names they had under ``evaluations:`` (URL names are part of
    # the contract): one namespace, the patterns of both apps.
    path("", include((evaluations_urls.urlpatterns + awards_urls.urlpatterns, "evaluations"))),
    path("", include("exports.urls")),
    path("", include("dashboards.urls")),
]

handler400 = "unionproj.views.bad_request"
handler403 = "unionproj.views.permission_denied"
handler404 = "unionproj.views.page_not_found"
handler500 = "unionproj.views.server_error"
