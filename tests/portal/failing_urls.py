"""The portal's URLs and one page that fails, to see the 500 page a person gets."""

from django.urls import path

from portal.urls import handler500, urlpatterns  # noqa: F401


def fails(request):
    raise RuntimeError("a bug in a view")


urlpatterns = [*urlpatterns, path("fejler/", fails)]
