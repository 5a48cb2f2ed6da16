from django.urls import path

from . import indicator_views

app_name = "indicators"

urlpatterns = [
    path(
        "kommune/<int:municipality_id>/indikatorer/",
        indicator_views.municipality_indicators,
        name="municipality",
    ),
]
