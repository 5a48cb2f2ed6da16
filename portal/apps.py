from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self) -> None:
        # Each app contributes compliance indicators, shell entries (navigation, home
        # page cards) and sections of the institution report from its own
        # indicators.py, shell.py and reports.py.
        autodiscover_modules("indicators")
        autodiscover_modules("shell")
        autodiscover_modules("reports")
