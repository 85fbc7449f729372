from csp.decorators import csp_update
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from . import views

api_v1 = [
    path("", include("members.api_urls")),
    path("", include("projects.api_urls")),
    path("", include("evaluations.api_urls")),
    path("", include("evaluations.export_api_urls")),
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
    path("", include("evaluations.urls")),
    path("", include("evaluations.export_urls")),
    path("", include("dashboards.urls")),
]

handler400 = "unionproj.views.bad_request"
handler403 = "unionproj.views.permission_denied"
handler404 = "unionproj.views.page_not_found"
handler500 = "unionproj.views.server_error"
