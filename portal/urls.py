from django.contrib import admin
from django.urls import include, path

from privacy import views as privacy_views

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("sprog/", views.set_language, name="set_language"),
    path("tilgaengelighed/", views.accessibility, name="accessibility"),
    path("privatliv/", privacy_views.overview, name="privacy"),
    path("konto/", include("accounts.urls")),
    path("konto/", include("allauth.urls")),
    path("", include("institutions.urls")),
    path("", include("messaging.urls")),
    path("", include("goals.urls")),
    path("", include("competence.urls")),
    path("", include("devices.urls")),
    path("", include("grants.urls")),
    path("", include("admissions.urls")),
    path("", include("wellbeing.urls")),
    path("", include("privacy.urls")),
    path("", include("portal.dashboard.urls")),
    path("", include("portal.reports.urls")),
    path("teknisk-admin/", admin.site.urls),
]

handler500 = "portal.views.server_error"
# Uploaded files have no public address, not even on the development server: each is
# served by its app's view, after the same access check as the page that links to it.
