from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompetenceConfig(AppConfig):
    name = "competence"
    verbose_name = _("Competence development")

    def ready(self) -> None:
        # Registers the iCalendar attachments of event and meeting e-mails.
        from . import notifications  # noqa: F401
