"""Writes for competence development: plans, events and registrations, networks and
meetings, the calendar feed, and shared experiences.

Every service is keyword-only, atomic, audited, and raises ValidationError with a
Danish-translatable message when the input breaks a rule. Views call exactly one.
Services trust the caller's permission check (permissions.py) and enforce the domain's
rules themselves: who may be registered, capacity, dates.
"""

from __future__ import annotations

import calendar as _calendar
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.audit import audit, diff
from core.indicators import indicators_changed
from core.notify import notify
from core.queue import enqueue
from core.uploads import Upload
from institutions.models import Institution, Membership, Municipality, MunicipalRole
from institutions.querysets import STAFF_ROLES

from .models import (
    CalendarFeed,
    Comment,
    CompetencePlan,
    Event,
    Meeting,
    MeetingAttendance,
    MeetingFile,
    Network,
    NetworkMember,
    PlanActivity,
    Post,
    PostFile,
    Registration,
    UsefulMark,
)

Status = Registration.Status


def _pick(data: dict, fields: Iterable[str]) -> dict:
    return {name: data[name] for name in fields if name in data}


def _local_date(moment: datetime) -> date:
    return timezone.localtime(moment).date()


# Competence plans -------------------------------------------------------------------


@transaction.atomic
def plan_save(
    *,
    actor: User,
    institution: Institution,
    year: int,
    budget_ore: int,
    hours: Decimal,
    notes: str = "",
) -> CompetencePlan:
    """Set what `institution` sets aside for competence development in `year`."""
    if budget_ore < 0 or hours < 0:
        raise ValidationError(_("Money and hours cannot be negative."))
    if not 2000 <= year <= 2100:
        raise ValidationError(_("Choose a year between 2000 and 2100."))
    # The institution row serialises the first save of a year's plan.
    Institution.objects.select_for_update().filter(pk=institution.pk).first()
    plan = (
        CompetencePlan.objects.select_for_update()
        .filter(institution=institution, year=year)
        .first()
    )
    values = {"budget_ore": budget_ore, "hours": hours, "notes": notes}
    if plan is None:
        plan = CompetencePlan.objects.create(institution=institution, year=year, **values)
        changes = {name: [None, str(value)] for name, value in values.items()}
    else:
        changes = diff(plan, values)
        for name, value in values.items():
            setattr(plan, name, value)
        plan.save()
    if changes:
        audit(
            actor=actor,
            action="competence_plan.saved",
            obj=plan,
            institution=institution,
            summary=str(year),
            changes=changes,
        )
    return plan


@transaction.atomic
def plan_for_year(*, institution: Institution, year: int) -> CompetencePlan:
    """The year's plan, created empty if the daycare has none yet (for adding activities)."""
    Institution.objects.select_for_update().filter(pk=institution.pk).first()
    plan, _created = CompetencePlan.objects.get_or_create(institution=institution, year=year)
    return plan


ACTIVITY_FIELDS = (
    "kind",
    "title",
    "starts_on",
    "ends_on",
    "planned_cost_ore",
    "spent_cost_ore",
    "planned_hours",
    "spent_hours",
)


def _check_activity(plan: CompetencePlan, values: dict, participants: list[User]) -> None:
    starts_on, ends_on = values.get("starts_on"), values.get("ends_on")
    if starts_on and starts_on.year != plan.year:
        raise ValidationError(
            _("The activity must start in %(year)d, the plan's year.") % {"year": plan.year}
        )
    if starts_on and ends_on and ends_on < starts_on:
        raise ValidationError(_("The activity cannot end before it starts."))
    for name in ("planned_cost_ore", "spent_cost_ore", "planned_hours", "spent_hours"):
        value = values.get(name)
        if value is not None and value < 0:
            raise ValidationError(_("Money and hours cannot be negative."))
    allowed = set(
        Membership.objects.filter(
            institution_id=plan.institution_id, role__in=STAFF_ROLES
        ).values_list("user_id", flat=True)
    )
    outsiders = [p.name for p in participants if p.pk not in allowed]
    if outsiders:
        raise ValidationError(
            _("Only the daycare's staff can take part: %(names)s.")
            % {"names": ", ".join(outsiders)}
        )


