"""Expo pages under /expos/ (namespace `expos`)."""

from django.urls import path

from . import views, views_manage

app_name = "expos"

urlpatterns = [
    path("", views.expo_list, name="expo_list"),
    path("new/", views_manage.expo_create, name="expo_create"),
    path("my/", views.my_showcases, name="mine"),
    path("<int:pk>/", views.expo_detail, name="expo_detail"),
    path("<int:pk>/edit/", views_manage.expo_edit, name="expo_edit"),
    path("<int:pk>/halls/new/", views_manage.hall_create, name="hall_create"),
    path("halls/<int:pk>/edit/", views_manage.hall_edit, name="hall_edit"),
    path("<int:pk>/review/", views.expo_review, name="expo_review"),
    path("<int:pk>/release-decisions/", views.expo_release, name="expo_release"),
    path("<int:pk>/apply/", views.showcase_apply, name="apply"),
    path("showcases/<int:pk>/review/", views.showcase_review, name="showcase_review"),
]
