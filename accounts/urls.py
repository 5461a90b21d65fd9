"""Account pages under /accounts/. Names without a namespace: Django's auth views and
settings.LOGIN_URL refer to them as `login`, `password_reset_done`..."""

from django.contrib.auth import views as auth_views
from django.urls import path

from . import forms, views

urlpatterns = [
    path("register/", views.register, name="register"),
    path("activity/", views.activity_log, name="activity"),
    path(
        "login/",
        auth_views.LoginView.as_view(authentication_form=forms.LoginForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("second-factor/", views.otp_verify, name="otp-verify"),
    path("second-factor/enrol/", views.otp_enrol, name="otp-enrol"),
    path("second-factor/backup-codes/", views.otp_backup_codes, name="otp-backup-codes"),
    path(
        "password/change/",
        auth_views.PasswordChangeView.as_view(form_class=forms.PasswordChangeForm),
        name="password_change",
    ),
    path("password/change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("password/reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("password/reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(form_class=forms.SetPasswordForm),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"
    ),
]
