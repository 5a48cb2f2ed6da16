"""Courses and events: creating them, registration, waiting list and check-in,
invitations and reminders."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.audit import audit, diff
from core.notify import notify
from core.queue import enqueue
from institutions.models import Institution, Membership, Municipality
from institutions.querysets import STAFF_ROLES

from ..models import KICKOFF_SEAT_CONSTRAINT, Event, Registration
from .common import _pick

Status = Registration.Status


def _local_date(moment: datetime) -> date:
    return timezone.localtime(moment).date()


EVENT_FIELDS = (
    "title",
    "kind",
    "is_kickoff",
    "starts_at",
    "ends_at",
    "place",
    "address",
    "capacity",
    "programme",
    "audience",
    "registration_closes_on",
)


def _kickoff_surplus(event: Event) -> list[Institution]:
    """The daycares with more than the leader and one employee registered for `event`."""
    crowded = (
        event.registrations.active()
        .values("institution", "as_leader")
        .annotate(people=Count("pk"))
        .filter(people__gt=1)
        .values("institution")
    )
    return list(Institution.objects.filter(pk__in=crowded).order_by("name"))


def _check_event(municipality: Municipality, values: dict, event: Event | None = None) -> None:
    if values["ends_at"] <= values["starts_at"]:
        raise ValidationError(_("The event must end after it starts."))
    if values["capacity"] < 1:
        raise ValidationError(_("The capacity must be at least one person."))
    closes_on = values.get("registration_closes_on")
    if closes_on and closes_on > _local_date(values["starts_at"]):
        raise ValidationError(_("Registration must close no later than the day of the event."))
    if values.get("is_kickoff"):
        clash = Event.objects.filter(municipality=municipality, is_kickoff=True)
        if event is not None:
            clash = clash.exclude(pk=event.pk)
        if clash.exists():
            raise ValidationError(_("The municipality already has a kick-off conference."))
        surplus = _kickoff_surplus(event) if event is not None else []
        if surplus:
            raise ValidationError(
                _(
                    "The kick-off conference is for the leader and one employee from each "
                    "daycare, and more are registered from %(places)s. Cancel the extra "
                    "registrations first."
                )
                % {"places": ", ".join(i.name for i in surplus)}
            )


@transaction.atomic
def event_create(*, actor: User, municipality: Municipality, **data) -> Event:
    values = _pick(data, EVENT_FIELDS)
    _check_event(municipality, values)
    try:
        with transaction.atomic():
            event = Event.objects.create(municipality=municipality, created_by=actor, **values)
    except IntegrityError as exc:  # another kick-off conference a moment ago
        raise ValidationError(_("The municipality already has a kick-off conference.")) from exc
    audit(
        actor=actor,
        action="event.created",
        obj=event,
        municipality=municipality,
        summary=event.title,
    )
    return event


@transaction.atomic
def event_update(*, actor: User, event: Event, **data) -> Event:
    """Change an event. Raising the capacity gives waiting people a place at once."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    values = _pick(data, EVENT_FIELDS)
    merged = {name: values.get(name, getattr(event, name)) for name in EVENT_FIELDS}
    _check_event(event.municipality, merged, event)
    if merged["capacity"] < event.confirmed_count:
        raise ValidationError(
            _(
                "%(count)d people are already registered. The capacity cannot be lower; "
                "cancel registrations first."
            )
            % {"count": event.confirmed_count}
        )
    changes = diff(event, values)
    for name, value in values.items():
        setattr(event, name, value)
    try:
        with transaction.atomic():
            event.save()
    except IntegrityError as exc:
        raise ValidationError(_("The municipality already has a kick-off conference.")) from exc
    if changes:
        audit(
            actor=actor,
            action="event.updated",
            obj=event,
            municipality=event.municipality,
            summary=event.title,
            changes=changes,
        )
    _fill_from_waiting_list(actor=actor, event=event)
    return event


def _count_seats(event: Event, change: int) -> None:
    """Add `change` to the seats taken, in the database itself: even a caller that forgot
    the lock cannot lose an update, and the check constraint refuses going over capacity."""
    Event.objects.filter(pk=event.pk).update(confirmed_count=F("confirmed_count") + change)
    event.refresh_from_db(fields=["confirmed_count"])


def registration_open_error(event: Event, now: datetime | None = None) -> str:
    """Why registration for `event` is closed, or "" when it is open."""
    now = now or timezone.now()
    if now >= event.starts_at:
        return _("The event has started; registration is closed.")
    if event.registration_closes_on and timezone.localdate(now) > event.registration_closes_on:
        return _("Registration closed on %(date)s.") % {
            "date": event.registration_closes_on.strftime("%d.%m.%Y")
        }
    return ""


