"""Startup pages under /startups/ (namespace `startups`)."""

from django.urls import path

from . import views

app_name = "startups"

urlpatterns = [
    path("", views.startup_list, name="list"),
    path("new/", views.startup_create, name="create"),
    path("<int:pk>/", views.startup_detail, name="detail"),
    path("<int:pk>/edit/", views.startup_edit, name="edit"),
    path("<int:pk>/members/", views.startup_members, name="members"),
    path("<int:pk>/reports/", views.startup_reports, name="reports"),
]
