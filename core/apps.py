"""The ground floor: what every app uses. `core` imports no other app of the project."""

from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        # Each app contributes compliance indicators, shell entries (navigation, home
        # page cards) and sections of the institution report from its own
        # indicators.py, shell.py and reports.py; the registries are here, so is the
        # discovery.
        autodiscover_modules("indicators")
        autodiscover_modules("shell")
        autodiscover_modules("reports")
        # Where two areas meet without importing each other (core/purchases.py).
        autodiscover_modules("purchases")
        autodiscover_modules("plans")
        from django.contrib.auth.signals import user_logged_in

        from . import health, observability

        # Log lines carry the request id, user and municipality, into tasks too.
        user_logged_in.connect(observability.remember_municipality, weak=False)
        observability.connect_celery_signals()
        # Workers report a heartbeat for the readiness check and their health check.
        health.connect_worker_signals()
