"""What every page's shell needs: navigation, the person and authority in the header,
the unread notification count. Everything is lazy, so pages that do not show a piece
do not pay for its query."""

from __future__ import annotations

from functools import cache

from django.utils.functional import SimpleLazyObject

from core.notifications import unread_count
from core.shell import nav_items
from institutions.selectors import roles_for


def _authority(user) -> str:
    roles = roles_for(user)
    municipalities = roles.municipalities() or sorted(
        {m.institution.municipality for m in roles.memberships}, key=lambda m: m.name
    )
    if municipalities:
        return municipalities[0].name
    if roles.is_guardian:
        from institutions.models import Municipality

        first = (
            Municipality.objects.filter(institutions__groups__children__guardians=user)
            .order_by("name")
            .first()
        )
        return first.name if first else ""
    return ""


def _role_summary(user) -> str:
    roles = roles_for(user)
    labels = [r.get_role_display() for r in roles.municipal_roles]
    labels += [f"{m.get_role_display()}, {m.institution.name}" for m in roles.memberships]
    return labels[0] if labels else ""


def shell(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": []}
    return {
        "nav": SimpleLazyObject(lambda: nav_items(request, roles_for(user))),
        "header_authority": SimpleLazyObject(lambda: _authority(user)),
        "header_role": SimpleLazyObject(lambda: _role_summary(user)),
        # A plain int, computed once when first used: plural forms need a real number.
        "unread_notifications": cache(lambda: unread_count(user)),
    }
