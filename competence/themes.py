"""Tags for shared experiences: the curriculum themes and the age groups.

The curriculum themes are the ground floor's codes (core.curriculum.Theme), so a shared
experience, a post to parents and a local goal name a theme the same way.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.curriculum import Theme

__all__ = ["AgeGroup", "Theme"]


class AgeGroup(models.TextChoices):
    NURSERY = "0_2", _("0–2 years")
    KINDERGARTEN = "3_5", _("3–5 years")
    ALL = "0_5", _("0–5 years")
    SCHOOL = "6_plus", _("6 years and over")
