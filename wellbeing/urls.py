from django.urls import path

from . import views

app_name = "wellbeing"

DAYCARE = "institutioner/<int:pk>/trivsel/"
GROUP = "trivsel/grupper/<int:pk>/"
TABLET = "trivsel/tablet/"
MUNICIPALITY = "kommune/<int:municipality_id>/trivsel/"

urlpatterns = [
    # The municipality: questions and results
    path(MUNICIPALITY, views.municipality_results, name="municipality"),
    path(MUNICIPALITY + "spoergsmaal/", views.questions, name="questions"),
    path(MUNICIPALITY + "spoergsmaal/nyt/", views.question_create, name="question_create"),
    path(
        MUNICIPALITY + "spoergsmaal/standard/",
        views.questions_take_defaults,
        name="questions_take_defaults",
    ),
    path(
        MUNICIPALITY + "spoergsmaal/<int:question_id>/rediger/",
        views.question_edit,
        name="question_edit",
    ),
    path("trivsel/spoergsmaal/<int:pk>/lyd/", views.question_audio, name="question_audio"),
    # The daycare
    path(DAYCARE, views.institution_overview, name="institution"),
    path(DAYCARE + "boernemiljoe/", views.assessment, name="assessment"),
    path(DAYCARE + "boernemiljoe/<int:year>.pdf", views.assessment_pdf, name="assessment_pdf"),
    # A group
    path(GROUP, views.group_detail, name="group"),
    path(GROUP + "start/", views.session_start, name="session_start"),
    path(GROUP + "billeder/", views.pictures, name="pictures"),
    path(GROUP + "billeder/nye/", views.pictures_give, name="pictures_give"),
    path(GROUP + "relationer/", views.relations, name="relations"),
    # The tablet
    path(TABLET + "<int:pk>/", views.tablet, name="tablet"),
    path(TABLET + "<int:pk>/barn/<int:pseudonym_id>/", views.response_begin, name="begin"),
    path(TABLET + "<int:pk>/afslut/", views.session_close, name="session_close"),
    path(TABLET + "svar/<int:pk>/", views.question, name="question"),
    path(TABLET + "svar/<int:pk>/<int:question_id>/", views.answer, name="answer"),
    path(TABLET + "svar/<int:pk>/tak/", views.thanks, name="thanks"),
]
