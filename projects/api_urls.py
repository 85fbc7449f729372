from django.urls import path
from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("campaigns", api.CampaignViewSet, basename="api-campaign")
router.register("projects", api.ProjectViewSet, basename="api-project")
router.register("replication-plans", api.ReplicationPlanViewSet, basename="api-replication-plan")
router.register("progress-reports/overdue", api.OverdueProgressViewSet, basename="api-progress-overdue")

urlpatterns = [
    path("attachments/<int:pk>/download/", api.AttachmentDownloadView.as_view(), name="api-attachment-download"),
    *router.urls,
]
