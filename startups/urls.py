"""Startup pages under /startups/ (namespace `startups`)."""

from django.urls import path, re_path

from . import views

app_name = "startups"

urlpatterns = [
    path("", views.startup_list, name="list"),
    path("new/", views.startup_create, name="create"),
    path("<int:pk>/", views.startup_detail, name="detail"),
    path("<int:pk>/edit/", views.startup_edit, name="edit"),
    path("<int:pk>/timeline/", views.startup_timeline, name="timeline"),
    re_path(
        r"^(?P<pk>[0-9]+)/registration/(?P<action>confirm|refuse|revoke)/$",
        views.startup_registration,
        name="registration",
    ),
    path("<int:pk>/members/", views.startup_members, name="members"),
    path("<int:pk>/members/<int:membership_pk>/remove/", views.member_remove, name="member-remove"),
    path(
        "<int:pk>/invitations/<int:invitation_pk>/withdraw/",
        views.invitation_withdraw,
        name="invitation-withdraw",
    ),
    re_path(
        r"^invitations/(?P<invitation_pk>[0-9]+)/(?P<answer>accept|decline)/$",
        views.invitation_answer,
        name="invitation-answer",
    ),
    path("<int:pk>/reports/", views.startup_reports, name="reports"),
]
