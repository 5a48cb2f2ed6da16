"""The six curriculum themes (læreplanstemaer) of 2004 and of 2018, mapped by code.

This module holds only data and a function that takes the model class, so the data
migration (with the historical model) and the demo (with the real one) share it. It is on
the ground floor because goals, shared experiences and posts to parents all name a theme
by the same code, and those apps do not import each other.
"""

from __future__ import annotations

from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy as _

THEMES = [
    # code, 2004 name, 2018 name
    (
        "personal_development",
        "Barnets alsidige personlige udvikling",
        "Alsidig personlig udvikling",
    ),
    ("social", "Sociale kompetencer", "Social udvikling"),
    ("language", "Sprog", "Kommunikation og sprog"),
    ("body", "Krop og bevægelse", "Krop, sanser og bevægelse"),
    ("nature", "Naturen og naturfænomener", "Natur, udeliv og science"),
    ("culture", "Kulturelle udtryksformer og værdier", "Kultur, æstetik og fællesskab"),
]


class Theme(models.TextChoices):
    """The six themes by the codes above, named as in 2018, for apps that tag things with
    themes (posts to parents, shared experiences) without the versioned lookup."""

    PERSONAL = "personal_development", _("All-round personal development")
    SOCIAL = "social", _("Social development")
    LANGUAGE = "language", _("Communication and language")
    BODY = "body", _("Body, senses and movement")
    NATURE = "nature", _("Nature, outdoor life and science")
    CULTURE = "culture", _("Culture, aesthetics and community")


# The 2004 act on pedagogical curricula took effect 1 August 2004; the strengthened
# curriculum of the 2018 act on 1 July 2018.
IN_FORCE = {2004: date(2004, 8, 1), 2018: date(2018, 7, 1)}


def ensure_themes(theme_model) -> None:
    """Create or correct the twelve rows; a no-op when they are in place."""
    if theme_model.objects.filter(code__in=[c for c, _old, _new in THEMES]).count() == 12:
        return
    for position, (code, name_2004, name_2018) in enumerate(THEMES, start=1):
        for version, name in ((2004, name_2004), (2018, name_2018)):
            theme_model.objects.update_or_create(
                version=version,
                code=code,
                defaults={"name": name, "position": position, "in_force_from": IN_FORCE[version]},
            )
