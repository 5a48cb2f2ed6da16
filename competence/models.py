"""Competence development: plans and budgets per daycare, municipal events with
registration and a waiting list, networks that meet on a cadence, and experiences shared
across the daycares of a municipality.

The digital ambassador is a role in institutions (Membership.Role.AMBASSADOR); this app
reads it and adds no role of its own. Money is stored in whole øre.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.uploads import random_name
from institutions.models import Institution, Municipality

from .querysets import (
    CompetencePlanQuerySet,
    EventQuerySet,
    MeetingQuerySet,
    NetworkQuerySet,
    PostQuerySet,
    RegistrationQuerySet,
)
from .themes import AgeGroup, Theme

# Competence plans -------------------------------------------------------------------


class CompetencePlan(models.Model):
    """What one daycare sets aside for competence development in one year."""

    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="competence_plans"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    budget_ore = models.BigIntegerField(_("money set aside (øre)"), default=0)
    hours = models.DecimalField(_("hours set aside"), max_digits=7, decimal_places=1, default=0)
    notes = models.TextField(_("notes"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CompetencePlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("competence plan")
        verbose_name_plural = _("competence plans")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "year"], name="plan_one_per_year"),
            models.CheckConstraint(
                condition=Q(budget_ore__gte=0) & Q(hours__gte=0), name="plan_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000) & Q(year__lte=2100), name="plan_year_sensible"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.institution}: {self.year}"


class PlanActivity(models.Model):
    """A course, conference, network or other activity in a competence plan."""

    class Kind(models.TextChoices):
        COURSE = "course", _("Course")
        CONFERENCE = "conference", _("Conference or theme day")
        NETWORK = "network", _("Network")
        OTHER = "other", _("Other")

    plan = models.ForeignKey(CompetencePlan, on_delete=models.CASCADE, related_name="activities")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"), null=True, blank=True)
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("participants")
    )
    planned_cost_ore = models.BigIntegerField(_("planned cost (øre)"), default=0)
    spent_cost_ore = models.BigIntegerField(_("spent (øre)"), null=True, blank=True)
    planned_hours = models.DecimalField(
        _("planned hours"), max_digits=7, decimal_places=1, default=0
    )
    spent_hours = models.DecimalField(
        _("hours used"), max_digits=7, decimal_places=1, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["course", "conference", "network", "other"]),
                name="activity_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(planned_cost_ore__gte=0)
                & (Q(spent_cost_ore__isnull=True) | Q(spent_cost_ore__gte=0))
                & Q(planned_hours__gte=0)
                & (Q(spent_hours__isnull=True) | Q(spent_hours__gte=0)),
                name="activity_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="activity_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title


# Events -----------------------------------------------------------------------------


class Event(models.Model):
    """A municipal event: the kick-off conference or a later theme day."""

    class Kind(models.TextChoices):
        CONFERENCE = "conference", _("Conference")
        THEME_DAY = "theme_day", _("Theme day")

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="events")
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.CONFERENCE)
    is_kickoff = models.BooleanField(
        _("the kick-off conference"),
        default=False,
        help_text=_(
            "The strategy's kick-off conference for every leader and one employee from each "
            "daycare. Its registrations and attendance are an indicator."
        ),
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=200)
    address = models.CharField(_("address"), max_length=200, blank=True)
    capacity = models.PositiveIntegerField(_("capacity"))
    # Confirmed registrations, kept by the services under a lock on this row. The check
    # constraint below makes the database refuse more than `capacity`, whatever the code.
    confirmed_count = models.PositiveIntegerField(default=0, editable=False)
    programme = models.TextField(_("programme"), blank=True)
    audience = models.CharField(_("who it is for"), max_length=300, blank=True)
    registration_closes_on = models.DateField(_("last day to register"), null=True, blank=True)
    invitations_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gte=1), name="event_capacity_positive"),
            models.CheckConstraint(
                condition=Q(confirmed_count__gte=0) & Q(confirmed_count__lte=F("capacity")),
                name="event_within_capacity",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="event_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["conference", "theme_day"]), name="event_kind_valid"
            ),
            models.UniqueConstraint(
                fields=["municipality"],
                condition=Q(is_kickoff=True),
                name="event_one_kickoff_per_municipality",
            ),
            # What a registration's `for_kickoff` refers to (see Registration).
            models.UniqueConstraint(fields=["id", "is_kickoff"], name="event_id_is_kickoff"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def seats_left(self) -> int:
        return self.capacity - self.confirmed_count


KICKOFF_SEAT_CONSTRAINT = "registration_kickoff_leader_and_one_employee"


class Registration(models.Model):
    """One person's registration for an event, on behalf of their daycare."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Registered")
        WAITING = "waiting", _("On the waiting list")
        CANCELLED = "cancelled", pgettext_lazy("registration status", "Cancelled")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="event_registrations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_registrations"
    )
    # The leader of the daycare, or an employee: the strategy's rule counts both.
    as_leader = models.BooleanField(default=False)
    # The event's `is_kickoff`, copied so the database can hold the kick-off conference's
    # rule: the leader and one employee from each daycare. A foreign key on (event,
    # for_kickoff) to the event's (id, is_kickoff), ON UPDATE CASCADE (migration 0004),
    # keeps the copy true when the event changes.
    for_kickoff = models.BooleanField(default=False, editable=False)
    status = models.CharField(max_length=20, choices=Status.choices)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The waiting list is served in this order.
    queued_at = models.DateTimeField()
    confirmed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["queued_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "user"],
                condition=Q(status__in=["confirmed", "waiting"]),
                name="registration_one_active_per_person",
            ),
            # Registered or waiting, a daycare sends one leader and one employee to the
            # kick-off conference.
            models.UniqueConstraint(
                fields=["event", "institution", "as_leader"],
                condition=Q(for_kickoff=True, status__in=["confirmed", "waiting"]),
                name=KICKOFF_SEAT_CONSTRAINT,
            ),
            models.CheckConstraint(
                condition=Q(status__in=["confirmed", "waiting", "cancelled"]),
                name="registration_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(checked_in_at__isnull=True) | Q(status="confirmed"),
                name="registration_checked_in_only_if_confirmed",
            ),
        ]
        indexes = [
            models.Index(fields=["event", "status", "queued_at"]),
            models.Index(fields=["institution", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.event}"


# Networks ---------------------------------------------------------------------------


class Network(models.Model):
    """A network of daycares that meets on a fixed cadence, e.g. the ambassadors' network."""

    class Audience(models.TextChoices):
        AMBASSADORS = "ambassadors", _("The daycares' digital ambassadors")
        LEADERS = "leaders", _("The daycares' leaders")
        BOTH = "both", _("Leaders and digital ambassadors")

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="networks"
    )
    name = models.CharField(_("name"), max_length=150)
    purpose = models.TextField(_("purpose"), blank=True)
    cadence = models.PositiveSmallIntegerField(
        _("meetings per year"), help_text=_("For example 3: the network meets three times a year.")
    )
    audience = models.CharField(
        _("who takes part from each daycare"),
        max_length=20,
        choices=Audience.choices,
        default=Audience.AMBASSADORS,
    )
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="organised_networks",
        verbose_name=_("organiser"),
    )
    usual_place = models.CharField(_("usual place"), max_length=200, blank=True)
    members = models.ManyToManyField(
        Institution,
        through="NetworkMember",
        related_name="networks",
        verbose_name=_("member daycares"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = NetworkQuerySet.as_manager()

    class Meta:
        verbose_name = _("network")
        verbose_name_plural = _("networks")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name"], name="network_name_unique_in_municipality"
            ),
            models.CheckConstraint(
                condition=Q(cadence__gte=1) & Q(cadence__lte=12), name="network_cadence_1_12"
            ),
            models.CheckConstraint(
                condition=Q(audience__in=["ambassadors", "leaders", "both"]),
                name="network_audience_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def member_roles(self) -> tuple[str, ...]:
        """The institution roles whose holders in a member daycare take part."""
        return {
            self.Audience.AMBASSADORS: ("ambassador",),
            self.Audience.LEADERS: ("leader",),
            self.Audience.BOTH: ("leader", "ambassador"),
        }[self.audience]


class NetworkMember(models.Model):
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="memberships")
    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="network_memberships"
    )
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("network member")
        verbose_name_plural = _("network members")
        constraints = [
            models.UniqueConstraint(fields=["network", "institution"], name="network_member_once"),
        ]

    def __str__(self) -> str:
        return f"{self.institution} – {self.network}"


