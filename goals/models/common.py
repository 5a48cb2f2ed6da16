"""What the goals models share: the check that a text is not blank."""

from __future__ import annotations

from django.db.models import Q

NOT_BLANK = r"\S"


def _not_blank(field: str) -> Q:
    return Q(**{f"{field}__regex": NOT_BLANK})
