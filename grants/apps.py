from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GrantsConfig(AppConfig):
    name = "grants"
    verbose_name = _("Grant pools")

    def ready(self) -> None:
        from . import notifications  # noqa: F401  (the decision letter attached to e-mails)
