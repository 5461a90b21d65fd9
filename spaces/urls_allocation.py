"""The space managers' pages under /spaces/allocation/ (namespace `space_allocation`)."""

from django.urls import path

from . import views_allocation as views

app_name = "space_allocation"

urlpatterns = [
    path("", views.waiting_list, name="waiting"),
    path("runs/", views.run_list, name="runs"),
    path("runs/<int:pk>/", views.run_detail, name="run"),
    path("runs/<int:pk>/progress/", views.run_progress, name="run_progress"),
    path("runs/<int:pk>/confirm/", views.run_confirm, name="run_confirm"),
    path("allocations/", views.allocation_list, name="allocations"),
    path("allocations/new/", views.allocation_create, name="allocation_create"),
    path("allocations/<int:pk>/end/", views.allocation_end, name="allocation_end"),
]
