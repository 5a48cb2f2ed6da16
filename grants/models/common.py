"""What every part of the money uses: the earmarks and the checks on amounts."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from institutions.models import Institution


class Earmark(models.TextChoices):
    """What money may be spent on. A fixed list: the earmark rules of a share (Wi-Fi first
    where a daycare has none) refer to these by code."""

    WIFI = "wifi", _("Wi-Fi")
    DEVICES = "devices", _("Tablets and PCs")
    LEARNING_MATERIALS = "learning_materials", _("Digital learning materials")
    SUITCASES = "suitcases", _("Digital suitcases")
    COMPETENCE = "competence", _("Courses and competence development")


EARMARK_VALUES = [value for value, _label in Earmark.choices]
DAYCARE_KIND_VALUES = [str(kind) for kind in Institution.DAYCARE_KINDS]


def _non_negative(*names: str, prefix: str) -> list[models.CheckConstraint]:
    return [
        models.CheckConstraint(condition=Q(**{f"{name}__gte": 0}), name=f"{prefix}_{name}_gte_0")
        for name in names
    ]
