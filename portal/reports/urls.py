from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path(
        "kommune/<int:municipality_id>/rapporter/",
        views.municipality_reports,
        name="municipality",
    ),
    path(
        "kommune/<int:municipality_id>/rapporter/bestil/",
        views.municipality_report_request,
        name="municipality_request",
    ),
    path("institutioner/<int:pk>/rapporter/", views.institution_reports, name="institution"),
    path(
        "institutioner/<int:pk>/rapporter/bestil/",
        views.institution_report_request,
        name="institution_request",
    ),
    path("rapporter/<int:pk>/", views.report_detail, name="detail"),
    path("rapporter/<int:pk>/status/", views.report_status, name="status"),
    path("rapporter/<int:pk>/hent/", views.report_download, name="download"),
]
