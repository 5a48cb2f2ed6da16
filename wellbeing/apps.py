from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WellbeingConfig(AppConfig):
    name = "wellbeing"
    verbose_name = _("The children's own voice")
