"""Querysets that scope every read to what a user may reach.

A view never fetches a tenant object by bare id: it goes through `visible_to(user)`,
so an object outside the user's reach is simply not found (404). Whether a visible
object may be changed is a separate question, answered in permissions.py (403).

Who reaches what:
- municipal administrators and consultants: their municipality's institutions, groups
  and memberships, but not individual children (the municipality works with counts);
- leaders, ambassadors, staff and childminders: their own institution, its groups,
  colleagues and children;
- board members: their institution (its goals and discussions), not its children;
- guardians: their own children, their groups and institutions.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Exists, OuterRef

# Roles that work with children every day. Board members are parents with a seat on
# the board: they read goals, not the children register.
STAFF_ROLES = ("leader", "ambassador", "staff", "childminder")


def _membership_model():
    from .models import Membership

    return Membership


def _municipal_role_model():
    from .models import MunicipalRole

    return MunicipalRole


def _guardianship_model():
    from .models import Guardianship

    return Guardianship


class MunicipalityQuerySet(models.QuerySet):
    def visible_to(self, user) -> MunicipalityQuerySet:
        if not user.is_authenticated:
            return self.none()
        Membership = _membership_model()
        MunicipalRole = _municipal_role_model()
        Guardianship = _guardianship_model()
        return self.filter(
            Exists(MunicipalRole.objects.filter(user=user, municipality=OuterRef("pk")))
            | Exists(Membership.objects.filter(user=user, institution__municipality=OuterRef("pk")))
            | Exists(
                Guardianship.objects.filter(
                    guardian=user, child__group__institution__municipality=OuterRef("pk")
                )
            )
        )

    def administered_by(self, user) -> MunicipalityQuerySet:
        if not user.is_authenticated:
            return self.none()
        return self.filter(roles__user=user, roles__role="administrator").distinct()


class InstitutionQuerySet(models.QuerySet):
    def daycares(self) -> InstitutionQuerySet:
        from .models import Institution

        return self.filter(kind__in=Institution.DAYCARE_KINDS, is_active=True)

    def visible_to(self, user) -> InstitutionQuerySet:
        if not user.is_authenticated:
            return self.none()
        Membership = _membership_model()
        MunicipalRole = _municipal_role_model()
        Guardianship = _guardianship_model()
        return self.filter(
            Exists(MunicipalRole.objects.filter(user=user, municipality=OuterRef("municipality")))
            | Exists(Membership.objects.filter(user=user, institution=OuterRef("pk")))
            | Exists(
                Guardianship.objects.filter(
                    guardian=user, child__group__institution=OuterRef("pk"), child__left_on=None
                )
            )
        )


class GroupQuerySet(models.QuerySet):
    def visible_to(self, user) -> GroupQuerySet:
        if not user.is_authenticated:
            return self.none()
        Membership = _membership_model()
        MunicipalRole = _municipal_role_model()
        Guardianship = _guardianship_model()
        return self.filter(
            Exists(
                MunicipalRole.objects.filter(
                    user=user, municipality=OuterRef("institution__municipality")
                )
            )
            | Exists(
                Membership.objects.filter(
                    user=user, institution=OuterRef("institution"), role__in=STAFF_ROLES
                )
            )
            | Exists(
                Guardianship.objects.filter(
                    guardian=user, child__group=OuterRef("pk"), child__left_on=None
                )
            )
        )


class ChildQuerySet(models.QuerySet):
    def current(self) -> ChildQuerySet:
        return self.filter(left_on=None)

    def visible_to(self, user) -> ChildQuerySet:
        if not user.is_authenticated:
            return self.none()
        Membership = _membership_model()
        Guardianship = _guardianship_model()
        return self.filter(
            Exists(
                Membership.objects.filter(
                    user=user, institution=OuterRef("group__institution"), role__in=STAFF_ROLES
                )
            )
            | Exists(Guardianship.objects.filter(guardian=user, child=OuterRef("pk")))
        )


class MembershipQuerySet(models.QuerySet):
    def visible_to(self, user) -> MembershipQuerySet:
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
            | Exists(
                Membership.objects.filter(
                    user=user, institution=OuterRef("institution"), role__in=STAFF_ROLES
                )
            )
        )

    def ambassadors_besides_leader(self) -> MembershipQuerySet:
        """Ambassador memberships held by someone who is not also the leader there."""
        Membership = _membership_model()
        return self.filter(role="ambassador").exclude(
            Exists(
                Membership.objects.filter(
                    user=OuterRef("user"), institution=OuterRef("institution"), role="leader"
                )
            )
        )
