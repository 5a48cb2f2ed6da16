from django.urls import path

from . import views

app_name = "admissions"

urlpatterns = [
    # Families
    path("pladsanvisning/", views.mine, name="mine"),
    path("pladsanvisning/opskriv/", views.signup_start, name="signup_start"),
    path(
        "pladsanvisning/opskriv/<int:municipality_id>/",
        views.signup_create,
        name="signup_create",
    ),
    path("pladsanvisning/opskrivninger/<int:pk>/", views.signup_detail, name="signup"),
    path(
        "pladsanvisning/opskrivninger/<int:pk>/oensker/",
        views.signup_wishes,
        name="signup_wishes",
    ),
    path(
        "pladsanvisning/opskrivninger/<int:pk>/udmeld/",
        views.signup_withdraw,
        name="signup_withdraw",
    ),
    path(
        "pladsanvisning/opskrivninger/<int:pk>/saerlige-behov/",
        views.signup_needs,
        name="signup_needs",
    ),
    path("pladsanvisning/tilbud/<int:pk>/accepter/", views.offer_accept, name="offer_accept"),
    path("pladsanvisning/tilbud/<int:pk>/afslaa/", views.offer_decline, name="offer_decline"),
    path("pladsanvisning/breve/<int:pk>/", views.letter, name="letter"),
    # The municipality
    path(
        "kommune/<int:municipality_id>/pladsanvisning/",
        views.municipality_overview,
        name="municipality",
    ),
    path("kommune/<int:municipality_id>/pladsanvisning/regler/", views.policy, name="policy"),
    path(
        "kommune/<int:municipality_id>/pladsanvisning/garanti/",
        views.guarantee,
        name="guarantee",
    ),
    path(
        "kommune/<int:municipality_id>/pladsanvisning/papir/",
        views.paper_signup,
        name="paper_signup",
    ),
    # A daycare
    path("institutioner/<int:pk>/venteliste/", views.waiting_list, name="waiting_list"),
    path(
        "institutioner/<int:pk>/venteliste/<int:signup_id>/tilbud/",
        views.offer_create,
        name="offer_create",
    ),
    path("institutioner/<int:pk>/pladser/", views.capacity, name="capacity"),
    path("institutioner/<int:pk>/skolestart/", views.moving_on, name="moving_on"),
]