@transaction.atomic
def activity_create(
    *, actor: User, plan: CompetencePlan, participants: Iterable[User] = (), **data
) -> PlanActivity:
    values = _pick(data, ACTIVITY_FIELDS)
    participants = list(participants)
    _check_activity(plan, values, participants)
    activity = PlanActivity.objects.create(plan=plan, **values)
    activity.participants.set(participants)
    audit(
        actor=actor,
        action="competence_activity.created",
        obj=activity,
        institution=plan.institution,
        summary=f"{plan.year}: {activity.title}",
    )
    return activity


@transaction.atomic
def activity_update(
    *, actor: User, activity: PlanActivity, participants: Iterable[User] | None = None, **data
) -> PlanActivity:
    activity = PlanActivity.objects.select_for_update().select_related("plan").get(pk=activity.pk)
    values = _pick(data, ACTIVITY_FIELDS)
    merged = {name: values.get(name, getattr(activity, name)) for name in ACTIVITY_FIELDS}
    people = list(participants) if participants is not None else list(activity.participants.all())
    _check_activity(activity.plan, merged, people)
    changes = diff(activity, values)
    for name, value in values.items():
        setattr(activity, name, value)
    activity.save()
    if participants is not None:
        before = sorted(activity.participants.values_list("pk", flat=True))
        after = sorted(p.pk for p in people)
        if before != after:
            changes["participants"] = [before, after]
        activity.participants.set(people)
    if changes:
        audit(
            actor=actor,
            action="competence_activity.updated",
            obj=activity,
            institution=activity.plan.institution,
            summary=activity.title,
            changes=changes,
        )
    return activity


@transaction.atomic
def activity_delete(*, actor: User, activity: PlanActivity) -> None:
    activity = PlanActivity.objects.select_for_update().select_related("plan").get(pk=activity.pk)
    plan = activity.plan
    title = activity.title
    activity.delete()
    audit(
        actor=actor,
        action="competence_activity.deleted",
        obj=plan,
        institution=plan.institution,
        summary=f"{plan.year}: {title}",
    )


# Events -----------------------------------------------------------------------------

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


@transaction.atomic
def registration_create(
    *, actor: User, event: Event, institution: Institution, user: User
) -> Registration:
    """Register `user` for `event` on behalf of `institution`: a seat while there is one,
    else a place on the waiting list. The event row is locked, so two registrations at the
    same moment cannot both take the last seat; the database refuses more than capacity."""
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
    now = timezone.now()
    has_seat = event.confirmed_count < event.capacity
    registration = Registration(
        event=event,
        institution=institution,
        user=user,
        as_leader=Membership.Role.LEADER in roles,
        status=Status.CONFIRMED if has_seat else Status.WAITING,
        registered_by=actor,
        queued_at=now,
        confirmed_at=now if has_seat else None,
    )
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError as exc:
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


# Networks ---------------------------------------------------------------------------

NETWORK_FIELDS = ("name", "purpose", "cadence", "audience", "organiser", "usual_place")


def _check_network(municipality: Municipality, values: dict, members: list[Institution]) -> None:
    if not 1 <= values["cadence"] <= 12:
        raise ValidationError(_("A network meets between 1 and 12 times a year."))
    if not MunicipalRole.objects.filter(
        user=values["organiser"], municipality=municipality
    ).exists():
        raise ValidationError(_("The organiser must work in the municipality's administration."))
    if any(m.municipality_id != municipality.pk or not m.is_daycare for m in members):
        raise ValidationError(_("Only the municipality's daycares can be members."))


