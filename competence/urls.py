from django.urls import path

from . import views

app_name = "competence"

M = "kommune/<int:municipality_id>/"
EVENT = "kompetence/arrangementer/<int:pk>/"
NETWORK = "kompetence/netvaerk/<int:pk>/"
MEETING = "kompetence/moeder/<int:pk>/"
PLAN = "institutioner/<int:pk>/kompetenceplan/<int:year>/"
POST = "videndeling/<int:pk>/"

urlpatterns = [
    # The municipality's competence pages
    path(f"{M}kompetence/", views.overview, name="overview"),
    path(f"{M}kompetence/ambassadoerer/", views.ambassadors, name="ambassadors"),
    path(f"{M}kompetence/planer/", views.plans, name="plans"),
    path(f"{M}kompetence/arrangementer/", views.events, name="events"),
    path(f"{M}kompetence/arrangementer/nyt/", views.event_create, name="event_create"),
    path(f"{M}kompetence/netvaerk/", views.networks, name="networks"),
    path(f"{M}kompetence/netvaerk/nyt/", views.network_create, name="network_create"),
    path(f"{M}videndeling/", views.posts, name="posts"),
    path(f"{M}videndeling/ny/", views.post_create, name="post_create"),
    # Competence plans
    path("institutioner/<int:pk>/kompetenceplan/", views.plan_current, name="plan_current"),
    path(PLAN, views.plan, name="plan"),
    path(f"{PLAN}rediger/", views.plan_edit, name="plan_edit"),
    path(f"{PLAN}aktiviteter/ny/", views.activity_create, name="activity_create"),
    path(f"{PLAN}aktiviteter/<int:activity_id>/", views.activity_edit, name="activity_edit"),
    path(
        f"{PLAN}aktiviteter/<int:activity_id>/slet/",
        views.activity_delete,
        name="activity_delete",
    ),
    # Events
    path(EVENT, views.event_detail, name="event"),
    path(f"{EVENT}rediger/", views.event_edit, name="event_edit"),
    path(f"{EVENT}tilmeld/", views.event_register, name="event_register"),
    path(
        f"{EVENT}tilmeldinger/<int:registration_id>/afmeld/",
        views.registration_cancel,
        name="registration_cancel",
    ),
    path(f"{EVENT}tilmeldinger/", views.event_registrations, name="event_registrations"),
    path(f"{EVENT}inviter/", views.event_invite, name="event_invite"),
    path(f"{EVENT}indtjekning/", views.event_checkin, name="event_checkin"),
    path(
        f"{EVENT}indtjekning/<int:registration_id>/",
        views.event_checkin_toggle,
        name="event_checkin_toggle",
    ),
    path(f"{EVENT}kalender.ics", views.event_ics, name="event_ics"),
    # Networks and meetings
    path(NETWORK, views.network_detail, name="network"),
    path(f"{NETWORK}rediger/", views.network_edit, name="network_edit"),
    path(f"{NETWORK}planlaeg/", views.network_generate, name="network_generate"),
    path(MEETING, views.meeting_detail, name="meeting"),
    path(f"{MEETING}rediger/", views.meeting_edit, name="meeting_edit"),
    path(f"{MEETING}referat/", views.meeting_minutes, name="meeting_minutes"),
    path(f"{MEETING}fremmoede/", views.meeting_attendance, name="meeting_attendance"),
    path(f"{MEETING}filer/<int:file_id>/", views.meeting_file, name="meeting_file"),
    # The personal calendar feed
    path("kalender/", views.calendar_page, name="calendar"),
    path("kalender/tilbagekald/", views.calendar_revoke, name="calendar_revoke"),
    path("kalender/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
    # Knowledge sharing
    path(POST, views.post_detail, name="post"),
    path(f"{POST}rediger/", views.post_edit, name="post_edit"),
    path(f"{POST}slet/", views.post_delete, name="post_delete"),
    path(f"{POST}nyttig/", views.post_useful, name="post_useful"),
    path(f"{POST}kommentarer/", views.comment_create, name="comment_create"),
    path(
        f"{POST}kommentarer/<int:comment_id>/slet/",
        views.comment_delete,
        name="comment_delete",
    ),
    path(f"{POST}filer/<int:file_id>/", views.post_file, name="post_file"),
]
