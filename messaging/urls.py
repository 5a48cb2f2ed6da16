from django.urls import path

from . import views

app_name = "messaging"

urlpatterns = [
    path("notifikationer/", views.notifications, name="notifications"),
    path("notifikationer/<int:pk>/", views.notification_open, name="notification_open"),
    path("notifikationer/laest/", views.notifications_read_all, name="notifications_read_all"),
    path("indstillinger/notifikationer/", views.email_settings, name="email_settings"),
    # Posts
    path("opslag/", views.feed, name="feed"),
    path("opslag/<int:pk>/", views.post_detail, name="post"),
    path("opslag/<int:pk>/laest-af/", views.post_readers, name="post_readers"),
    path("opslag/<int:pk>/tilbagetraek/", views.post_withdraw, name="post_withdraw"),
    path("opslag/foto/<int:pk>/<slug:size>/", views.post_image, name="post_image"),
    path("opslag/fil/<int:pk>/", views.post_file, name="post_file"),
    path("fotosamtykke/", views.photo_consent, name="photo_consent"),
    path("institutioner/<int:pk>/opslag/", views.institution_posts, name="institution_posts"),
    path("institutioner/<int:pk>/opslag/nyt/", views.post_create, name="post_create"),
    path("kommune/<int:pk>/opslag/", views.municipality_posts, name="municipality_posts"),
    path(
        "kommune/<int:pk>/opslag/nyt/",
        views.municipality_post_create,
        name="municipality_post_create",
    ),
    # Conversations
    path("beskeder/", views.inbox, name="inbox"),
    path("beskeder/ny/", views.thread_start, name="thread_start"),
    path("beskeder/soeg/", views.search, name="search"),
    path("beskeder/<int:pk>/", views.thread_detail, name="thread"),
    path("beskeder/fil/<int:pk>/", views.message_file, name="message_file"),
    path("institutioner/<int:pk>/beskeder/", views.institution_inbox, name="institution_inbox"),
    path("institutioner/<int:pk>/beskeder/ny/", views.staff_compose, name="staff_compose"),
    path("institutioner/<int:pk>/lukkedage/", views.closures, name="closures"),
    path(
        "institutioner/<int:pk>/lukkedage/<int:closure_id>/slet/",
        views.closure_delete,
        name="closure_delete",
    ),
    path("institutioner/<int:pk>/forbindelse/", views.reach, name="reach"),
]