@transaction.atomic
def network_create(
    *, actor: User, municipality: Municipality, members: Iterable[Institution] = (), **data
) -> Network:
    values = _pick(data, NETWORK_FIELDS)
    members = list(members)
    _check_network(municipality, values, members)
    if Network.objects.filter(municipality=municipality, name__iexact=values["name"]).exists():
        raise ValidationError(_("The municipality already has a network with that name."))
    network = Network.objects.create(municipality=municipality, **values)
    NetworkMember.objects.bulk_create(
        [NetworkMember(network=network, institution=m) for m in members]
    )
    indicators_changed()  # bulk_create sends no signals
    audit(
        actor=actor,
        action="network.created",
        obj=network,
        municipality=municipality,
        summary=f"{network.name}: {len(members)}",
    )
    return network


@transaction.atomic
def network_update(
    *, actor: User, network: Network, members: Iterable[Institution] | None = None, **data
) -> Network:
    network = Network.objects.select_for_update().get(pk=network.pk)
    values = _pick(data, NETWORK_FIELDS)
    merged = {name: values.get(name, getattr(network, name)) for name in NETWORK_FIELDS}
    member_list = list(members) if members is not None else list(network.members.all())
    _check_network(network.municipality, merged, member_list)
    clash = Network.objects.filter(
        municipality_id=network.municipality_id, name__iexact=merged["name"]
    ).exclude(pk=network.pk)
    if clash.exists():
        raise ValidationError(_("The municipality already has a network with that name."))
    changes = diff(network, values)
    for name, value in values.items():
        setattr(network, name, value)
    network.save()
    if members is not None:
        before = set(network.memberships.values_list("institution_id", flat=True))
        after = {m.pk for m in member_list}
        if before != after:
            network.memberships.filter(institution_id__in=before - after).delete()
            NetworkMember.objects.bulk_create(
                [NetworkMember(network=network, institution_id=pk) for pk in after - before]
            )
            indicators_changed()  # bulk_create sends no signals
            changes["members"] = [sorted(before), sorted(after)]
    if changes:
        audit(
            actor=actor,
            action="network.updated",
            obj=network,
            municipality=network.municipality,
            summary=network.name,
            changes=changes,
        )
    return network


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    first = date(year, month, 1)
    offset = (weekday - first.weekday()) % 7
    day = 1 + offset + 7 * (n - 1)
    last = _calendar.monthrange(year, month)[1]
    while day > last:
        day -= 7
    return date(year, month, day)


def meeting_months(cadence: int) -> list[int]:
    """Months spread evenly over the year, one into each period; no meeting in July (the
    summer holiday) when August or June is free."""
    period = 12 / cadence
    offset = 1 if period >= 2 else 0
    months = [int(i * period) + 1 + offset for i in range(cadence)]
    if 7 in months:
        for substitute in (8, 6):
            if substitute not in months:
                months[months.index(7)] = substitute
                break
    return sorted(months)


def meeting_dates(*, year: int, cadence: int, weekday: int, start: time) -> list[datetime]:
    """The second `weekday` (0 = Monday) of each meeting month, at `start` local time."""
    tz = timezone.get_default_timezone()
    return [
        timezone.make_aware(datetime.combine(_nth_weekday(year, month, weekday, 2), start), tz)
        for month in meeting_months(cadence)
    ]


@transaction.atomic
def meetings_generate(
    *,
    actor: User,
    network: Network,
    year: int,
    weekday: int = 1,
    start: time = time(13, 0),
    duration: timedelta = timedelta(hours=2),
) -> list[Meeting]:
    """Create a year's meetings from the network's cadence (adjust the dates afterwards)."""
    network = Network.objects.select_for_update().get(pk=network.pk)
    if not 0 <= weekday <= 4:
        raise ValidationError(_("Choose a weekday from Monday to Friday."))
    if duration <= timedelta(0):
        raise ValidationError(_("A meeting must last some time."))
    tz = timezone.get_default_timezone()
    year_start = timezone.make_aware(datetime(year, 1, 1), tz)
    year_end = timezone.make_aware(datetime(year + 1, 1, 1), tz)
    if network.meetings.filter(starts_at__gte=year_start, starts_at__lt=year_end).exists():
        raise ValidationError(
            _("The network already has meetings in %(year)d. Adjust those instead.")
            % {"year": year}
        )
    meetings = Meeting.objects.bulk_create(
        [
            Meeting(
                network=network,
                starts_at=moment,
                ends_at=moment + duration,
                place=network.usual_place,
            )
            for moment in meeting_dates(
                year=year, cadence=network.cadence, weekday=weekday, start=start
            )
        ]
    )
    indicators_changed()  # bulk_create sends no signals
    audit(
        actor=actor,
        action="network.meetings_generated",
        obj=network,
        municipality=network.municipality,
        summary=f"{network.name}: {year}, {len(meetings)}",
    )
    return meetings


