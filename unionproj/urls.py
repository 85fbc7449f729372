from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

api_v1 = [
    path("", include("members.api_urls")),
    path("", include("projects.api_urls")),
    path("", include("evaluations.api_urls")),
]

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("django-admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="api-redoc"),
    path("healthz/", include("unionproj.health")),
    path("", include("members.urls")),
    path("", include("projects.campaign_urls")),
    path("", include("projects.urls")),
    path("", include("evaluations.urls")),
]

handler403 = "unionproj.views.permission_denied"
handler404 = "unionproj.views.page_not_found"
handler500 = "unionproj.views.server_error"
