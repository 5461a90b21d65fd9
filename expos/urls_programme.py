"""The programme's pages under /expos/ (namespace `programme`)."""
from django.urls import path

from . import views_programme as views

app_name = "programme"

urlpatterns = [
    path("programmes/", views.index, name="index"),
    path("<int:pk>/programme/", views.programme_page, name="page"),
    path("<int:pk>/programme.ics", views.programme_ics, name="ics"),
    path("<int:pk>/programme/startups/<int:startup_pk>.ics", views.startup_ics, name="startup_ics"),
    path("<int:pk>/schedule/", views.schedule, name="schedule"),
    path("<int:pk>/schedule/run/", views.schedule_run, name="run"),
    path("schedule-runs/<int:pk>/", views.run_status, name="run_status"),
    path("showcase-slots/<int:pk>/move/", views.slot_move, name="move"),
    path("<int:pk>/releases/new/", views.release_create, name="release"),
    path("<int:pk>/outcomes/", views.outcomes, name="outcomes"),
    path("showcases/<int:pk>/programme/", views.showcase_programme, name="showcase"),
]
