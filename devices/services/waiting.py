"""The waiting list for a suitcase: joining, the offer of a freed period to the next in
line (valid for 48 hours), accepting, declining, withdrawing, and offers that expire."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.audit import audit
from institutions.models import Institution

from ..models import (
    Booking,
    Suitcase,
    WaitingListEntry,
)
from .common import refuse
from .suitcases import booking_create, offer_next


@transaction.atomic
def waiting_join(
    *,
    actor: User,
    suitcase: Suitcase,
    institution: Institution,
    wanted_from: date | None = None,
    wanted_to: date | None = None,
    note: str = "",
) -> WaitingListEntry:
    if institution.municipality_id != suitcase.municipality_id or not institution.is_daycare:
        raise refuse(_("Only the municipality's daycares can borrow the suitcase."))
    if wanted_from and wanted_to and wanted_to < wanted_from:
        raise refuse(_("The end of the wanted period cannot be before its start."))
    if WaitingListEntry.objects.filter(
        suitcase=suitcase, institution=institution, status__in=WaitingListEntry.OPEN
    ).exists():
        raise refuse(_("%(daycare)s is already on the waiting list.") % {"daycare": institution})
    entry = WaitingListEntry.objects.create(
        suitcase=suitcase,
        institution=institution,
        wanted_from=wanted_from,
        wanted_to=wanted_to,
        note=note.strip(),
        created_by=actor,
    )
    audit(actor=actor, action="devices.waiting.joined", obj=entry, institution=institution)
    return entry


@transaction.atomic
def offer_accept(*, actor: User, entry: WaitingListEntry) -> Booking:
    entry = (
        WaitingListEntry.objects.select_for_update()
        .select_related("suitcase", "institution")
        .get(pk=entry.pk)
    )
    if entry.status != WaitingListEntry.Status.OFFERED or (
        entry.offer_expires_at and entry.offer_expires_at < timezone.now()
    ):
        raise refuse(_("The offer is no longer open."))
    booking = booking_create(
        actor=actor,
        suitcase=entry.suitcase,
        institution=entry.institution,
        starts_on=entry.offered_starts_on,
        ends_on=entry.offered_ends_on,
        source=Booking.Source.WAITING_LIST,
    )
    entry.status = WaitingListEntry.Status.ACCEPTED
    entry.booking = booking
    entry.save(update_fields=["status", "booking"])
    return booking


@transaction.atomic
def offer_decline(*, actor: User | None, entry: WaitingListEntry, expired: bool = False) -> None:
    entry = WaitingListEntry.objects.select_for_update().select_related("suitcase").get(pk=entry.pk)
    if entry.status != WaitingListEntry.Status.OFFERED:
        raise refuse(_("The offer is no longer open."))
    entry.status = WaitingListEntry.Status.EXPIRED if expired else WaitingListEntry.Status.DECLINED
    entry.save(update_fields=["status"])
    audit(actor=actor, action=f"devices.waiting.{entry.status}", obj=entry)
    offer_next(
        suitcase=entry.suitcase,
        window_start=entry.offered_starts_on,
        window_end=entry.offered_ends_on,
    )


@transaction.atomic
def waiting_withdraw(*, actor: User, entry: WaitingListEntry) -> None:
    entry = WaitingListEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.status not in WaitingListEntry.OPEN:
        raise refuse(_("The daycare is no longer on the waiting list."))
    was_offered = entry.status == WaitingListEntry.Status.OFFERED
    entry.status = WaitingListEntry.Status.WITHDRAWN
    entry.save(update_fields=["status"])
    if was_offered:
        offer_next(
            suitcase=entry.suitcase,
            window_start=entry.offered_starts_on,
            window_end=entry.offered_ends_on,
        )


def offers_expire(*, now=None) -> int:
    """Offers not answered in time lapse; the next in line is offered the days."""
    now = now or timezone.now()
    expired = list(
        WaitingListEntry.objects.filter(
            status=WaitingListEntry.Status.OFFERED, offer_expires_at__lt=now
        ).values_list("pk", flat=True)
    )
    for pk in expired:
        try:
            offer_decline(actor=None, entry=WaitingListEntry(pk=pk), expired=True)
        except Exception as error:  # answered in the meantime
            if not hasattr(error, "messages"):
                raise
    return len(expired)
