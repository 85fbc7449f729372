from django.urls import path
from rest_framework.routers import SimpleRouter

from . import api, api_moderation

router = SimpleRouter()
router.register("roadshows", api.RoadshowViewSet, basename="api-roadshow")
router.register("scorecards", api.ScorecardViewSet, basename="api-scorecard")
# Awards (评定等次 → 以奖代拨).
router.register("tasks", api.TaskViewSet, basename="api-task")
router.register("objections", api.ObjectionViewSet, basename="api-objection")
router.register("payouts", api.PayoutViewSet, basename="api-payout")
router.register("unit-rankings", api.UnitRankingViewSet, basename="api-unit-ranking")

ROADSHOW = "roadshows/<int:roadshow_pk>/"

urlpatterns = [
    path(f"{ROADSHOW}entries/", api.EntryViewSet.as_view({"get": "list", "post": "create"}),
         name="api-roadshow-entries"),
    path(f"{ROADSHOW}entries/reorder/", api.EntryViewSet.as_view({"post": "reorder"}),
         name="api-roadshow-entries-reorder"),
    path(f"{ROADSHOW}entries/<int:pk>/", api.EntryViewSet.as_view({"get": "retrieve", "delete": "destroy"}),
         name="api-roadshow-entry"),
    path(f"{ROADSHOW}entries/<int:pk>/open/", api.EntryViewSet.as_view({"post": "open"}),
         name="api-roadshow-entry-open"),
    path(f"{ROADSHOW}entries/<int:pk>/close/", api.EntryViewSet.as_view({"post": "close"}),
         name="api-roadshow-entry-close"),
    path(f"{ROADSHOW}entries/<int:pk>/restore/", api_moderation.EntryRecoveryViewSet.as_view({"post": "restore"}),
         name="api-roadshow-entry-restore"),
    path(f"{ROADSHOW}entries/<int:pk>/withdraw/", api_moderation.EntryRecoveryViewSet.as_view({"post": "withdraw"}),
         name="api-roadshow-entry-withdraw"),
    path(f"{ROADSHOW}jurors/", api.JurorViewSet.as_view({"get": "list", "post": "create"}),
         name="api-roadshow-jurors"),
    path(f"{ROADSHOW}jurors/<int:user_pk>/",
         api.JurorViewSet.as_view({"patch": "partial_update", "delete": "destroy"}), name="api-roadshow-juror"),
    path(f"{ROADSHOW}groups/", api.JurorGroupViewSet.as_view({"get": "list", "post": "create"}),
         name="api-roadshow-groups"),
    path(f"{ROADSHOW}groups/<int:pk>/", api.JurorGroupViewSet.as_view({"patch": "partial_update"}),
         name="api-roadshow-group"),
    path(f"{ROADSHOW}recusals/", api.RecusalViewSet.as_view({"get": "list", "post": "create"}),
         name="api-roadshow-recusals"),
    path(f"{ROADSHOW}recusals/<int:pk>/", api.RecusalViewSet.as_view({"delete": "destroy"}),
         name="api-roadshow-recusal"),
    path(f"{ROADSHOW}objections/", api.RoadshowObjectionViewSet.as_view({"get": "list", "post": "create"}),
         name="api-roadshow-objections"),
    path(f"{ROADSHOW}objections/answer/", api_moderation.ObjectionBulkViewSet.as_view({"post": "answer"}),
         name="api-roadshow-objections-answer"),
    path(f"{ROADSHOW}objections/dismiss/", api_moderation.ObjectionBulkViewSet.as_view({"post": "dismiss"}),
         name="api-roadshow-objections-dismiss"),
    path("campaigns/<int:campaign_pk>/rubrics/", api.CampaignRubricViewSet.as_view({"get": "list", "post": "create"}),
         name="api-campaign-rubrics"),
    *router.urls,
]