def _event_url(event: Event) -> str:
    return reverse("competence:event", args=[event.pk])


def _tell_registered(registration: Registration, *, promoted: bool = False) -> None:
    event = registration.event
    if registration.status == Status.WAITING:
        kind, template = "competence.event_waiting", "waiting"
    elif promoted:
        kind, template = "competence.event_promoted", "promoted"
    else:
        kind, template = "competence.event_registered", "registered"
    notify(
        recipients=[registration.user],
        kind=kind,
        template=f"competence/notifications/event_{template}",
        context={"event": event, "institution": registration.institution},
        url=_event_url(event),
        key=f"competence:event:{event.pk}:{template}:{registration.pk}",
        object_id=event.pk,
    )


def _constraint_of(error: IntegrityError) -> str:
    diag = getattr(error.__cause__, "diag", None)
    return getattr(diag, "constraint_name", "") or ""


def _check_kickoff_seat(event: Event, institution: Institution, *, as_leader: bool) -> None:
    """The kick-off conference is for the leader and one employee from each daycare."""
    taken = (
        event.registrations.active()
        .filter(institution=institution, as_leader=as_leader)
        .select_related("user")
        .first()
    )
    if taken is None:
        return
    name = taken.user.name
    if taken.status == Status.WAITING:
        name = _("%(name)s (on the waiting list)") % {"name": name}
    if as_leader:
        message = _(
            "%(place)s has already registered its leader, %(name)s, for the kick-off "
            "conference. The conference is for the leader and one employee from each daycare."
        )
    else:
        message = _(
            "%(place)s has already registered an employee, %(name)s, for the kick-off "
            "conference. The conference is for the leader and one employee from each daycare: "
            "cancel that registration first to send someone else."
        )
    raise ValidationError(message % {"place": institution.name, "name": name})


@transaction.atomic
def registration_create(
    *, actor: User, event: Event, institution: Institution, user: User
) -> Registration:
    """Register `user` for `event` on behalf of `institution`: a seat while there is one,
    else a place on the waiting list. The event row is locked, so two registrations at the
    same moment cannot both take the last seat; the database refuses more than capacity.
    The kick-off conference takes the leader and one employee from each daycare, waiting
    or not; the database refuses a second of either."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    problem = registration_open_error(event)
    if problem:
        raise ValidationError(problem)
    if institution.municipality_id != event.municipality_id or not (
        institution.is_daycare and institution.is_active
    ):
        raise ValidationError(_("Only the municipality's daycares can register."))
    roles = set(
        Membership.objects.filter(
            user=user, institution=institution, role__in=STAFF_ROLES
        ).values_list("role", flat=True)
    )
    if not roles:
        raise ValidationError(
            _("%(name)s does not work in %(place)s.") % {"name": user.name, "place": institution}
        )
    if event.registrations.active().filter(user=user).exists():
        raise ValidationError(_("%(name)s is already registered.") % {"name": user.name})
    as_leader = Membership.Role.LEADER in roles
    if event.is_kickoff:
        _check_kickoff_seat(event, institution, as_leader=as_leader)
    now = timezone.now()
    has_seat = event.confirmed_count < event.capacity
    registration = Registration(
        event=event,
        institution=institution,
        user=user,
        as_leader=as_leader,
        for_kickoff=event.is_kickoff,
        status=Status.CONFIRMED if has_seat else Status.WAITING,
        registered_by=actor,
        queued_at=now,
        confirmed_at=now if has_seat else None,
    )
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError as exc:
        if _constraint_of(exc) == KICKOFF_SEAT_CONSTRAINT:  # only if the lock was skipped
            _check_kickoff_seat(event, institution, as_leader=as_leader)
        raise ValidationError(_("%(name)s is already registered.") % {"name": user.name}) from exc
    if has_seat:
        _count_seats(event, 1)
    audit(
        actor=actor,
        action="registration.created" if has_seat else "registration.waiting",
        obj=registration,
        municipality=event.municipality,
        institution=institution,
        summary=f"{event.title}: {user.name}",
    )
    _tell_registered(registration)
    return registration


def _fill_from_waiting_list(*, actor: User | None, event: Event) -> list[Registration]:
    """Give free seats to the first on the waiting list and tell them. `event` is locked."""
    free = event.capacity - event.confirmed_count
    if free <= 0:
        return []
    waiting = list(
        event.registrations.select_for_update()
        .select_related("user", "institution")
        .filter(status=Status.WAITING)
        .order_by("queued_at", "pk")[:free]
    )
    if not waiting:
        return []
    now = timezone.now()
    for registration in waiting:
        registration.status = Status.CONFIRMED
        registration.confirmed_at = now
        registration.save(update_fields=["status", "confirmed_at"])
    _count_seats(event, len(waiting))
    for registration in waiting:
        audit(
            actor=actor,
            action="registration.moved_up",
            obj=registration,
            municipality=event.municipality,
            institution=registration.institution,
            summary=f"{event.title}: {registration.user.name}",
        )
        _tell_registered(registration, promoted=True)
    return waiting


@transaction.atomic
def registration_cancel(*, actor: User, registration: Registration) -> list[Registration]:
    """Cancel a registration. A freed seat goes to the first on the waiting list, who is
    told at once. Returns the registrations that moved up."""
    event = Event.objects.select_for_update().get(pk=registration.event_id)
    registration = (
        Registration.objects.select_for_update(of=("self",))
        .select_related("user", "institution")
        .get(pk=registration.pk)
    )
    if registration.status == Status.CANCELLED:
        raise ValidationError(_("The registration is already cancelled."))
    if registration.checked_in_at:
        raise ValidationError(_("The person has already arrived; it cannot be cancelled."))
    if timezone.now() >= event.starts_at:
        raise ValidationError(_("The event has started; registrations can no longer change."))
    had_seat = registration.status == Status.CONFIRMED
    registration.status = Status.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.save(update_fields=["status", "cancelled_at"])
    if had_seat:
        _count_seats(event, -1)
    audit(
        actor=actor,
        action="registration.cancelled",
        obj=registration,
        institution=registration.institution,
        summary=f"{event.title}: {registration.user.name}",
    )
    return _fill_from_waiting_list(actor=actor, event=event)


@transaction.atomic
def registration_check_in(
    *, actor: User, registration: Registration, arrived: bool = True
) -> Registration:
    """Mark that a registered person arrived on the day (or undo it)."""
    registration = (
        Registration.objects.select_for_update(of=("self",))
        .select_related("event", "user", "institution")
        .get(pk=registration.pk)
    )
    event = registration.event
    if registration.status != Status.CONFIRMED:
        raise ValidationError(_("Only registered people can be checked in."))
    if timezone.localdate() < _local_date(event.starts_at):
        raise ValidationError(_("Check-in opens on the day of the event."))
    if bool(registration.checked_in_at) == arrived:
        return registration
    registration.checked_in_at = timezone.now() if arrived else None
    registration.save(update_fields=["checked_in_at"])
    audit(
        actor=actor,
        action="registration.checked_in" if arrived else "registration.check_in_undone",
        obj=registration,
        institution=registration.institution,
        summary=f"{event.title}: {registration.user.name}",
    )
    return registration


@transaction.atomic
def event_invitations_send(*, actor: User, event: Event) -> None:
    """Invite the leaders and digital ambassadors of every daycare (in the background)."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if registration_open_error(event):
        raise ValidationError(registration_open_error(event))
    event.invitations_sent_at = timezone.now()
    event.save(update_fields=["invitations_sent_at"])
    audit(
        actor=actor,
        action="event.invitations_sent",
        obj=event,
        municipality=event.municipality,
        summary=event.title,
    )
    enqueue("competence.send_event_invitations", event.pk)


