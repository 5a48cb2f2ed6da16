"""Who reaches what in the children's own voice. Outside these scopes: 404.

- A group's questionnaire, its children's pictures, its results and its relations map:
  the group's own staff (a staff role in the daycare with the group among their groups,
  or the group's childminder) and the daycare's leader. Nobody else: not colleagues of
  other groups, not the ambassador as such, not parents, not the municipality.
- The daycare's rolled-up results and its children's environment assessment: the
  daycare's staff roles and the municipality's administrators and consultants.
- The questions: the municipality's administrators and consultants, and anyone who runs
  the questionnaire in one of its daycares (to play the sound).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Exists, OuterRef, Q

STAFF_ROLES = ("leader", "ambassador", "staff", "childminder")


def _membership():
    from institutions.models import Membership

    return Membership


def _municipal_role():
    from institutions.models import MunicipalRole

    return MunicipalRole


def group_staff_q(user) -> Q:
    """A Q on Group that holds where `user` is the group's staff or its daycare's leader."""
    Membership = _membership()
    return (
        Exists(
            Membership.objects.filter(user=user, institution=OuterRef("institution"), role="leader")
        )
        | Exists(
            Membership.objects.filter(
                user=user,
                institution=OuterRef("institution"),
                role__in=STAFF_ROLES,
                groups=OuterRef("pk"),
            )
        )
        | Q(childminder=user)
    )


def wellbeing_groups(user):
    """The groups whose questionnaire and relations `user` may open."""
    from institutions.models import Group

    if not user.is_authenticated:
        return Group.objects.none()
    return Group.objects.filter(group_staff_q(user), is_active=True)


class QuestionQuerySet(models.QuerySet):
    def active(self) -> QuestionQuerySet:
        return self.filter(is_active=True)

    def visible_to(self, user) -> QuestionQuerySet:
        if not user.is_authenticated:
            return self.none()
        Membership = _membership()
        MunicipalRole = _municipal_role()
        return self.filter(
            Exists(MunicipalRole.objects.filter(user=user, municipality=OuterRef("municipality")))
            | Exists(
                Membership.objects.filter(
                    user=user,
                    institution__municipality=OuterRef("municipality"),
                    role__in=STAFF_ROLES,
                )
            )
        )


class PseudonymQuerySet(models.QuerySet):
    def visible_to(self, user) -> PseudonymQuerySet:
        if not user.is_authenticated:
            return self.none()
        return self.filter(group__in=wellbeing_groups(user))


class SessionQuerySet(models.QuerySet):
    def open(self) -> SessionQuerySet:
        return self.filter(closed_at__isnull=True)

    def visible_to(self, user) -> SessionQuerySet:
        if not user.is_authenticated:
            return self.none()
        return self.filter(group__in=wellbeing_groups(user))


class AssessmentQuerySet(models.QuerySet):
    def visible_to(self, user) -> AssessmentQuerySet:
        if not user.is_authenticated:
            return self.none()
        Membership = _membership()
        MunicipalRole = _municipal_role()
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


def wellbeing_institutions(user):
    """Daycares whose rolled-up results and assessment `user` may open."""
    from institutions.models import Institution

    if not user.is_authenticated:
        return Institution.objects.none()
    Membership = _membership()
    MunicipalRole = _municipal_role()
    return Institution.objects.filter(
        Exists(MunicipalRole.objects.filter(user=user, municipality=OuterRef("municipality")))
        | Exists(
            Membership.objects.filter(user=user, institution=OuterRef("pk"), role__in=STAFF_ROLES)
        )
    )
