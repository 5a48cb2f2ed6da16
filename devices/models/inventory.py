"""A daycare's devices and Wi-Fi, each with its history, and the central purchase
programmes whose distribution creates device records."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ..querysets import (
    DeviceQuerySet,
    ProgrammeQuerySet,
    WifiSiteQuerySet,
)


def _valid(field: str, choices: type[models.TextChoices], name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{field}__in": [value for value, _label in choices.choices]}), name=name
    )


class Funding(models.TextChoices):
    """How a device was paid."""

    GRANT = "grant", pgettext_lazy("funding", "A grant")
    DEVELOPMENT_FUNDS = (
        "development_funds",
        pgettext_lazy("funding", "The shared development funds"),
    )
    OWN_BUDGET = "own_budget", pgettext_lazy("funding", "The daycare's own budget")
    PROGRAMME = "programme", pgettext_lazy("funding", "A central purchase programme")
    UNKNOWN = "", pgettext_lazy("funding", "Not recorded")


class DeviceKind(models.TextChoices):
    TABLET = "tablet", pgettext_lazy("device kind", "Tablet")
    PC = "pc", pgettext_lazy("device kind", "PC")
    WHITEBOARD = "whiteboard", pgettext_lazy("device kind", "Interactive whiteboard")
    OTHER = "other", pgettext_lazy("device kind", "Other")


# Devices the strategy counts: "at least one available tablet or PC per group or home".
COUNTED_KINDS = (DeviceKind.TABLET, DeviceKind.PC)


class Device(models.Model):
    class Status(models.TextChoices):
        AVAILABLE = "available", pgettext_lazy("device status", "Available")
        IN_USE = "in_use", pgettext_lazy("device status", "In use")
        IN_REPAIR = "in_repair", pgettext_lazy("device status", "In repair")
        LOST = "lost", pgettext_lazy("device status", "Lost")
        RETIRED = "retired", pgettext_lazy("device status", "Retired")

    # Devices the children can reach: in the cupboard or in someone's hands.
    WORKING = (Status.AVAILABLE, Status.IN_USE)

    institution = models.ForeignKey(
        "institutions.Institution",
        on_delete=models.PROTECT,
        related_name="devices",
        verbose_name=_("daycare"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=DeviceKind.choices)
    model = models.CharField(_("model"), max_length=100)
    serial_number = models.CharField(_("serial number"), max_length=100, blank=True)
    asset_tag = models.CharField(
        _("asset tag"),
        max_length=40,
        blank=True,
        help_text=_("The daycare's or the municipality's inventory number, if there is one."),
    )
    group = models.ForeignKey(
        "institutions.Group",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="devices",
        verbose_name=_("group or childminder home"),
        help_text=_("Leave empty when the device belongs to the whole house."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.AVAILABLE
    )
    purchased_on = models.DateField(_("purchase date"), null=True, blank=True)
    price_ore = models.BigIntegerField(_("price"), null=True, blank=True)
    funding = models.CharField(
        _("how it was paid"), max_length=20, choices=Funding.choices, blank=True, default=""
    )
    # The grant that paid, in the grants area: an applied-for grant or the daycare's share
    # of the development funds (both are grants there). An id, not a relation: the
    # database keeps the foreign key (ON DELETE SET NULL, migration 0002) and the grant's
    # name comes through core.purchases, so devices imports nothing of grants.
    grant_id = models.BigIntegerField(_("grant"), null=True, blank=True, db_index=True)
    programme = models.ForeignKey(
        "PurchaseProgramme",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="devices",
        verbose_name=_("purchase programme"),
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = DeviceQuerySet.as_manager()

    class Meta:
        verbose_name = _("device")
        verbose_name_plural = _("devices")
        ordering = ["kind", "model", "pk"]
        constraints = [
            _valid("kind", DeviceKind, "devices_device_kind_valid"),
            models.CheckConstraint(
                condition=Q(status__in=["available", "in_use", "in_repair", "lost", "retired"]),
                name="devices_device_status_valid",
            ),
            _valid("funding", Funding, "devices_device_funding_valid"),
            models.CheckConstraint(
                condition=Q(price_ore__isnull=True) | Q(price_ore__gte=0),
                name="devices_device_price_gte_0",
            ),
            # A grant is named only when a grant (or the shared funds) paid; a programme
            # only when a programme did.
            models.CheckConstraint(
                condition=Q(grant_id__isnull=True) | Q(funding__in=["grant", "development_funds"]),
                name="devices_device_grant_when_granted",
            ),
            models.CheckConstraint(
                condition=(Q(programme__isnull=True) & ~Q(funding="programme"))
                | Q(programme__isnull=False, funding="programme"),
                name="devices_device_programme_consistent",
            ),
            models.UniqueConstraint(
                fields=["institution", "asset_tag"],
                condition=~Q(asset_tag=""),
                name="devices_device_asset_tag_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["institution", "kind", "status"]),
            models.Index(fields=["group", "kind", "status"]),
        ]

    def __str__(self) -> str:
        label = self.asset_tag or f"#{self.pk}"
        return f"{self.get_kind_display()} {self.model} ({label})"

    @property
    def is_working(self) -> bool:
        return self.status in self.WORKING

    @property
    def label_code(self) -> str:
        return self.asset_tag or f"#{self.pk}"


class DeviceChange(models.Model):
    """One change of a device: who, when, and each field from what to what."""

    class Action(models.TextChoices):
        CREATED = "created", pgettext_lazy("device history", "Registered")
        CHANGED = "changed", pgettext_lazy("device history", "Changed")
        IMPORTED = "imported", pgettext_lazy("device history", "Imported")
        DISTRIBUTED = "distributed", pgettext_lazy("device history", "Distributed")

    device = models.ForeignKey(Device, on_delete=models.CASCADE, related_name="changes")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    # {field: [from, to]} in stored values (codes, ISO dates, øre, pks).
    changes = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("device change")
        verbose_name_plural = _("device changes")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["device", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.device_id}: {self.action}"


class WifiSite(models.Model):
    """One site (address, house) of a daycare and its Wi-Fi."""

    class Coverage(models.TextChoices):
        NONE = "none", pgettext_lazy("wifi coverage", "No Wi-Fi")
        PARTIAL = "partial", pgettext_lazy("wifi coverage", "Partial coverage")
        FULL = "full", pgettext_lazy("wifi coverage", "Full coverage")

    institution = models.ForeignKey(
        "institutions.Institution",
        on_delete=models.CASCADE,
        related_name="wifi_sites",
        verbose_name=_("daycare"),
    )
    name = models.CharField(_("site"), max_length=100, help_text=_("E.g. the main house."))
    address = models.CharField(_("address"), max_length=150, blank=True)
    coverage = models.CharField(
        _("Wi-Fi coverage"), max_length=10, choices=Coverage.choices, default=Coverage.NONE
    )
    established_on = models.DateField(_("date established"), null=True, blank=True)
    supplier = models.CharField(_("supplier"), max_length=100, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = WifiSiteQuerySet.as_manager()

    class Meta:
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "name"], name="devices_wifi_site_unique_name"
            ),
            models.CheckConstraint(
                condition=Q(coverage__in=["none", "partial", "full"]),
                name="devices_wifi_coverage_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class WifiChange(models.Model):
    site = models.ForeignKey(WifiSite, on_delete=models.CASCADE, related_name="changes")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    changes = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Wi-Fi change")
        verbose_name_plural = _("Wi-Fi changes")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.site_id}: {self.created_at:%Y-%m-%d}"


# Digital suitcases -------------------------------------------------------------------


class PurchaseProgramme(models.Model):
    """A central purchase, e.g. "32 iPads for the remaining childminders, 160,000 kr"."""

    municipality = models.ForeignKey(
        "institutions.Municipality", on_delete=models.PROTECT, related_name="purchase_programmes"
    )
    name = models.CharField(_("name"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    device_kind = models.CharField(_("kind"), max_length=20, choices=DeviceKind.choices)
    device_model = models.CharField(_("model"), max_length=100)
    units = models.PositiveIntegerField(_("units"))
    unit_price_ore = models.BigIntegerField(_("unit price"))
    budget_ore = models.BigIntegerField(_("budget"))
    # The pool in the grants area that pays, when there is one: an id with the foreign
    # key kept in the database, as Device.grant_id.
    pool_id = models.BigIntegerField(_("paid from pool"), null=True, blank=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        verbose_name = _("purchase programme")
        verbose_name_plural = _("purchase programmes")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name"], name="devices_programme_unique_name"
            ),
            models.CheckConstraint(condition=Q(units__gte=1), name="devices_programme_units"),
            models.CheckConstraint(
                condition=Q(unit_price_ore__gte=0), name="devices_programme_unit_price"
            ),
            models.CheckConstraint(
                condition=Q(budget_ore__gte=F("units") * F("unit_price_ore")),
                name="devices_programme_within_budget",
            ),
            _valid("device_kind", DeviceKind, "devices_programme_kind_valid"),
        ]

    def __str__(self) -> str:
        return self.name


class ProgrammeLine(models.Model):
    """How many units of a programme go to one group or childminder home."""

    programme = models.ForeignKey(PurchaseProgramme, on_delete=models.CASCADE, related_name="lines")
    group = models.ForeignKey(
        "institutions.Group",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("group or childminder home"),
    )
    planned = models.PositiveIntegerField(_("planned units"))
    distributed = models.PositiveIntegerField(default=0)
    distributed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["group__institution__name", "group__name"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "group"], name="devices_line_unique"),
            models.CheckConstraint(condition=Q(planned__gte=1), name="devices_line_planned"),
            models.CheckConstraint(
                condition=Q(distributed__lte=F("planned")), name="devices_line_within_planned"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme_id}: {self.group_id}"
