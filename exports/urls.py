"""Pages of the exports , included by unionproj.urls."""

from django.urls import path

from . import views

app_name = "exports"

urlpatterns = [
    path("roadshows/<int:pk>/exports/", views.export_page, name="page"),
    path("roadshows/<int:pk>/exports/download/", views.export_download, name="download"),
    path("roadshows/<int:pk>/exports/jobs/", views.export_start, name="start"),
    path("exports/jobs/<int:job_pk>/", views.job_status, name="job"),
    path("exports/jobs/<int:job_pk>/download/", views.job_download, name="job-download"),
]
