"""Pages of room bookings and charges under /rooms/ (namespace `room_bookings`)."""

from django.urls import path

from . import booking_views as views

app_name = "room_bookings"

urlpatterns = [
    path("", views.room_bookings, name="mine"),
    path("<int:pk>/cancel/", views.booking_cancel, name="cancel"),
    path("charges/", views.charges_mine, name="charges"),
    path("<int:pk>/week/", views.room_week, name="week"),
    path("sites/<int:pk>/week/", views.site_week, name="site_week"),
]
