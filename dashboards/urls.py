from django.urls import path

from . import views

app_name = "dashboards"

urlpatterns = [
    path("dashboards/", views.campaign_dashboard, name="campaign"),
    path("dashboards/campaigns/<int:pk>/", views.campaign_dashboard, name="campaign-detail"),
    path("dashboards/years/", views.year_dashboard, name="years"),
]
