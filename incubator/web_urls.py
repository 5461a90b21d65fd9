"""The HTML pages that belong to no single app: the landing page and the staff dashboard."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
]
