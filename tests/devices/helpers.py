"""Makers for the devices tests: devices, suitcases with contents, bookings on weekdays."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from devices import services
from devices.models import Booking, Device, DeviceKind, Suitcase, SuitcaseItem


def today() -> date:
    return timezone.localdate()


def monday(weeks_ahead: int = 1) -> date:
    """The Monday `weeks_ahead` weeks from this week."""
    now = today()
    return now - timedelta(days=now.weekday()) + timedelta(weeks=weeks_ahead)


def make_device(institution, *, group=None, kind=DeviceKind.TABLET, status="available", **extra):
    return Device.objects.create(
        institution=institution,
        group=group,
        kind=kind,
        model=extra.pop("model", "iPad 10"),
        status=status,
        **extra,
    )


def make_suitcase(municipality, *, name="Robotkufferten", home_base=None, handover_days=2):
    suitcase = Suitcase.objects.create(
        municipality=municipality,
        name=name,
        theme="Programmering for de mindste",
        description="Små robotter og tablets.",
        home_base=home_base,
        handover_days=handover_days,
    )
    SuitcaseItem.objects.create(suitcase=suitcase, name="Bee-Bot", quantity=6)
    SuitcaseItem.objects.create(suitcase=suitcase, name="iPad", quantity=2)
    return suitcase


def book(suitcase, institution, start: date, end: date, *, actor=None, status=None) -> Booking:
    booking = services.booking_create(
        actor=actor, suitcase=suitcase, institution=institution, starts_on=start, ends_on=end
    )
    if status:
        Booking.objects.filter(pk=booking.pk).update(
            status=status, handed_out_at=timezone.now() if status == "handed_out" else None
        )
        booking.refresh_from_db()
    return booking
