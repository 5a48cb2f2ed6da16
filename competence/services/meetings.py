"""A network's meetings: generating a year's dates, changing them, minutes and attendance,
reminders and chasing missing minutes."""

from __future__ import annotations

import calendar as _calendar
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.audit import audit, diff
from core.indicators import indicators_changed
from core.notify import notify
from core.uploads import Upload
from institutions.models import Institution

from ..models import Meeting, MeetingAttendance, MeetingFile, Network
from .common import _pick


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
