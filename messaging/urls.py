from django.urls import path

from . import views

app_name = "messaging"

urlpatterns = [
    path("notifikationer/", views.notifications, name="notifications"),
    path("notifikationer/<int:pk>/", views.notification_open, name="notification_open"),
    path("notifikationer/laest/", views.notifications_read_all, name="notifications_read_all"),
]
