"""The municipality's digital suitcases, lent in turn: contents and photos, closures,
rotation plans, bookings (never overlapping: an exclusion constraint), hand-over and
return checks, and waiting lists."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateRangeField, RangeOperators
from django.db import models
from django.db.models import ExpressionWrapper, F, Func, Q, Value
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.uploads import random_name

from ..querysets import (
    BookingQuerySet,
    PlanQuerySet,
    SuitcaseQuerySet,
    WaitingQuerySet,
)


class Suitcase(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", pgettext_lazy("suitcase status", "Lent out in turn")
        SERVICE = "service", pgettext_lazy("suitcase status", "Being serviced")
        RETIRED = "retired", pgettext_lazy("suitcase status", "Retired")

    municipality = models.ForeignKey(
        "institutions.Municipality",
        on_delete=models.PROTECT,
        related_name="suitcases",
        verbose_name=_("municipality"),
    )
    name = models.CharField(_("name"), max_length=100)
    theme = models.CharField(_("theme"), max_length=150)
    description = models.TextField(_("description"))
    ideas = models.TextField(_("ideas for use"), blank=True)
    home_base = models.ForeignKey(
        "institutions.Institution",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="home_suitcases",
        verbose_name=_("home base"),
        help_text=_("Where the suitcase is kept, handed over and returned."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    handover_days = models.PositiveSmallIntegerField(
        _("hand-over days between bookings"),
        default=2,
        help_text=_("Days kept free after a return to check the contents."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SuitcaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("digital suitcase")
        verbose_name_plural = _("digital suitcases")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name"], name="devices_suitcase_unique_name"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["active", "service", "retired"]),
                name="devices_suitcase_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(handover_days__lte=30), name="devices_suitcase_handover_days_max"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class SuitcaseItem(models.Model):
    suitcase = models.ForeignKey(Suitcase, on_delete=models.CASCADE, related_name="items")
    name = models.CharField(_("item"), max_length=150)
    quantity = models.PositiveSmallIntegerField(_("quantity"), default=1)

    class Meta:
        verbose_name = _("item")
        verbose_name_plural = _("contents")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gte=1), name="devices_item_quantity_gte_1"
            ),
            models.UniqueConstraint(fields=["suitcase", "name"], name="devices_item_unique_name"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.name}"


def suitcase_photo_path(instance: SuitcasePhoto, filename: str) -> str:
    return random_name("devices/suitcases", filename)


class SuitcasePhoto(models.Model):
    suitcase = models.ForeignKey(Suitcase, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(_("photo"), upload_to=suitcase_photo_path, max_length=200)
    content_type = models.CharField(max_length=40)
    description = models.CharField(
        _("what the photo shows"),
        max_length=200,
        help_text=_("Read aloud to people who cannot see the photo."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.description


class SuitcaseClosure(models.Model):
    """Days the municipality neither hands suitcases over nor takes them back (holidays)."""

    municipality = models.ForeignKey(
        "institutions.Municipality", on_delete=models.CASCADE, related_name="suitcase_closures"
    )
    starts_on = models.DateField(_("first closed day"))
    ends_on = models.DateField(_("last closed day"))
    reason = models.CharField(_("reason"), max_length=150)

    class Meta:
        verbose_name = _("closure days")
        verbose_name_plural = _("closure days")
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="devices_closure_order"
            ),
        ]

    def __str__(self) -> str:
        return self.reason


class RotationPlan(models.Model):
    """A season's plan: every participating daycare gets each suitcase for N weeks."""

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("rotation plan", "Draft")
        PUBLISHED = "published", pgettext_lazy("rotation plan", "Published")

    municipality = models.ForeignKey(
        "institutions.Municipality", on_delete=models.PROTECT, related_name="rotation_plans"
    )
    name = models.CharField(_("name"), max_length=100)
    starts_on = models.DateField(_("season starts"))
    ends_on = models.DateField(_("season ends"))
    weeks_per_turn = models.PositiveSmallIntegerField(_("weeks per turn"), default=4)
    participants = models.ManyToManyField(
        "institutions.Institution", related_name="rotation_plans", verbose_name=_("daycares")
    )
    suitcases = models.ManyToManyField(
        Suitcase, related_name="rotation_plans", verbose_name=_("suitcases")
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    generated_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("rotation plan")
        verbose_name_plural = _("rotation plans")
        ordering = ["-starts_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name"], name="devices_plan_unique_name"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gt=F("starts_on")), name="devices_plan_season_order"
            ),
            models.CheckConstraint(
                condition=Q(weeks_per_turn__gte=1, weeks_per_turn__lte=26),
                name="devices_plan_weeks_per_turn",
            ),
            models.CheckConstraint(
                condition=Q(status="draft", published_at__isnull=True)
                | Q(status="published", published_at__isnull=False),
                name="devices_plan_published_consistent",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class Booking(models.Model):
    """A daycare borrows a suitcase from `starts_on` (hand-over) to `ends_on` (return)."""

    class Status(models.TextChoices):
        BOOKED = "booked", pgettext_lazy("booking", "Booked")
        HANDED_OUT = "handed_out", pgettext_lazy("booking", "Handed over")
        RETURNED = "returned", pgettext_lazy("booking", "Returned")
        CANCELLED = "cancelled", pgettext_lazy("booking", "Cancelled")

    class Source(models.TextChoices):
        REQUEST = "request", pgettext_lazy("booking source", "Asked for by the daycare")
        ROTATION = "rotation", pgettext_lazy("booking source", "Rotation plan")
        WAITING_LIST = "waiting_list", pgettext_lazy("booking source", "Waiting list")

    # Bookings that hold the suitcase (and its hand-over days) against others.
    HOLDING = (Status.BOOKED, Status.HANDED_OUT, Status.RETURNED)

    suitcase = models.ForeignKey(Suitcase, on_delete=models.PROTECT, related_name="bookings")
    institution = models.ForeignKey(
        "institutions.Institution",
        on_delete=models.PROTECT,
        related_name="suitcase_bookings",
        verbose_name=_("daycare"),
    )
    starts_on = models.DateField(_("hand-over day"))
    ends_on = models.DateField(_("return day"))
    # The suitcase's hand-over days when booked: the days after the return it stays free.
    buffer_days = models.PositiveSmallIntegerField(default=0)
    booked_ends_on = models.DateField(_("booked until"))
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.BOOKED)
    source = models.CharField(max_length=12, choices=Source.choices, default=Source.REQUEST)
    plan = models.ForeignKey(
        RotationPlan, on_delete=models.SET_NULL, null=True, blank=True, related_name="bookings"
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    handed_out_at = models.DateTimeField(null=True, blank=True)
    handed_out_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    handover_note = models.TextField(_("condition at hand-over"), blank=True)
    returned_on = models.DateField(_("returned"), null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    return_note = models.TextField(_("condition at return"), blank=True)
    # Something was missing or broken at the return; the administrator was told.
    flagged = models.BooleanField(default=False)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    objects = BookingQuerySet.as_manager()

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="devices_booking_period_order"
            ),
            models.CheckConstraint(
                condition=Q(booked_ends_on__gte=F("starts_on")),
                name="devices_booking_booked_period_order",
            ),
            models.CheckConstraint(
                condition=Q(buffer_days__lte=30), name="devices_booking_buffer_days_max"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["booked", "handed_out", "returned", "cancelled"]),
                name="devices_booking_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(source__in=["request", "rotation", "waiting_list"]),
                name="devices_booking_source_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status="returned") | Q(returned_on__isnull=False),
                name="devices_booking_returned_has_date",
            ),
            # The invariant: one suitcase is never in two places. A booking holds the
            # suitcase from its hand-over day to its return day plus the hand-over days
            # the contents are checked in; a cancelled booking holds nothing.
            ExclusionConstraint(
                name="devices_booking_no_overlap",
                expressions=[
                    ("suitcase", RangeOperators.EQUAL),
                    (
                        Func(
                            F("starts_on"),
                            ExpressionWrapper(
                                F("ends_on") + F("buffer_days"), output_field=models.DateField()
                            ),
                            Value("[]"),
                            function="daterange",
                            output_field=DateRangeField(),
                        ),
                        RangeOperators.OVERLAPS,
                    ),
                ],
                condition=~Q(status="cancelled"),
            ),
        ]
        indexes = [
            models.Index(fields=["institution", "starts_on"]),
            models.Index(fields=["status", "ends_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.suitcase} – {self.institution}"

    @property
    def is_active(self) -> bool:
        return self.status in (self.Status.BOOKED, self.Status.HANDED_OUT)


class BookingCheck(models.Model):
    """One line of the hand-over or return checklist: an item counted."""

    class Stage(models.TextChoices):
        HANDOVER = "handover", pgettext_lazy("checklist", "Hand-over")
        RETURN = "return", pgettext_lazy("checklist", "Return")

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="checks")
    item = models.ForeignKey(SuitcaseItem, on_delete=models.CASCADE, related_name="checks")
    stage = models.CharField(max_length=10, choices=Stage.choices)
    expected = models.PositiveSmallIntegerField()
    counted = models.PositiveSmallIntegerField()
    broken = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["item_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["booking", "item", "stage"], name="devices_check_once_per_stage"
            ),
            models.CheckConstraint(
                condition=Q(broken__lte=F("counted")), name="devices_check_broken_within"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item}: {self.counted}/{self.expected}"

    @property
    def missing(self) -> int:
        return max(self.expected - self.counted, 0)

    @property
    def is_problem(self) -> bool:
        return self.missing > 0 or self.broken > 0


class RotationSlot(models.Model):
    """One turn of one suitcase at one daycare in a plan (a booking once published)."""

    plan = models.ForeignKey(RotationPlan, on_delete=models.CASCADE, related_name="slots")
    suitcase = models.ForeignKey(Suitcase, on_delete=models.CASCADE, related_name="+")
    institution = models.ForeignKey(
        "institutions.Institution", on_delete=models.CASCADE, related_name="+"
    )
    turn = models.PositiveSmallIntegerField()
    starts_on = models.DateField()
    ends_on = models.DateField()
    booking = models.OneToOneField(
        Booking, on_delete=models.SET_NULL, null=True, blank=True, related_name="slot"
    )

    class Meta:
        ordering = ["turn", "suitcase__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "suitcase", "turn"], name="devices_slot_suitcase_once_per_turn"
            ),
            models.UniqueConstraint(
                fields=["plan", "institution", "turn"], name="devices_slot_daycare_once_per_turn"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="devices_slot_period_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan_id}/{self.turn}: {self.suitcase_id} → {self.institution_id}"


class WaitingListEntry(models.Model):
    """A daycare waits for a suitcase; a freed slot is offered to the first in line."""

    class Status(models.TextChoices):
        WAITING = "waiting", pgettext_lazy("waiting list", "Waiting")
        OFFERED = "offered", pgettext_lazy("waiting list", "Offered a slot")
        ACCEPTED = "accepted", pgettext_lazy("waiting list", "Accepted")
        DECLINED = "declined", pgettext_lazy("waiting list", "Declined")
        EXPIRED = "expired", pgettext_lazy("waiting list", "Offer expired")
        WITHDRAWN = "withdrawn", pgettext_lazy("waiting list", "Withdrawn")

    OPEN = (Status.WAITING, Status.OFFERED)

    suitcase = models.ForeignKey(Suitcase, on_delete=models.CASCADE, related_name="waiting")
    institution = models.ForeignKey(
        "institutions.Institution", on_delete=models.CASCADE, related_name="suitcase_waits"
    )
    wanted_from = models.DateField(_("wanted from"), null=True, blank=True)
    wanted_to = models.DateField(_("wanted until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    offered_starts_on = models.DateField(null=True, blank=True)
    offered_ends_on = models.DateField(null=True, blank=True)
    offered_at = models.DateTimeField(null=True, blank=True)
    offer_expires_at = models.DateTimeField(null=True, blank=True)
    booking = models.OneToOneField(
        Booking, on_delete=models.SET_NULL, null=True, blank=True, related_name="waiting_entry"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = WaitingQuerySet.as_manager()

    class Meta:
        verbose_name = _("waiting list entry")
        verbose_name_plural = _("waiting list")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["suitcase", "institution"],
                condition=Q(status__in=["waiting", "offered"]),
                name="devices_waiting_once",
            ),
            models.CheckConstraint(
                condition=Q(
                    status__in=[
                        "waiting",
                        "offered",
                        "accepted",
                        "declined",
                        "expired",
                        "withdrawn",
                    ]
                ),
                name="devices_waiting_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status="offered")
                | Q(
                    offered_starts_on__isnull=False,
                    offered_ends_on__isnull=False,
                    offer_expires_at__isnull=False,
                ),
                name="devices_waiting_offer_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.suitcase_id}: {self.institution_id}"


# Central purchase programmes ----------------------------------------------------------
