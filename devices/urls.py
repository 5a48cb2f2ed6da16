from django.urls import path

from . import views

app_name = "devices"

urlpatterns = [
    # A daycare's devices and Wi-Fi
    path("institutioner/<int:pk>/udstyr/", views.institution_devices, name="institution"),
    path("institutioner/<int:pk>/udstyr/ny/", views.device_create, name="device_create"),
    path("institutioner/<int:pk>/udstyr/import/", views.device_import, name="import"),
    path(
        "institutioner/<int:pk>/udstyr/import/skabelon.csv",
        views.import_template,
        name="import_template",
    ),
    path(
        "institutioner/<int:pk>/udstyr/eksport.<str:fmt>",
        views.device_export,
        name="export",
    ),
    path("institutioner/<int:pk>/udstyr/etiketter/", views.device_labels, name="labels"),
    path("udstyr/<int:pk>/", views.device_detail, name="device"),
    path("udstyr/<int:pk>/rediger/", views.device_edit, name="device_edit"),
    path("institutioner/<int:pk>/wifi/", views.wifi, name="wifi"),
    path("institutioner/<int:pk>/wifi/ny/", views.wifi_create, name="wifi_create"),
    path("wifi/<int:pk>/rediger/", views.wifi_edit, name="wifi_edit"),
    path("kommune/<int:municipality_id>/udstyr/", views.municipality_overview, name="municipality"),
    # Digital suitcases
    path("kommune/<int:municipality_id>/kufferter/", views.suitcases, name="suitcases"),
    path(
        "kommune/<int:municipality_id>/kufferter/ny/",
        views.suitcase_create,
        name="suitcase_create",
    ),
    path("kommune/<int:municipality_id>/kufferter/lukkedage/", views.closures, name="closures"),
    path(
        "kommune/<int:municipality_id>/kufferter/lukkedage/<int:closure_id>/slet/",
        views.closure_delete,
        name="closure_delete",
    ),
    path("kufferter/<int:pk>/", views.suitcase_detail, name="suitcase"),
    path("kufferter/<int:pk>/rediger/", views.suitcase_edit, name="suitcase_edit"),
    path("kufferter/<int:pk>/fotos/", views.suitcase_photo_add, name="suitcase_photo_add"),
    path("kufferter/<int:pk>/fotos/<int:photo_id>/", views.suitcase_photo, name="suitcase_photo"),
    path("kufferter/<int:pk>/kalender/", views.suitcase_calendar, name="suitcase_calendar"),
    path("kufferter/<int:pk>/book/", views.booking_create, name="booking_create"),
    path("kufferter/<int:pk>/venteliste/", views.waiting_join, name="waiting_join"),
    path("venteliste/<int:pk>/svar/", views.offer_answer, name="offer_answer"),
    path(
        "institutioner/<int:pk>/kufferter/",
        views.institution_calendar,
        name="institution_calendar",
    ),
    path("kuffertbookinger/<int:pk>/", views.booking_detail, name="booking"),
    path("kuffertbookinger/<int:pk>/annuller/", views.booking_cancel, name="booking_cancel"),
    path("kuffertbookinger/<int:pk>/udlevering/", views.booking_hand_over, name="hand_over"),
    path("kuffertbookinger/<int:pk>/aflevering/", views.booking_return, name="return"),
    # Rotation plans
    path("kommune/<int:municipality_id>/rotationsplaner/", views.plans, name="plans"),
    path(
        "kommune/<int:municipality_id>/rotationsplaner/ny/",
        views.plan_create,
        name="plan_create",
    ),
    path("rotationsplaner/<int:pk>/", views.plan_detail, name="plan"),
    path("rotationsplaner/<int:pk>/generer/", views.plan_generate, name="plan_generate"),
    path("rotationsplaner/<int:pk>/tur/<int:slot_id>/", views.plan_slot, name="plan_slot"),
    path("rotationsplaner/<int:pk>/offentliggoer/", views.plan_publish, name="plan_publish"),
    # Central purchase programmes
    path("kommune/<int:municipality_id>/indkoeb/", views.programmes, name="programmes"),
    path(
        "kommune/<int:municipality_id>/indkoeb/ny/",
        views.programme_create,
        name="programme_create",
    ),
    path("indkoeb/<int:pk>/", views.programme_detail, name="programme"),
    path(
        "indkoeb/<int:pk>/fordeling/<int:line_id>/udlever/",
        views.programme_distribute,
        name="programme_distribute",
    ),
]
