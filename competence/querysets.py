"""Querysets that scope every read of the competence app to what a user may reach.

Competence development is shared across the daycares of one municipality: the
municipality's administrators and consultants, and everyone who works in one of its
daycares (leaders, ambassadors, staff, childminders), see its events, networks and
shared experiences. Guardians and board members do not: this is the staff's own forum.
Never across municipalities. Competence plans belong to one daycare: its staff and the
municipality see them.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Exists, OuterRef, Q

from institutions.models import Membership, MunicipalRole
from institutions.querysets import STAFF_ROLES


def colleagues_of_municipality(user, field: str) -> Q:
    """A condition: the municipality at `field` is one where `user` works (any staff role in
    one of its institutions, or a municipal role)."""
    return Q(Exists(MunicipalRole.objects.filter(user=user, municipality=OuterRef(field)))) | Q(
        Exists(
            Membership.objects.filter(
                user=user, institution__municipality=OuterRef(field), role__in=STAFF_ROLES
            )
        )
    )


class _MunicipalScoped(models.QuerySet):
    municipality_field = "municipality"

    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(colleagues_of_municipality(user, self.municipality_field))


class EventQuerySet(_MunicipalScoped):
    pass


class RegistrationQuerySet(_MunicipalScoped):
    municipality_field = "event__municipality"

    def active(self):
        return self.filter(status__in=("confirmed", "waiting"))


class NetworkQuerySet(_MunicipalScoped):
    pass


class MeetingQuerySet(_MunicipalScoped):
    municipality_field = "network__municipality"


class PostQuerySet(_MunicipalScoped):
    municipality_field = "institution__municipality"


class CompetencePlanQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
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
