from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("mine-data/", views.my_data, name="my_data"),
    path("mine-data/hent/", views.download, name="download"),
]
