from django.urls import path
from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("campaigns", api.CampaignViewSet, basename="api-campaign")
router.register("projects", api.ProjectViewSet, basename="api-project")

urlpatterns = [
    path("attachments/<int:pk>/download/", api.AttachmentDownloadView.as_view(), name="api-attachment-download"),
    *router.urls,
]
