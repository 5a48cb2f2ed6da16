"""Money given: share runs and shares by number of children, grants with their earmarks,
expenses, and the daycares' own budgets."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Mod
from django.db.models.lookups import Exact
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.uploads import IMAGE, random_name
from institutions.models import Institution

from ..querysets import GrantQuerySet
from .common import EARMARK_VALUES, Earmark, _non_negative
from .pools import Application, Pool


class ShareRun(models.Model):
    """Sharing a formula pool by number of children: the inputs (reference date, each
    daycare's count and Wi-Fi status), the method, and the result (the shares). Re-run
    freely while a draft; published once, then fixed."""

    METHOD = "largest_remainder_kroner"

    class Status(models.TextChoices):
        DRAFT = "draft", _("Preview")
        PUBLISHED = "published", _("Published")

    pool = models.OneToOneField(Pool, on_delete=models.CASCADE, related_name="share_run")
    reference_date = models.DateField(_("reference date for children counts"))
    method = models.CharField(max_length=40, default=METHOD, editable=False)
    wifi_reserve_ore = models.BigIntegerField(
        _("set aside for Wi-Fi where a daycare has none"), default=0
    )
    rest_earmark = models.CharField(
        _("the rest is earmarked for"), max_length=30, choices=Earmark.choices
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    calculated_at = models.DateTimeField(default=timezone.now)
    calculated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("share run")
        verbose_name_plural = _("share runs")
        constraints = [
            *_non_negative("wifi_reserve_ore", prefix="grants_share_run"),
            models.CheckConstraint(
                condition=Q(status="draft", published_at__isnull=True)
                | Q(status="published", published_at__isnull=False),
                name="grants_share_run_published_consistent",
            ),
            models.CheckConstraint(
                condition=Q(rest_earmark__in=EARMARK_VALUES) & ~Q(rest_earmark="wifi"),
                name="grants_share_run_rest_earmark_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pool}: {self.reference_date:%Y-%m-%d}"

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class Share(models.Model):
    """One daycare's line of a share run: its inputs and its result."""

    run = models.ForeignKey(ShareRun, on_delete=models.CASCADE, related_name="shares")
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    counted_on = models.DateField(null=True, blank=True)
    children = models.PositiveIntegerField(default=0)
    # Until the devices app lands, the administrator says per daycare whether it has Wi-Fi.
    has_wifi = models.BooleanField(default=True)
    amount_ore = models.BigIntegerField(default=0)
    wifi_ore = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("share")
        verbose_name_plural = _("shares")
        ordering = ["institution__name"]
        constraints = [
            models.UniqueConstraint(fields=["run", "institution"], name="grants_share_unique"),
            *_non_negative("amount_ore", "wifi_ore", prefix="grants_share"),
            models.CheckConstraint(
                condition=Q(wifi_ore__lte=F("amount_ore")), name="grants_share_wifi_within"
            ),
            # Shares are in whole kroner.
            models.CheckConstraint(
                condition=Exact(Mod("amount_ore", 100), 0), name="grants_share_whole_kroner"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.institution}: {self.amount_ore}"

    @property
    def rest_ore(self) -> int:
        return self.amount_ore - self.wifi_ore


class Grant(models.Model):
    """Money a daycare received from a pool: an approved application or a published share.
    Expenses are booked against its earmarks; closing it gives the unspent money back."""

    pool = models.ForeignKey(Pool, on_delete=models.PROTECT, related_name="grants")
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="grants")
    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, null=True, blank=True, related_name="grant"
    )
    share = models.OneToOneField(
        Share, on_delete=models.PROTECT, null=True, blank=True, related_name="grant"
    )
    amount_ore = models.BigIntegerField(_("amount granted"))
    returned_ore = models.BigIntegerField(_("given back to the pool"), default=0)
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    objects = GrantQuerySet.as_manager()

    class Meta:
        verbose_name = _("grant")
        verbose_name_plural = _("grants")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_ore__gt=0), name="grants_grant_amount_gt_0"),
            *_non_negative("returned_ore", prefix="grants_grant"),
            models.CheckConstraint(
                condition=Q(returned_ore__lte=F("amount_ore")), name="grants_grant_returned_within"
            ),
            models.CheckConstraint(
                condition=Q(application__isnull=False, share__isnull=True)
                | Q(application__isnull=True, share__isnull=False),
                name="grants_grant_one_source",
            ),
            models.CheckConstraint(
                condition=Q(closed_at__isnull=False) | Q(returned_ore=0),
                name="grants_grant_returns_only_when_closed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pool} – {self.institution}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    @property
    def title(self) -> str:
        if self.application_id:
            return self.application.project
        return str(self.pool)


class EarmarkAllocation(models.Model):
    """How much of a grant is for one earmark, and how much of that is spent."""

    grant = models.ForeignKey(Grant, on_delete=models.CASCADE, related_name="allocations")
    earmark = models.CharField(_("earmark"), max_length=30, choices=Earmark.choices)
    amount_ore = models.BigIntegerField(_("received"))
    # Kept equal to the sum of the expenses booked here, in the same transaction.
    spent_ore = models.BigIntegerField(_("spent"), default=0)

    class Meta:
        verbose_name = _("earmark allocation")
        verbose_name_plural = _("earmark allocations")
        ordering = ["grant", "earmark"]
        constraints = [
            models.UniqueConstraint(fields=["grant", "earmark"], name="grants_allocation_unique"),
            *_non_negative("amount_ore", "spent_ore", prefix="grants_allocation"),
            models.CheckConstraint(
                condition=Q(spent_ore__lte=F("amount_ore")), name="grants_allocation_not_overspent"
            ),
            models.CheckConstraint(
                condition=Q(earmark__in=EARMARK_VALUES), name="grants_allocation_earmark_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.grant}: {self.earmark}"

    @property
    def left_ore(self) -> int:
        return self.amount_ore - self.spent_ore


# A receipt is a PDF or a photo of the paper one (checked by core.uploads).
RECEIPT_TYPES = (IMAGE, "pdf")


def receipt_path(instance: Expense, filename: str) -> str:
    return random_name("grants/receipts", filename)


class Expense(models.Model):
    allocation = models.ForeignKey(
        EarmarkAllocation, on_delete=models.PROTECT, related_name="expenses"
    )
    spent_on = models.DateField(_("date"))
    description = models.CharField(_("what was bought"), max_length=200)
    amount_ore = models.BigIntegerField(_("amount"))
    receipt = models.FileField(_("receipt"), upload_to=receipt_path, max_length=200)
    receipt_name = models.CharField(max_length=200, blank=True)
    # The device bought with the money, when the expense is one: an id in the devices
    # area, the foreign key kept in the database (ON DELETE SET NULL, migration 0004);
    # its name comes through core.purchases.
    device_id = models.BigIntegerField(_("device bought"), null=True, blank=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("expense")
        verbose_name_plural = _("expenses")
        ordering = ["-spent_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_ore__gt=0), name="grants_expense_amount_gt_0"
            ),
        ]

    def __str__(self) -> str:
        return self.description


class DigitalBudgetLine(models.Model):
    """A daycare's own budget for digital purchases in a year (the local goal: each
    daycare budgets for digital purchases or applies for funding)."""

    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="digital_budget_lines"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    description = models.CharField(_("what"), max_length=200)
    earmark = models.CharField(_("kind of purchase"), max_length=30, choices=Earmark.choices)
    amount_ore = models.BigIntegerField(_("amount"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("budget line for digital purchases")
        verbose_name_plural = _("budget lines for digital purchases")
        ordering = ["-year", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_ore__gt=0), name="grants_digital_budget_amount_gt_0"
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100), name="grants_digital_budget_year"
            ),
            models.CheckConstraint(
                condition=Q(earmark__in=EARMARK_VALUES), name="grants_digital_budget_earmark_valid"
            ),
        ]
        indexes = [models.Index(fields=["institution", "year"])]

    def __str__(self) -> str:
        return f"{self.year}: {self.description}"


# Links to the devices area go by id, the foreign keys kept in the database:
# Expense.device_id names the device an expense bought; devices.Device.grant_id the grant
# that paid for a device (one grant often buys several); devices.PurchaseProgramme.pool_id
# the pool that pays for a central programme. Names, and which daycares have Wi-Fi for the
# share run, come through core.purchases (grants/purchases.py, devices/purchases.py).
