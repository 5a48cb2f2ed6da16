"""Digital suitcases: the suitcases themselves, bookings, hand-over and return with a
checklist, and the reminder the day before a return is due (the waiting list is in
`waiting.py`).

The invariant that matters, that one suitcase is never booked twice for overlapping
days (hand-over days included), is the database's exclusion constraint
`devices_booking_no_overlap`; the services check first to explain a refusal in words,
and translate the constraint's refusal (two requests at the same moment) the same way.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import IntegrityError, OperationalError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import User
from core.audit import audit
from core.notify import notify
from core.uploads import IMAGE, check_upload
from institutions.models import Institution, Municipality
from institutions.selectors import administrators_of

from ..models import (
    Booking,
    BookingCheck,
    Suitcase,
    SuitcaseClosure,
    SuitcaseItem,
    SuitcasePhoto,
    WaitingListEntry,
)
from .common import Calendar, constraint_name, device_people, refuse

OFFER_VALID_FOR = timedelta(hours=48)
MAX_BOOKING_DAYS = 26 * 7
SUITCASE_FIELDS = ("name", "theme", "description", "ideas", "home_base", "status", "handover_days")


def _day(value: date) -> str:
    return date_format(value, "DATE_FORMAT")


# Suitcases ----------------------------------------------------------------------------


def _check_items(items: list[dict]) -> list[dict]:
    names = [item["name"].strip() for item in items]
    if len({n.lower() for n in names}) != len(names):
        raise refuse(_("Each item of the contents is listed once."))
    return [{"name": n, "quantity": item["quantity"]} for n, item in zip(names, items, strict=True)]


@transaction.atomic
def suitcase_create(
    *, actor: User, municipality: Municipality, items: list[dict], **data
) -> Suitcase:
    items = _check_items(items)
    home_base = data.get("home_base")
    if home_base is not None and home_base.municipality_id != municipality.pk:
        raise refuse(_("The home base must be a daycare in the municipality."))
    if Suitcase.objects.filter(municipality=municipality, name__iexact=data["name"]).exists():
        raise refuse(_("There is already a suitcase called %(name)s.") % {"name": data["name"]})
    suitcase = Suitcase.objects.create(
        municipality=municipality, **{k: v for k, v in data.items() if k in SUITCASE_FIELDS}
    )
    SuitcaseItem.objects.bulk_create(SuitcaseItem(suitcase=suitcase, **item) for item in items)
    audit(actor=actor, action="devices.suitcase.created", obj=suitcase, municipality=municipality)
    return suitcase


@transaction.atomic
def suitcase_update(*, actor: User, suitcase: Suitcase, items: list[dict], **data) -> Suitcase:
    """Change a suitcase and its contents. Items checked at hand-overs keep their rows."""
    suitcase = Suitcase.objects.select_for_update().get(pk=suitcase.pk)
    items = _check_items(items)
    home_base = data.get("home_base")
    if home_base is not None and home_base.municipality_id != suitcase.municipality_id:
        raise refuse(_("The home base must be a daycare in the municipality."))
    if (
        Suitcase.objects.filter(municipality_id=suitcase.municipality_id, name__iexact=data["name"])
        .exclude(pk=suitcase.pk)
        .exists()
    ):
        raise refuse(_("There is already a suitcase called %(name)s.") % {"name": data["name"]})
    for name, value in data.items():
        if name in SUITCASE_FIELDS:
            setattr(suitcase, name, value)
    suitcase.save()
    existing = {item.name.lower(): item for item in suitcase.items.all()}
    keep = []
    for item in items:
        found = existing.get(item["name"].lower())
        if found is None:
            found = SuitcaseItem.objects.create(suitcase=suitcase, **item)
        elif found.quantity != item["quantity"] or found.name != item["name"]:
            found.quantity, found.name = item["quantity"], item["name"]
            found.save(update_fields=["quantity", "name"])
        keep.append(found.pk)
    suitcase.items.exclude(pk__in=keep).delete()
    audit(
        actor=actor,
        action="devices.suitcase.updated",
        obj=suitcase,
        municipality=suitcase.municipality,
    )
    return suitcase


@transaction.atomic
def suitcase_photo_add(
    *, actor: User, suitcase: Suitcase, upload, description: str
) -> SuitcasePhoto:
    checked = check_upload(upload, accept=(IMAGE,))
    photo = SuitcasePhoto(
        suitcase=suitcase, content_type=checked.content_type, description=description.strip()
    )
    photo.image.save(checked.name, checked.content, save=False)
    photo.save()
    audit(actor=actor, action="devices.suitcase.photo_added", obj=photo)
    return photo


@transaction.atomic
def closure_create(
    *, actor: User, municipality: Municipality, starts_on: date, ends_on: date, reason: str
) -> SuitcaseClosure:
    if ends_on < starts_on:
        raise refuse(_("The last closed day cannot be before the first."))
    closure = SuitcaseClosure.objects.create(
        municipality=municipality, starts_on=starts_on, ends_on=ends_on, reason=reason.strip()
    )
    audit(actor=actor, action="devices.closure.created", obj=closure, municipality=municipality)
    return closure


@transaction.atomic
def closure_delete(*, actor: User, closure: SuitcaseClosure) -> None:
    audit(
        actor=actor,
        action="devices.closure.deleted",
        obj=closure,
        municipality=closure.municipality,
    )
    closure.delete()


# Bookings -----------------------------------------------------------------------------


def check_period(
    *,
    suitcase: Suitcase,
    institution: Institution,
    starts_on: date,
    ends_on: date,
    today: date | None = None,
) -> None:
    """Refuse, in words, a period that cannot be booked (not the overlap: see below)."""
    today = today or timezone.localdate()
    if suitcase.status != Suitcase.Status.ACTIVE:
        raise refuse(_("The suitcase is not being lent out at the moment."))
    if institution.municipality_id != suitcase.municipality_id or not institution.is_daycare:
        raise refuse(_("Only the municipality's daycares can borrow the suitcase."))
    if ends_on < starts_on:
        raise refuse(_("The return day cannot be before the hand-over day."))
    if starts_on < today:
        raise refuse(_("The hand-over day has passed. Choose a day from today on."))
    if (ends_on - starts_on).days + 1 > MAX_BOOKING_DAYS:
        raise refuse(_("A suitcase can be borrowed for at most 26 weeks at a time."))
    calendar = Calendar(
        municipality_id=suitcase.municipality_id,
        institution_ids=[institution.pk],
        start=starts_on,
        end=ends_on,
    )
    for label, day in ((_("hand-over day"), starts_on), (_("return day"), ends_on)):
        reason = calendar.closure_reason(day, institution.pk)
        if reason:
            raise refuse(
                _("The %(what)s %(day)s cannot be used: %(reason)s. Choose another day.")
                % {"what": label, "day": _day(day), "reason": reason},
                code="closed",
            )


def _conflicts(suitcase: Suitcase, starts_on: date, ends_on: date, buffer_days: int):
    """Holding bookings whose held days overlap [starts_on, ends_on + buffer_days]."""
    candidates = (
        Booking.objects.holding()
        .filter(
            suitcase=suitcase,
            starts_on__lte=ends_on + timedelta(days=buffer_days),
            ends_on__gte=starts_on - timedelta(days=30),
        )
        .select_related("institution")
    )
    mine_end = ends_on + timedelta(days=buffer_days)
    return [
        b
        for b in candidates
        if b.starts_on <= mine_end and starts_on <= b.ends_on + timedelta(days=b.buffer_days)
    ]


def overlap_message(suitcase: Suitcase, other: Booking | None) -> str:
    if other is None:
        return _(
            "The suitcase was booked for overlapping days by someone else a moment ago. "
            "See the calendar and choose another period, or join the waiting list."
        )
    return _(
        "“%(suitcase)s” is already booked by %(daycare)s from %(start)s to %(end)s, and "
        "%(days)s hand-over days are kept free after each return. Choose a period that "
        "does not overlap, or join the waiting list."
    ) % {
        "suitcase": suitcase.name,
        "daycare": other.institution.name,
        "start": _day(other.starts_on),
        "end": _day(other.ends_on),
        "days": suitcase.handover_days,
    }


def _insert(booking: Booking) -> Booking:
    """Insert a booking; the exclusion constraint's refusal becomes a Danish message."""
    try:
        with transaction.atomic():
            booking.save()
    except OperationalError as error:
        # Two bookings racing for the same days may meet as a deadlock inside the
        # exclusion check instead of a violation: the same refusal.
        if getattr(error.__cause__, "sqlstate", "") != "40P01":
            raise
        raise refuse(overlap_message(booking.suitcase, None), code="overlap") from error
    except IntegrityError as error:
        if constraint_name(error) != "devices_booking_no_overlap":
            raise
        others = _conflicts(
            booking.suitcase, booking.starts_on, booking.ends_on, booking.buffer_days
        )
        raise refuse(
            overlap_message(booking.suitcase, others[0] if others else None), code="overlap"
        ) from error
    return booking


