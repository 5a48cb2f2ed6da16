"""Querysets that scope every read of the devices app to what a user may reach.

- a daycare's devices and Wi-Fi: the people who work there (leader, ambassador, staff,
  childminders) and the municipality's administrators and consultants;
- suitcases: everyone who works in a daycare of the municipality, and the municipality;
- bookings and waiting-list entries: the borrowing daycare's staff, the staff of the
  suitcase's home base (they hand it over), and the municipality;
- rotation plans and purchase programmes: the municipality.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Exists, OuterRef

from institutions.querysets import STAFF_ROLES

# The daycare roles that register devices and book suitcases.
DEVICE_ROLES = ("leader", "ambassador")


def _membership():
    from institutions.models import Membership

    return Membership


def _municipal_role():
    from institutions.models import MunicipalRole

    return MunicipalRole


def _municipal(user, path: str):
    return Exists(_municipal_role().objects.filter(user=user, municipality=OuterRef(path)))


def _works_in(user, path: str):
    return Exists(
        _membership().objects.filter(user=user, institution=OuterRef(path), role__in=STAFF_ROLES)
    )


def _works_in_municipality(user, path: str):
    return Exists(
        _membership().objects.filter(
            user=user, institution__municipality=OuterRef(path), role__in=STAFF_ROLES
        )
    )


class _Scoped(models.QuerySet):
    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(self._scope(user))


class DeviceQuerySet(_Scoped):
    def _scope(self, user):
        return _municipal(user, "institution__municipality") | _works_in(user, "institution")

    def counted(self) -> DeviceQuerySet:
        """Working tablets and PCs: what the strategy's coverage counts."""
        from .models import COUNTED_KINDS, Device

        return self.filter(kind__in=COUNTED_KINDS, status__in=Device.WORKING)


class WifiSiteQuerySet(_Scoped):
    def _scope(self, user):
        return _municipal(user, "institution__municipality") | _works_in(user, "institution")


class SuitcaseQuerySet(_Scoped):
    def _scope(self, user):
        return _municipal(user, "municipality") | _works_in_municipality(user, "municipality")


class BookingQuerySet(_Scoped):
    def _scope(self, user):
        return (
            _municipal(user, "suitcase__municipality")
            | _works_in(user, "institution")
            | _works_in(user, "suitcase__home_base")
        )

    def holding(self) -> BookingQuerySet:
        return self.exclude(status="cancelled")


class WaitingQuerySet(_Scoped):
    def _scope(self, user):
        return _municipal(user, "suitcase__municipality") | _works_in(user, "institution")


class PlanQuerySet(_Scoped):
    def _scope(self, user):
        return _municipal(user, "municipality")


class ProgrammeQuerySet(_Scoped):
    def _scope(self, user):
        return _municipal(user, "municipality")
