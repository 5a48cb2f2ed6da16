from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("mine-data/", views.my_data, name="my_data"),
    path("mine-data/hent/", views.download, name="download"),
    path("privatliv/<int:municipality_id>/", views.notice, name="notice"),
    path("privatliv/<int:municipality_id>/laest/", views.notice_read, name="notice_read"),
    path("kommune/<int:municipality_id>/privatlivspolitik/", views.notice_edit, name="notice_edit"),
]
