import logging

from django.apps import AppConfig
from django.conf import settings
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger("portal")


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self) -> None:
        # Each app contributes compliance indicators and shell entries (navigation,
        # home page cards) from its own indicators.py and shell.py.
        autodiscover_modules("indicators")
        autodiscover_modules("shell")
        if settings.CELERY_TASK_ALWAYS_EAGER and not getattr(settings, "TEST_REDIS_URL", ""):
            logger.warning("REDIS_URL is not set: background tasks run inline in the web process.")
