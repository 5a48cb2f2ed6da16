from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdmissionsConfig(AppConfig):
    name = "admissions"
    verbose_name = _("Place allocation")

    def ready(self) -> None:
        # The PDF letter rides along with each step's e-mail (core/attachments.py).
        from . import notifications  # noqa: F401
