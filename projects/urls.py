from django.urls import path

from . import views

app_name = "projects"

urlpatterns = [
    path("projects/", views.project_list, name="list"),
    path("projects/new/", views.project_create, name="create"),
    path("projects/<int:pk>/", views.project_detail, name="detail"),
    path("projects/<int:pk>/edit/", views.project_edit, name="edit"),
    path("projects/<int:pk>/action/<str:action>/", views.project_action, name="action"),
    path("projects/<int:pk>/reopen-filing/", views.project_reopen_filing, name="reopen-filing"),
    path("projects/<int:pk>/attachments/", views.attachment_upload, name="attachment-upload"),
    path("attachments/<int:pk>/download/", views.attachment_download, name="attachment-download"),
    path("attachments/<int:pk>/delete/", views.attachment_delete, name="attachment-delete"),
    path("projects/<int:pk>/closing-report/", views.project_closing_report, name="closing-report"),
    path("projects/<int:pk>/progress-report/", views.project_progress_report, name="progress-report"),
    path("projects/<int:pk>/replicate/", views.project_replicate, name="replicate"),
    path("replication/", views.replication_list, name="replication-list"),
    path("replication/<int:pk>/", views.replication_detail, name="replication-detail"),
    path("progress-reports/overdue/", views.overdue_reports, name="overdue-reports"),
    path("history-import/", views.history_import, name="history-import"),
    path("history-import/template.xlsx", views.history_template, name="history-template"),
    path("screening/", views.screening, name="screening"),
    path("screening/bulk/", views.screening_bulk, name="screening-bulk"),
]
