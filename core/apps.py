from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from . import health, observability

        # Log lines carry the request id, user and municipality, into tasks too.
        user_logged_in.connect(observability.remember_municipality, weak=False)
        observability.connect_celery_signals()
        # Workers report a heartbeat for the readiness check and their health check.
        health.connect_worker_signals()