@transaction.atomic
def booking_create(
    *,
    actor: User | None,
    suitcase: Suitcase,
    institution: Institution,
    starts_on: date,
    ends_on: date,
    note: str = "",
    source: str = Booking.Source.REQUEST,
    plan=None,
    today: date | None = None,
) -> Booking:
    """Book `suitcase` for `institution`. Refused, with the reason in words, when the
    days are closed or overlap another booking (the database has the last word)."""
    check_period(
        suitcase=suitcase,
        institution=institution,
        starts_on=starts_on,
        ends_on=ends_on,
        today=today,
    )
    buffer_days = suitcase.handover_days
    others = _conflicts(suitcase, starts_on, ends_on, buffer_days)
    if others:
        raise refuse(overlap_message(suitcase, others[0]), code="overlap")
    booking = _insert(
        Booking(
            suitcase=suitcase,
            institution=institution,
            starts_on=starts_on,
            ends_on=ends_on,
            booked_ends_on=ends_on,
            buffer_days=buffer_days,
            source=source,
            plan=plan,
            note=note.strip(),
            created_by=actor,
        )
    )
    audit(
        actor=actor,
        action="devices.booking.created",
        obj=booking,
        institution=institution,
        summary=f"{suitcase.name}: {starts_on:%Y-%m-%d}–{ends_on:%Y-%m-%d}",
    )
    return booking


