from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    name = "outbox"
    verbose_name = _("Task outbox")

    def ready(self) -> None:
        from core import queue

        from .relay import store

        queue.use_outbox(store)
