from django.urls import path

from . import views_audit

app_name = "audit"

urlpatterns = [
    path("", views_audit.audit_list, name="list"),
    path("lockouts/", views_audit.lockout_list, name="lockouts"),
    path("lockouts/<int:pk>/unlock/", views_audit.unlock, name="unlock"),
]
