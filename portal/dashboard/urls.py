from django.urls import path

from . import views

app_name = "indicators"

urlpatterns = [
    path(
        "kommune/<int:municipality_id>/indikatorer/",
        views.municipality_indicators,
        name="municipality",
    ),
    path(
        "kommune/<int:municipality_id>/indikatorer/eksport.csv",
        views.export_csv,
        name="export_csv",
    ),
    path(
        "kommune/<int:municipality_id>/indikatorer/eksport.xlsx",
        views.export_xlsx,
        name="export_xlsx",
    ),
    path(
        "kommune/<int:municipality_id>/indikatorer/<str:code>/",
        views.indicator,
        name="indicator",
    ),
    path("institutioner/<int:pk>/indikatorer/", views.institution_indicators, name="institution"),
]