MEETING_FIELDS = ("starts_at", "ends_at", "place", "agenda")


@transaction.atomic
def meeting_update(*, actor: User, meeting: Meeting, **data) -> Meeting:
    meeting = Meeting.objects.select_for_update().select_related("network").get(pk=meeting.pk)
    values = _pick(data, MEETING_FIELDS)
    starts_at = values.get("starts_at", meeting.starts_at)
    ends_at = values.get("ends_at", meeting.ends_at)
    if ends_at <= starts_at:
        raise ValidationError(_("The meeting must end after it starts."))
    clash = meeting.network.meetings.filter(starts_at=starts_at).exclude(pk=meeting.pk)
    if clash.exists():
        raise ValidationError(_("The network already has a meeting at that time."))
    changes = diff(meeting, values)
    for name, value in values.items():
        setattr(meeting, name, value)
    meeting.save()
    if changes:
        audit(
            actor=actor,
            action="meeting.updated",
            obj=meeting,
            municipality=meeting.network.municipality,
            summary=str(meeting),
            changes=changes,
        )
    return meeting


def _meeting_has_started(meeting: Meeting) -> bool:
    return timezone.now() >= meeting.starts_at


@transaction.atomic
def meeting_minutes_save(
    *, actor: User, meeting: Meeting, minutes: str, files: Iterable[Upload] = ()
) -> Meeting:
    """Write the minutes after the meeting, and keep its files."""
    meeting = Meeting.objects.select_for_update().select_related("network").get(pk=meeting.pk)
    if not _meeting_has_started(meeting):
        raise ValidationError(_("Minutes are written after the meeting."))
    files = list(files)
    if not minutes.strip() and not files and not meeting.minutes:
        raise ValidationError(_("Write the minutes or attach a file."))
    changes = diff(meeting, {"minutes": minutes})
    if changes:
        meeting.minutes = minutes
        meeting.minutes_by = actor
        meeting.minutes_at = timezone.now()
        meeting.save(update_fields=["minutes", "minutes_by", "minutes_at"])
        changes = {"minutes": [bool(changes["minutes"][0]), bool(minutes)]}
    for upload in files:
        MeetingFile.objects.create(
            meeting=meeting,
            file=upload.content,
            name=upload.name,
            size=upload.size,
            content_type=upload.content_type,
            uploaded_by=actor,
        )
    if files:
        changes["files"] = [upload.name for upload in files]
    if changes:
        audit(
            actor=actor,
            action="meeting.minutes_saved",
            obj=meeting,
            municipality=meeting.network.municipality,
            summary=str(meeting),
            changes=changes,
        )
    return meeting


@transaction.atomic
def meeting_attendance_save(
    *, actor: User, meeting: Meeting, institutions: Iterable[Institution]
) -> set[int]:
    """Record which member daycares took part (replacing what was recorded)."""
    meeting = Meeting.objects.select_for_update().select_related("network").get(pk=meeting.pk)
    if not _meeting_has_started(meeting):
        raise ValidationError(_("Attendance is taken on the day of the meeting or after it."))
    present = {i.pk for i in institutions}
    members = set(meeting.network.memberships.values_list("institution_id", flat=True))
    before = set(meeting.attendances.values_list("institution_id", flat=True))
    if present - members - before:
        raise ValidationError(_("Only the network's member daycares can take part."))
    if present == before:
        return present
    meeting.attendances.filter(institution_id__in=before - present).delete()
    MeetingAttendance.objects.bulk_create(
        [
            MeetingAttendance(meeting=meeting, institution_id=pk, recorded_by=actor)
            for pk in present - before
        ]
    )
    indicators_changed()  # bulk_create sends no signals
    audit(
        actor=actor,
        action="meeting.attendance_recorded",
        obj=meeting,
        municipality=meeting.network.municipality,
        summary=f"{meeting}: {len(present)}",
        changes={"present": [sorted(before), sorted(present)]},
    )
    return present


