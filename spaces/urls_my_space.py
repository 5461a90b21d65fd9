"""The founders' page of their startups' space under /my-space/ (namespace `my_space`)."""

from django.urls import path

from . import views_my_space as views

app_name = "my_space"

urlpatterns = [
    path("", views.my_space, name="index"),
    path("requests/<int:pk>/accept/", views.offer_accept, name="accept"),
    path("requests/<int:pk>/decline/", views.offer_decline, name="decline"),
]
