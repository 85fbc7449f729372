"""The home page, under its un-namespaced name ``home`` (LOGIN_REDIRECT_URL and the navbar)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
]
