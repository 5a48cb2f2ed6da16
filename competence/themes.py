"""Tags for shared experiences: the curriculum themes and the age groups.

The goals app will own the versioned lookup of curriculum themes (2004 and 2018 names);
until it exists on this branch, posts store the six 2018 themes as codes from this list.
The codes are stable, so a later migration can map them to the goals lookup.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Theme(models.TextChoices):
    """The pedagogical curriculum's six themes (læreplanstemaer), 2018 names."""

    PERSONAL = "personal", _("All-round personal development")
    SOCIAL = "social", _("Social development")
    LANGUAGE = "language", _("Communication and language")
    BODY = "body", _("Body, senses and movement")
    NATURE = "nature", _("Nature, outdoor life and science")
    CULTURE = "culture", _("Culture, aesthetics and community")


class AgeGroup(models.TextChoices):
    NURSERY = "0_2", _("0–2 years")
    KINDERGARTEN = "3_5", _("3–5 years")
    ALL = "0_5", _("0–5 years")
    SCHOOL = "6_plus", _("6 years and over")