class Meeting(models.Model):
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="meetings")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    minutes_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    minutes_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["network", "starts_at"], name="meeting_unique_start"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="meeting_ends_after_start"
            ),
        ]
        indexes = [models.Index(fields=["starts_at"]), models.Index(fields=["ends_at"])]

    def __str__(self) -> str:
        return f"{self.network}: {self.starts_at:%Y-%m-%d}"


class MeetingAttendance(models.Model):
    """A daycare took part in a meeting (a row per daycare present)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="meeting_attendances"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "institution"], name="attendance_once"),
        ]

    def __str__(self) -> str:
        return f"{self.institution} – {self.meeting}"


def _random_name(folder: str, filename: str) -> str:
    # A random name: nobody guesses another file's address, and names never clash.
    return random_name(f"competence/{folder}", filename)


def upload_meeting_file(instance, filename: str) -> str:
    return _random_name("meetings", filename)


def upload_post_file(instance, filename: str) -> str:
    return _random_name("posts", filename)


class MeetingFile(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to=upload_meeting_file, max_length=200)
    name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField()
    content_type = models.CharField(max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("meeting file")
        verbose_name_plural = _("meeting files")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.name


# The personal calendar feed ---------------------------------------------------------


def _new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A secret address of one person's meetings and events, for a phone or Outlook.

    The token is the credential: whoever has the address reads the feed, without logging
    in. Revoking it makes the address answer 404; a new one can be made at any time.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    token = models.CharField(max_length=64, unique=True, default=_new_feed_token, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(revoked_at=None), name="calendar_feed_one_active"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.created_at:%Y-%m-%d})"


# Knowledge sharing ------------------------------------------------------------------


class Post(models.Model):
    """An experience shared by staff of one daycare with colleagues in the municipality."""

    institution = models.ForeignKey(
        Institution,
        on_delete=models.CASCADE,
        related_name="shared_posts",
        verbose_name=_("daycare"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    themes = ArrayField(
        models.CharField(max_length=20, choices=Theme.choices),
        default=list,
        blank=True,
        verbose_name=_("curriculum themes"),
    )
    device = models.CharField(_("device or app used"), max_length=150, blank=True)
    age_group = models.CharField(_("age group"), max_length=10, choices=AgeGroup.choices)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Kept by PostgreSQL itself from the text: title weighs most, then the device or app,
    # then the body. The 'danish' configuration stems the words.
    search_vector = models.GeneratedField(
        expression=SearchVector("title", weight="A", config="danish")
        + SearchVector("device", weight="B", config="danish")
        + SearchVector("body", weight="C", config="danish"),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    objects = PostQuerySet.as_manager()

    class Meta:
        verbose_name = _("shared experience")
        verbose_name_plural = _("shared experiences")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(age_group__in=["0_2", "3_5", "0_5", "6_plus"]),
                name="post_age_group_valid",
            ),
            models.CheckConstraint(
                condition=Q(themes__contained_by=[value for value, _label in Theme.choices]),
                name="post_themes_valid",
            ),
        ]
        indexes = [
            GinIndex(fields=["search_vector"], name="post_search_gin"),
            GinIndex(fields=["themes"], name="post_themes_gin"),
            models.Index(fields=["institution", "-created_at"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_themes_display(self) -> list[str]:
        labels = dict(Theme.choices)
        return [str(labels[code]) for code in self.themes if code in labels]


class PostFile(models.Model):
    class Kind(models.TextChoices):
        IMAGE = "image", _("Photo")
        DOCUMENT = "document", _("File")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    file = models.FileField(upload_to=upload_post_file, max_length=200)
    name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField()
    content_type = models.CharField(max_length=100)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attached file")
        verbose_name_plural = _("attached files")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["image", "document"]), name="post_file_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Comment(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField(_("comment"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.body[:50]


class UsefulMark(models.Model):
    """A colleague found a post useful (once per person and post)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="useful_marks")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("useful mark")
        verbose_name_plural = _("useful marks")
        constraints = [
            models.UniqueConstraint(fields=["post", "user"], name="useful_once_per_person"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.post}"
