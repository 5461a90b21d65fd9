"""Subsidy pages under /subsidies/ (namespace `subsidies`)."""

from django.urls import path

from . import views

app_name = "subsidies"

urlpatterns = [
    path("", views.my_subsidies, name="mine"),
    path("programs/", views.program_list, name="program_list"),
    path("programs/new/", views.program_create, name="program_create"),
    path("programs/<int:pk>/", views.program_detail, name="program_detail"),
    path("programs/<int:pk>/edit/", views.program_edit, name="program_edit"),
    path("awards/", views.award_list, name="award_list"),
    path("awards.csv", views.award_export_csv, name="award_export"),
    path("awards/<int:pk>/", views.award_detail, name="award_detail"),
    path("awards/<int:pk>/cancel/", views.award_cancel, name="award_cancel"),
    path("disbursements/<int:pk>/pay/", views.disbursement_pay, name="disbursement_pay"),
    path("overdue/", views.overdue, name="overdue"),
    path("register/", views.register, name="register"),
    path("register.csv", views.register_csv, name="register_csv"),
]
