"""The portal's URLs plus the benchmark's baseline page (PORTAL_BENCH=1 only)."""

from django.urls import path

from portal.urls import urlpatterns as portal_urlpatterns

from . import views

urlpatterns = [
    path("bench/baseline/", views.baseline, name="bench_baseline"),
    *portal_urlpatterns,
]