def network_people(network: Network):
    """Who takes part from the member daycares (by the network's audience)."""
    return User.objects.filter(
        is_active=True,
        memberships__institution__network_memberships__network=network,
        memberships__role__in=network.member_roles,
    ).distinct()


MEETING_REMINDER_BEFORE = timedelta(days=7)
MINUTES_DUE_AFTER = timedelta(days=2)
# Older meetings without minutes are not chased (e.g. when the feature is switched on).
MINUTES_CHASED_FOR = timedelta(days=30)


def meeting_reminders_send(*, now: datetime | None = None) -> int:
    """Remind the members' people of meetings in the next 7 days, once per meeting time."""
    now = now or timezone.now()
    sent = 0
    meetings = Meeting.objects.filter(
        starts_at__gt=now, starts_at__lte=now + MEETING_REMINDER_BEFORE
    ).select_related("network")
    for meeting in meetings:
        sent += len(
            notify(
                recipients=network_people(meeting.network),
                kind="competence.meeting_reminder",
                template="competence/notifications/meeting_reminder",
                context={"meeting": meeting, "network": meeting.network},
                url=reverse("competence:meeting", args=[meeting.pk]),
                key=f"competence:meeting:{meeting.pk}:reminder:{meeting.starts_at:%Y%m%d%H%M}",
                object_id=meeting.pk,
            )
        )
    return sent


def minutes_missing_send(*, now: datetime | None = None) -> int:
    """Tell the organiser, once, when a meeting's minutes are missing two days after."""
    now = now or timezone.now()
    sent = 0
    meetings = Meeting.objects.filter(
        ends_at__lte=now - MINUTES_DUE_AFTER,
        ends_at__gt=now - MINUTES_CHASED_FOR,
        minutes="",
    ).select_related("network__organiser")
    for meeting in meetings:
        sent += len(
            notify(
                recipients=[meeting.network.organiser],
                kind="competence.minutes_missing",
                template="competence/notifications/minutes_missing",
                context={"meeting": meeting, "network": meeting.network},
                url=reverse("competence:meeting_minutes", args=[meeting.pk]),
                key=f"competence:meeting:{meeting.pk}:minutes_missing",
            )
        )
    return sent


# The calendar feed ------------------------------------------------------------------


@transaction.atomic
def calendar_feed_create(*, user: User) -> CalendarFeed:
    """A new secret feed address; the previous one (if any) stops working."""
    User.objects.select_for_update().filter(pk=user.pk).first()
    now = timezone.now()
    revoked = CalendarFeed.objects.filter(user=user, revoked_at=None).update(revoked_at=now)
    feed = CalendarFeed.objects.create(user=user)
    audit(
        actor=user,
        action="calendar_feed.renewed" if revoked else "calendar_feed.created",
        obj=feed,
        summary=user.email,
    )
    return feed


@transaction.atomic
def calendar_feed_revoke(*, user: User) -> int:
    revoked = CalendarFeed.objects.filter(user=user, revoked_at=None).update(
        revoked_at=timezone.now()
    )
    if revoked:
        audit(actor=user, action="calendar_feed.revoked", summary=user.email)
    return revoked


# Knowledge sharing ------------------------------------------------------------------

POST_FIELDS = ("title", "body", "themes", "device", "age_group")


def _check_author(actor: User, institution: Institution) -> None:
    if not Membership.objects.filter(
        user=actor, institution=institution, role__in=STAFF_ROLES
    ).exists():
        raise ValidationError(_("You can only share experiences from a daycare you work in."))


