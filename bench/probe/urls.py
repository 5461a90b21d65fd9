from django.urls import path

from .api import ProbeInsertView, ProbeListView

urlpatterns = [
    path("insert/", ProbeInsertView.as_view()),
    path("list/", ProbeListView.as_view()),
]
