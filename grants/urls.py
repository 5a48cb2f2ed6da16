from django.urls import path

from . import views

app_name = "grants"

urlpatterns = [
    # The municipality's pools
    path("kommune/<int:municipality_id>/puljer/", views.municipality_pools, name="municipality"),
    path("kommune/<int:municipality_id>/puljer/ny/", views.pool_create, name="pool_create"),
    path(
        "kommune/<int:municipality_id>/puljer/eksport.xlsx",
        views.municipality_export,
        name="municipality_export",
    ),
    path("puljer/<int:pk>/", views.pool_detail, name="pool"),
    path("puljer/<int:pk>/rediger/", views.pool_edit, name="pool_edit"),
    path("puljer/<int:pk>/offentliggoer/", views.pool_publish, name="pool_publish"),
    path("puljer/<int:pk>/fordeling/", views.share_run, name="share_run"),
    path(
        "puljer/<int:pk>/fordeling/offentliggoer/",
        views.share_run_publish,
        name="share_run_publish",
    ),
    # A daycare's money
    path("institutioner/<int:pk>/tilskud/", views.institution_grants, name="institution"),
    path("institutioner/<int:pk>/tilskud/budget/", views.budget, name="budget"),
    path(
        "institutioner/<int:pk>/tilskud/budget/<int:line_id>/slet/",
        views.budget_line_delete,
        name="budget_line_delete",
    ),
    path(
        "institutioner/<int:pk>/tilskud/ansoeg/<int:pool_id>/",
        views.application_create,
        name="application_create",
    ),
    # Applications
    path("ansoegninger/<int:pk>/", views.application_detail, name="application"),
    path("ansoegninger/<int:pk>/rediger/", views.application_edit, name="application_edit"),
    path("ansoegninger/<int:pk>/indsend/", views.application_submit, name="application_submit"),
    path(
        "ansoegninger/<int:pk>/traek-tilbage/",
        views.application_withdraw,
        name="application_withdraw",
    ),
    path("ansoegninger/<int:pk>/behandl/", views.application_review, name="application_review"),
    path("ansoegninger/<int:pk>/kommentar/", views.application_comment, name="application_comment"),
    path(
        "ansoegninger/<int:pk>/aendringer/",
        views.application_request_changes,
        name="application_request_changes",
    ),
    path("ansoegninger/<int:pk>/afgoer/", views.application_decide, name="application_decide"),
    path("ansoegninger/<int:pk>/afgoerelse.pdf", views.decision_letter, name="decision_letter"),
    path("ansoegninger/<int:pk>/slutrapport/", views.application_report, name="application_report"),
    # Grants and expenses
    path("bevillinger/<int:pk>/", views.grant_detail, name="grant"),
    path("bevillinger/<int:pk>/luk/", views.grant_close, name="grant_close"),
    path(
        "bevillinger/<int:pk>/udgifter/<int:expense_id>/slet/",
        views.expense_delete,
        name="expense_delete",
    ),
    path(
        "bevillinger/<int:pk>/udgifter/<int:expense_id>/bilag/",
        views.expense_receipt,
        name="expense_receipt",
    ),
]