def _store_files(post: Post, files: Iterable[Upload]) -> list[str]:
    names = []
    for upload in files:
        PostFile.objects.create(
            post=post,
            kind=upload.kind,
            file=upload.content,
            name=upload.name,
            size=upload.size,
            content_type=upload.content_type,
        )
        names.append(upload.name)
    return names


@transaction.atomic
def post_create(
    *, actor: User, institution: Institution, files: Iterable[Upload] = (), **data
) -> Post:
    values = _pick(data, POST_FIELDS)
    _check_author(actor, institution)
    if not values.get("title", "").strip() or not values.get("body", "").strip():
        raise ValidationError(_("Give the experience a title and a text."))
    post = Post.objects.create(institution=institution, author=actor, **values)
    names = _store_files(post, files)
    audit(
        actor=actor,
        action="post.created",
        obj=post,
        institution=institution,
        summary=post.title,
        changes={"files": names} if names else None,
    )
    return post


@transaction.atomic
def post_update(
    *,
    actor: User,
    post: Post,
    files: Iterable[Upload] = (),
    remove_files: Iterable[int] = (),
    **data,
) -> Post:
    post = Post.objects.select_for_update().select_related("institution").get(pk=post.pk)
    values = _pick(data, POST_FIELDS)
    changes = diff(post, values)
    for name, value in values.items():
        setattr(post, name, value)
    if not post.title.strip() or not post.body.strip():
        raise ValidationError(_("Give the experience a title and a text."))
    post.save()
    removed = list(post.files.filter(pk__in=list(remove_files)))
    for stored in removed:
        stored.file.delete(save=False)
        stored.delete()
    added = _store_files(post, files)
    if removed:
        changes["removed_files"] = [f.name for f in removed]
    if added:
        changes["files"] = added
    if changes:
        audit(
            actor=actor,
            action="post.updated",
            obj=post,
            institution=post.institution,
            summary=post.title,
            changes=changes,
        )
    return post


@transaction.atomic
def post_delete(*, actor: User, post: Post) -> None:
    post = Post.objects.select_for_update().select_related("institution").get(pk=post.pk)
    stored = list(post.files.all())
    title, institution = post.title, post.institution
    post.delete()
    for upload in stored:
        # Delete the stored files once the rows are gone for good.
        transaction.on_commit(lambda f=upload.file: f.delete(save=False))
    audit(
        actor=actor,
        action="post.deleted",
        obj=institution,
        institution=institution,
        summary=title,
    )


@transaction.atomic
def comment_create(*, actor: User, post: Post, body: str) -> Comment:
    body = body.strip()
    if not body:
        raise ValidationError(_("Write a comment."))
    comment = Comment.objects.create(post=post, author=actor, body=body)
    audit(
        actor=actor,
        action="comment.created",
        obj=comment,
        institution=post.institution,
        summary=post.title,
    )
    if post.author_id and post.author_id != actor.pk:
        notify(
            recipients=[post.author],
            kind="competence.comment",
            template="competence/notifications/comment_added",
            context={"post": post, "name": actor.name},
            url=reverse("competence:post", args=[post.pk]) + f"#kommentar-{comment.pk}",
            key=f"competence:post:{post.pk}:comment:{comment.pk}",
        )
    return comment


@transaction.atomic
def comment_delete(*, actor: User, comment: Comment) -> None:
    comment = Comment.objects.select_related("post__institution").get(pk=comment.pk)
    post = comment.post
    comment.delete()
    audit(
        actor=actor,
        action="comment.deleted",
        obj=post,
        institution=post.institution,
        summary=post.title,
    )


@transaction.atomic
def useful_toggle(*, actor: User, post: Post) -> bool:
    """Mark the post useful, or take the mark back. Returns whether it is marked now."""
    if post.author_id == actor.pk:
        raise ValidationError(_("You cannot mark your own experience as useful."))
    deleted, _details = UsefulMark.objects.filter(post=post, user=actor).delete()
    if deleted:
        return False
    UsefulMark.objects.get_or_create(post=post, user=actor)
    return True
