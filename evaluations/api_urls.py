"""API routes of roadshow scoring, included under /api/v1/ by unionproj.urls. ``/roadshows/``
itself is routed by ``awards.api_urls`` (the roadshow with its tier rules and award actions)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from .api import entries, jury, rubrics, scorecards

router = SimpleRouter()
router.register("scorecards", scorecards.ScorecardViewSet, basename="api-scorecard")

ROADSHOW = "roadshows/<int:roadshow_pk>/"

urlpatterns = [
    path(f"{ROADSHOW}entries/", entries.EntryViewSet.as_view({"get": "list", "post": "create"}),
         name="api-roadshow-entries"),
    path(f"{ROADSHOW}entries/reorder/", entries.EntryViewSet.as_view({"post": "reorder"}),
         name="api-roadshow-entries-reorder"),
    path(f"{ROADSHOW}entries/<int:pk>/", entries.EntryViewSet.as_view({"get": "retrieve", "delete": "destroy"}),
         name="api-roadshow-entry"),
    path(f"{ROADSHOW}entries/<int:pk>/open/", entries.EntryViewSet.as_view({"post": "open"}),
         name="api-roadshow-entry-open"),
    path(f"{ROADSHOW}entries/<int:pk>/close/", entries.EntryViewSet.as_view({"post": "close"}),
         name="api-roadshow-entry-close"),
    path(f"{ROADSHOW}entries/<int:pk>/restore/", entries.EntryRecoveryViewSet.as_view({"post": "restore"}),
         name="api-roadshow-entry-restore"),
    path(f"{ROADSHOW}entries/<int:pk>/withdraw/", entries.EntryRecoveryViewSet.as_view({"post": "withdraw"}),
         name="api-roadshow-entry-withdraw"),
    path(f"{ROADSHOW}jurors/", jury.JurorViewSet.as_view({"get": "list", "post": "create"}),
         name="api-roadshow-jurors"),
    path(f"{ROADSHOW}jurors/<int:user_pk>/",
         jury.JurorViewSet.as_view({"patch": "partial_update", "delete": "destroy"}), name="api-roadshow-juror"),
    path(f"{ROADSHOW}groups/", jury.JurorGroupViewSet.as_view({"get": "list", "post": "create"}),
         name="api-roadshow-groups"),
    path(f"{ROADSHOW}groups/<int:pk>/", jury.JurorGroupViewSet.as_view({"patch": "partial_update"}),
         name="api-roadshow-group"),
    path(f"{ROADSHOW}recusals/", jury.RecusalViewSet.as_view({"get": "list", "post": "create"}),
         name="api-roadshow-recusals"),
    path(f"{ROADSHOW}recusals/<int:pk>/", jury.RecusalViewSet.as_view({"delete": "destroy"}),
         name="api-roadshow-recusal"),
    path("campaigns/<int:campaign_pk>/rubrics/",
         rubrics.CampaignRubricViewSet.as_view({"get": "list", "post": "create"}), name="api-campaign-rubrics"),
    *router.urls,
]
