from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views, views_auth
from .forms import LoginForm

# Management pages live under the ``members`` namespace; the auth pages keep Django's own names
# (``login``, ``logout``, ``password_change``) which settings and the navbar refer to.
management = [
    path("unions/", views.union_list, name="union_list"),
    path("unions/new/", views.union_create, name="union_create"),
    path("unions/<int:pk>/edit/", views.union_edit, name="union_edit"),
    path("users/", views.user_list, name="user_list"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<int:pk>/edit/", views.user_edit, name="user_edit"),
    path("users/<int:pk>/reset-password/", views_auth.user_reset_password, name="user_reset_password"),
]

urlpatterns = [
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=LoginForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", views_auth.LogoutView.as_view(), name="logout"),
    path("accounts/password/", views_auth.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/reset/<str:code>/", views_auth.password_reset_code, name="password_reset_code"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("", include((management, "members"))),
]
