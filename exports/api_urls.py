"""API routes of the exports , included under /api/v1/ by unionproj.urls."""

from django.urls import path

from . import api

urlpatterns = [
    path("roadshows/<int:roadshow_pk>/export/", api.RoadshowExportView.as_view(), name="api-roadshow-export"),
    path("exports/<str:task_id>/", api.ExportJobView.as_view(), name="api-export-job"),
    path("exports/<str:task_id>/download/", api.ExportDownloadView.as_view(), name="api-export-download"),
]