@transaction.atomic
def booking_cancel(*, actor: User, booking: Booking) -> Booking:
    booking = Booking.objects.select_for_update().select_related("suitcase").get(pk=booking.pk)
    if booking.status != Booking.Status.BOOKED:
        raise refuse(_("Only a booking not yet handed over can be cancelled."))
    booking.status = Booking.Status.CANCELLED
    booking.cancelled_at = timezone.now()
    booking.save(update_fields=["status", "cancelled_at"])
    audit(actor=actor, action="devices.booking.cancelled", obj=booking)
    offer_next(
        suitcase=booking.suitcase,
        window_start=max(booking.starts_on, timezone.localdate()),
        window_end=booking.ends_on,
    )
    return booking


def _record_checks(booking: Booking, stage: str, counts: dict[int, tuple[int, int]]) -> list:
    items = list(booking.suitcase.items.all())
    checks = []
    for item in items:
        counted, broken = counts.get(item.pk, (item.quantity, 0))
        if counted < 0 or broken < 0 or broken > counted:
            raise refuse(
                _("%(item)s: the broken cannot be more than those counted.") % {"item": item.name}
            )
        checks.append(
            BookingCheck(
                booking=booking,
                item=item,
                stage=stage,
                expected=item.quantity,
                counted=counted,
                broken=broken,
            )
        )
    BookingCheck.objects.bulk_create(checks)
    return checks


@transaction.atomic
def booking_hand_over(
    *, actor: User, booking: Booking, counts: dict[int, tuple[int, int]], note: str = ""
) -> Booking:
    booking = Booking.objects.select_for_update().select_related("suitcase").get(pk=booking.pk)
    if booking.status != Booking.Status.BOOKED:
        raise refuse(_("The suitcase has already been handed over for this booking."))
    _record_checks(booking, BookingCheck.Stage.HANDOVER, counts)
    booking.status = Booking.Status.HANDED_OUT
    booking.handed_out_at = timezone.now()
    booking.handed_out_by = actor
    booking.handover_note = note.strip()
    booking.save(update_fields=["status", "handed_out_at", "handed_out_by", "handover_note"])
    audit(actor=actor, action="devices.booking.handed_over", obj=booking)
    return booking


