from django.contrib.auth import views as auth_views
from django.urls import path

from . import signin, views

app_name = "accounts"

urlpatterns = [
    path("login/", signin.SignInView.as_view(), name="login"),
    path("login/second-factor/", signin.second_factor_step, name="second_factor"),
    path("login/second-factor/set-up/", signin.second_factor_enrol, name="second_factor_enrol"),
    path("login/link/", signin.sign_in_link_send, name="sign_in_link_send"),
    path("login/link/<str:token>/", signin.sign_in_link, name="sign_in_link"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("register/", views.register, name="register"),
    path("verify/<str:token>/", views.verify, name="verify"),
    path("profile/", views.profile, name="profile"),
    path("profile/second-factor/", signin.two_factor, name="two_factor"),
    path("profile/second-factor/replace/", signin.two_factor_replace, name="two_factor_replace"),
    path("profile/data.json", views.data_download, name="data"),
    path("profile/api-tokens/", views.api_token_create, name="api_token_create"),
    path("profile/api-tokens/<int:pk>/revoke/", views.api_token_revoke, name="api_token_revoke"),
    path("profile/erase/", views.erase, name="erase"),
    path("password-reset/", views.password_reset, name="password_reset"),
    path("password-reset/sent/", views.password_reset_done, name="password_reset_done"),
    path("password-reset/<uidb64>/<token>/", views.password_reset_confirm, name="password_reset_confirm"),
    path("privacy/", views.privacy, name="privacy"),
    path("terms/", views.terms, name="terms"),
]
