"""API routes of the awards, included under /api/v1/ by unionproj.urls: ``/roadshows/`` (the
scoring app's roadshow with the awards' tiers and actions), tasks, objections, payouts and the
unit ranking."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("roadshows", api.RoadshowViewSet, basename="api-roadshow")
router.register("tasks", api.TaskViewSet, basename="api-task")
router.register("objections", api.ObjectionViewSet, basename="api-objection")
router.register("payouts", api.PayoutViewSet, basename="api-payout")
router.register("unit-rankings", api.UnitRankingViewSet, basename="api-unit-ranking")

ROADSHOW = "roadshows/<int:roadshow_pk>/"

urlpatterns = [
    path(f"{ROADSHOW}objections/", api.RoadshowObjectionViewSet.as_view({"get": "list", "post": "create"}),
         name="api-roadshow-objections"),
    path(f"{ROADSHOW}objections/answer/", api.ObjectionBulkViewSet.as_view({"post": "answer"}),
         name="api-roadshow-objections-answer"),
    path(f"{ROADSHOW}objections/dismiss/", api.ObjectionBulkViewSet.as_view({"post": "dismiss"}),
         name="api-roadshow-objections-dismiss"),
    *router.urls,
]
