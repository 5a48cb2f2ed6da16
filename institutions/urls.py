from django.urls import path

from . import views
from .onboarding import views as onboarding

app_name = "institutions"

urlpatterns = [
    path(
        "kommune/<int:municipality_id>/institutioner/",
        views.municipality_institutions,
        name="municipality",
    ),
    path(
        "kommune/<int:municipality_id>/institutioner/ny/", views.institution_create, name="create"
    ),
    path(
        "kommune/<int:municipality_id>/personale/",
        views.municipality_people,
        name="municipality_people",
    ),
    path(
        "kommune/<int:municipality_id>/personale/<int:role_id>/fjern/",
        views.municipal_role_remove,
        name="municipal_role_remove",
    ),
    path("kommune/<int:municipality_id>/breve/", views.letterhead_edit, name="letterhead"),
    path(
        "kommune/<int:municipality_id>/import/",
        views.municipality_import,
        name="municipality_import",
    ),
    path(
        "kommune/<int:municipality_id>/import/skabelon/<slug:kind>.csv",
        views.import_template,
        name="import_template",
    ),
    path(
        "kommune/<int:municipality_id>/projektmappe/",
        onboarding.workbook,
        name="workbook",
    ),
    path(
        "kommune/<int:municipality_id>/projektmappe/skabelon.xlsx",
        onboarding.workbook_template,
        name="workbook_template",
    ),
    path(
        "kommune/<int:municipality_id>/projektmappe/<int:workbook_id>/",
        onboarding.workbook_import,
        name="workbook_import",
    ),
    path(
        "kommune/<int:municipality_id>/projektmappe/<int:workbook_id>/importer/",
        onboarding.workbook_commit,
        name="workbook_commit",
    ),
    path(
        "kommune/<int:municipality_id>/projektmappe/<int:workbook_id>/status/",
        onboarding.workbook_progress,
        name="workbook_progress",
    ),
    path("institutioner/<int:pk>/", views.institution_detail, name="detail"),
    path("institutioner/<int:pk>/rediger/", views.institution_edit, name="edit"),
    path("institutioner/<int:pk>/grupper/ny/", views.group_create, name="group_create"),
    path("institutioner/<int:pk>/grupper/<int:group_id>/", views.group_edit, name="group_edit"),
    path("institutioner/<int:pk>/personale/", views.people, name="people"),
    path("institutioner/<int:pk>/personale/inviter/", views.invite, name="invite"),
    path(
        "institutioner/<int:pk>/personale/<int:membership_id>/fjern/",
        views.membership_remove,
        name="membership_remove",
    ),
    path(
        "institutioner/<int:pk>/invitationer/<int:invitation_id>/tilbagekald/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path("institutioner/<int:pk>/boern/", views.children, name="children"),
    path("institutioner/<int:pk>/boern/nyt/", views.child_create, name="child_create"),
    path("institutioner/<int:pk>/boern/<int:child_id>/", views.child_detail, name="child"),
    path("institutioner/<int:pk>/boernetal/", views.children_counts, name="counts"),
    path("invitation/<str:token>/", views.invitation_accept, name="invitation_accept"),
]