def event_invitees(event: Event):
    return User.objects.filter(
        is_active=True,
        memberships__institution__municipality_id=event.municipality_id,
        memberships__institution__kind__in=Institution.DAYCARE_KINDS,
        memberships__institution__is_active=True,
        memberships__role__in=(Membership.Role.LEADER, Membership.Role.AMBASSADOR),
    ).distinct()


def event_invitations_deliver(*, event_id: int) -> int:
    """Tell every invitee once (the key makes a second run a no-op). Returns how many."""
    event = Event.objects.filter(pk=event_id).first()
    if event is None or registration_open_error(event):
        return 0
    created = notify(
        recipients=event_invitees(event),
        kind="competence.event_invitation",
        template="competence/notifications/event_invitation",
        context={"event": event},
        url=_event_url(event),
        key=f"competence:event:{event.pk}:invitation",
        object_id=event.pk,
    )
    return len(created)


EVENT_REMINDER_BEFORE = timedelta(days=2)


def event_reminders_send(*, now: datetime | None = None) -> int:
    """Remind registered people of events in the next two days, once per event and day."""
    now = now or timezone.now()
    sent = 0
    events = Event.objects.filter(starts_at__gt=now, starts_at__lte=now + EVENT_REMINDER_BEFORE)
    for event in events:
        people = User.objects.filter(
            is_active=True,
            event_registrations__event=event,
            event_registrations__status=Status.CONFIRMED,
        )
        sent += len(
            notify(
                recipients=people,
                kind="competence.event_reminder",
                template="competence/notifications/event_reminder",
                context={"event": event},
                url=_event_url(event),
                key=f"competence:event:{event.pk}:reminder:{event.starts_at:%Y%m%d}",
                object_id=event.pk,
            )
        )
    return sent
