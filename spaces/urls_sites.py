"""The space managers' pages of sites under /spaces/sites/ (namespace `space_sites`): sites and
their units, the floor plan, the occupancy dashboard, the charges CSV."""

from django.urls import path

from . import views_site_reports, views_sites

app_name = "space_sites"

urlpatterns = [
    path("", views_sites.site_list, name="list"),
    path("new/", views_sites.site_create, name="create"),
    path("charges/", views_site_reports.charges_export, name="charges"),
    path("<int:pk>/", views_sites.site_detail, name="detail"),
    path("<int:pk>/edit/", views_sites.site_edit, name="edit"),
    path("<int:pk>/units/new/", views_sites.unit_create, name="unit_create"),
    path("units/<int:pk>/edit/", views_sites.unit_edit, name="unit_edit"),
    path("<int:pk>/plan/", views_site_reports.floor_plan, name="floor_plan"),
    path("<int:pk>/occupancy/", views_site_reports.occupancy, name="occupancy"),
]
