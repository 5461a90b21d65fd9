"""The JSON API under /api/v1/: one router for every app's viewsets."""
from django.urls import path
from rest_framework.routers import DefaultRouter

from accounts import api as accounts_api
from startups import api as startups_api

router = DefaultRouter()
router.register("users", accounts_api.UserViewSet, basename="user")
router.register("departments", accounts_api.DepartmentViewSet, basename="department")
router.register("startups", startups_api.StartupViewSet, basename="startup")

urlpatterns = [
    path("auth/token/", accounts_api.TokenView.as_view(), name="api-token"),
    path("auth/register/", accounts_api.RegisterView.as_view(), name="api-register"),
    path("me/", accounts_api.MeView.as_view(), name="api-me"),
    *router.urls,
]
