"""Querysets that scope every read of the grants app to what a user may reach.

- municipal administrators and consultants: every pool, grant and submitted application
  of their municipality (a daycare's drafts stay its own);
- leaders and digital ambassadors: the published pools of their municipality;
- anyone with a role in a daycare: that daycare's applications and grants are found
  (whether the role may open them is permissions.py's question: 403, not 404).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Exists, OuterRef

# The daycare roles that work with the daycare's money.
GRANT_ROLES = ("leader", "ambassador")


def _membership_model():
    from institutions.models import Membership

    return Membership


def _municipal_role_model():
    from institutions.models import MunicipalRole

    return MunicipalRole


class PoolQuerySet(models.QuerySet):
    def published(self) -> PoolQuerySet:
        return self.filter(published_at__isnull=False)

    def visible_to(self, user) -> PoolQuerySet:
        if not user.is_authenticated:
            return self.none()
        Membership = _membership_model()
        MunicipalRole = _municipal_role_model()
        return self.filter(
            Exists(MunicipalRole.objects.filter(user=user, municipality=OuterRef("municipality")))
            | (
                Exists(
                    Membership.objects.filter(
                        user=user,
                        institution__municipality=OuterRef("municipality"),
                        role__in=GRANT_ROLES,
                    )
                )
                & models.Q(published_at__isnull=False)
            )
        )


class ApplicationQuerySet(models.QuerySet):
    def visible_to(self, user) -> ApplicationQuerySet:
        if not user.is_authenticated:
            return self.none()
        Membership = _membership_model()
        MunicipalRole = _municipal_role_model()
        return self.filter(
            (
                Exists(
                    MunicipalRole.objects.filter(
                        user=user, municipality=OuterRef("institution__municipality")
                    )
                )
                & ~models.Q(state="draft")
            )
            | Exists(Membership.objects.filter(user=user, institution=OuterRef("institution")))
        )


class GrantQuerySet(models.QuerySet):
    def visible_to(self, user) -> GrantQuerySet:
        if not user.is_authenticated:
            return self.none()
        Membership = _membership_model()
        MunicipalRole = _municipal_role_model()
        return self.filter(
            Exists(
                MunicipalRole.objects.filter(
                    user=user, municipality=OuterRef("institution__municipality")
                )
            )
            | Exists(Membership.objects.filter(user=user, institution=OuterRef("institution")))
        )