@transaction.atomic
def booking_return(
    *,
    actor: User,
    booking: Booking,
    counts: dict[int, tuple[int, int]],
    note: str = "",
    returned_on: date | None = None,
) -> Booking:
    """Take a suitcase back with its checklist. Missing or broken items flag the booking
    and tell the administrators; an early return offers the freed days to the waiting list."""
    booking = (
        Booking.objects.select_for_update()
        .select_related("suitcase", "institution")
        .get(pk=booking.pk)
    )
    if booking.status != Booking.Status.HANDED_OUT:
        raise refuse(_("Only a suitcase that was handed over can be returned."))
    returned_on = returned_on or timezone.localdate()
    if returned_on < booking.starts_on:
        raise refuse(_("The suitcase cannot come back before it was handed over."))
    checks = _record_checks(booking, BookingCheck.Stage.RETURN, counts)
    problems = [c for c in checks if c.is_problem]
    early = returned_on < booking.ends_on
    freed_until = booking.ends_on
    booking.status = Booking.Status.RETURNED
    booking.returned_on = returned_on
    booking.returned_by = actor
    booking.return_note = note.strip()
    booking.flagged = bool(problems)
    if early:
        booking.ends_on = returned_on
    booking.save()
    audit(
        actor=actor,
        action="devices.booking.returned",
        obj=booking,
        institution=booking.institution,
        changes={"flagged": booking.flagged, "returned_on": returned_on.isoformat()},
    )
    if problems:
        lines = []
        for check in problems:
            if check.missing:
                lines.append(
                    _("%(item)s: %(missing)d missing")
                    % {"item": check.item.name, "missing": check.missing}
                )
            if check.broken:
                lines.append(
                    _("%(item)s: %(broken)d broken")
                    % {"item": check.item.name, "broken": check.broken}
                )
        notify(
            recipients=administrators_of(booking.suitcase.municipality_id),
            kind="devices.return_flagged",
            template="devices/notifications/return_flagged",
            context={"booking": booking, "problems": lines, "note": booking.return_note},
            url=reverse("devices:booking", args=[booking.pk]),
            key=f"devices-return-flagged-{booking.pk}",
        )
    if early:
        offer_next(
            suitcase=booking.suitcase,
            window_start=returned_on + timedelta(days=booking.buffer_days + 1),
            window_end=freed_until,
        )
    return booking


# The waiting list ---------------------------------------------------------------------


def offer_next(
    *, suitcase: Suitcase, window_start: date, window_end: date, now=None
) -> WaitingListEntry | None:
    """Offer the free days [window_start, window_end] to the first in line whose wanted
    period meets them, and tell that daycare. None when nobody waits or nothing fits."""
    now = now or timezone.now()
    window_start = max(window_start, timezone.localdate(now))
    if window_end < window_start:
        return None
    waiting = (
        WaitingListEntry.objects.select_for_update(of=("self",))
        .filter(suitcase=suitcase, status=WaitingListEntry.Status.WAITING)
        .filter(Q(wanted_from__isnull=True) | Q(wanted_from__lte=window_end))
        .filter(Q(wanted_to__isnull=True) | Q(wanted_to__gte=window_start))
        .select_related("institution")
        .order_by("created_at", "pk")
    )
    for entry in waiting:
        start = max(window_start, entry.wanted_from or window_start)
        end = min(window_end, entry.wanted_to or window_end)
        calendar = Calendar(
            municipality_id=suitcase.municipality_id,
            institution_ids=[entry.institution_id],
            start=start,
            end=end,
        )
        first = calendar.first_open(start, end, entry.institution_id)
        last = calendar.last_open(start, end, entry.institution_id)
        if first is None or last is None or last < first:
            continue
        # The days must still be free (a booking may have taken part of them).
        if _conflicts(suitcase, first, last, suitcase.handover_days):
            continue
        entry.status = WaitingListEntry.Status.OFFERED
        entry.offered_starts_on, entry.offered_ends_on = first, last
        entry.offered_at = now
        entry.offer_expires_at = now + OFFER_VALID_FOR
        entry.save()
        notify(
            recipients=device_people([entry.institution_id]),
            kind="devices.waiting_offer",
            template="devices/notifications/waiting_offer",
            context={"entry": entry, "suitcase": suitcase},
            url=reverse("devices:institution_calendar", args=[entry.institution_id]),
            key=f"devices-offer-{entry.pk}-{first:%Y%m%d}",
        )
        return entry
    return None


def return_reminders_send(*, today: date | None = None) -> int:
    """Tell the borrowing daycare the day before a return is due (once per booking)."""
    today = today or timezone.localdate()
    due = today + timedelta(days=1)
    bookings = list(
        Booking.objects.filter(
            status__in=[Booking.Status.BOOKED, Booking.Status.HANDED_OUT],
            ends_on=due,
            reminder_sent_at__isnull=True,
        ).select_related("suitcase__home_base", "institution")
    )
    if not bookings:
        return 0
    for booking in bookings:
        with transaction.atomic():
            notify(
                recipients=device_people([booking.institution_id]),
                kind="devices.return_due",
                template="devices/notifications/return_due",
                context={"booking": booking, "due": booking.ends_on},
                url=reverse("devices:booking", args=[booking.pk]),
                key=f"devices-return-due-{booking.pk}-{booking.ends_on:%Y%m%d}",
            )
            Booking.objects.filter(pk=booking.pk).update(reminder_sent_at=timezone.now())
    return len(bookings)
