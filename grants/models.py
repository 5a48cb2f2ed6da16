"""The strategy's money: pools, applications and their decisions, shares by number of
children, grants with their earmarks, expenses, and the daycares' own budgets.

All amounts are whole øre in BigIntegerFields (never floats). The invariants that matter
are database constraints as well as service checks:

- a pool is never committed beyond its total: `Pool.committed_ore` is kept in step with
  the grants by the services (in the transaction that locks the pool row) and the database
  refuses `committed_ore > total_ore`;
- an earmark is never spent beyond what it was given: `EarmarkAllocation.spent_ore` is
  kept in step with the expenses, and the database refuses `spent_ore > amount_ore`;
- an application moves only along `Application.TRANSITIONS`, each move logged in
  `ApplicationEvent`.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Mod
from django.db.models.lookups import Exact
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.uploads import IMAGE, random_name
from institutions.models import Institution

from .querysets import ApplicationQuerySet, GrantQuerySet, PoolQuerySet


class Earmark(models.TextChoices):
    """What money may be spent on. A fixed list: the earmark rules of a share (Wi-Fi first
    where a daycare has none) refer to these by code."""

    WIFI = "wifi", _("Wi-Fi")
    DEVICES = "devices", _("Tablets and PCs")
    LEARNING_MATERIALS = "learning_materials", _("Digital learning materials")
    SUITCASES = "suitcases", _("Digital suitcases")
    COMPETENCE = "competence", _("Courses and competence development")


EARMARK_VALUES = [value for value, _label in Earmark.choices]
DAYCARE_KIND_VALUES = [str(kind) for kind in Institution.DAYCARE_KINDS]


def _non_negative(*names: str, prefix: str) -> list[models.CheckConstraint]:
    return [
        models.CheckConstraint(condition=Q(**{f"{name}__gte": 0}), name=f"{prefix}_{name}_gte_0")
        for name in names
    ]


class Pool(models.Model):
    class Kind(models.TextChoices):
        APPLICATION = "application", _("Applied for")
        FORMULA = "formula", _("Shared by number of children")

    municipality = models.ForeignKey(
        "institutions.Municipality",
        on_delete=models.PROTECT,
        related_name="grant_pools",
        verbose_name=_("municipality"),
    )
    name = models.CharField(_("name"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    total_ore = models.BigIntegerField(_("total amount"))
    # Kept equal to the sum of the pool's grants (less what closed grants gave back), in
    # the same transaction, under a lock on this row; the database refuses overdrawing.
    committed_ore = models.BigIntegerField(_("committed"), default=0, editable=False)
    period_start = models.DateField(_("period starts"))
    period_end = models.DateField(_("period ends"))
    opens_on = models.DateField(_("applications open"), null=True, blank=True)
    closes_on = models.DateField(
        _("application deadline"),
        null=True,
        blank=True,
        help_text=_("Applications can be submitted until the end of this day (Danish time)."),
    )
    max_per_application_ore = models.BigIntegerField(
        _("largest amount per application"), null=True, blank=True
    )
    partial_funding_allowed = models.BooleanField(_("partial funding allowed"), default=True)
    earmarks = ArrayField(
        models.CharField(max_length=30, choices=Earmark.choices),
        verbose_name=_("earmarks"),
        default=list,
    )
    eligible_kinds = ArrayField(
        models.CharField(max_length=20, choices=Institution.Kind.choices),
        verbose_name=_("who may apply"),
        default=list,
        blank=True,
        help_text=_("Leave empty to let every daycare apply."),
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PoolQuerySet.as_manager()

    class Meta:
        verbose_name = _("pool")
        verbose_name_plural = _("pools")
        ordering = ["-period_start", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name"], name="grants_pool_name_unique_in_municipality"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["application", "formula"]), name="grants_pool_kind_valid"
            ),
            models.CheckConstraint(condition=Q(total_ore__gt=0), name="grants_pool_total_gt_0"),
            models.CheckConstraint(
                condition=Q(committed_ore__gte=0), name="grants_pool_committed_gte_0"
            ),
            # The invariant: a pool is never committed beyond its total.
            models.CheckConstraint(
                condition=Q(committed_ore__lte=F("total_ore")),
                name="grants_pool_committed_within_total",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="grants_pool_period_order"
            ),
            models.CheckConstraint(
                condition=Q(opens_on__isnull=True)
                | Q(closes_on__isnull=True)
                | Q(closes_on__gte=F("opens_on")),
                name="grants_pool_window_order",
            ),
            models.CheckConstraint(
                condition=Q(max_per_application_ore__isnull=True)
                | Q(max_per_application_ore__gt=0),
                name="grants_pool_max_per_application_gt_0",
            ),
            # Applied-for pools have a deadline; formula pools are never applied for.
            models.CheckConstraint(
                condition=Q(kind="formula", opens_on__isnull=True, closes_on__isnull=True)
                | Q(kind="application", closes_on__isnull=False),
                name="grants_pool_window_by_kind",
            ),
            models.CheckConstraint(
                condition=Q(earmarks__contained_by=EARMARK_VALUES),
                name="grants_pool_earmarks_valid",
            ),
            models.CheckConstraint(
                condition=Q(eligible_kinds__contained_by=DAYCARE_KIND_VALUES),
                name="grants_pool_eligible_kinds_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_formula(self) -> bool:
        return self.kind == self.Kind.FORMULA

    @property
    def available_ore(self) -> int:
        """Not yet committed to any grant."""
        return self.total_ore - self.committed_ore

    def earmark_labels(self) -> list[str]:
        return [str(Earmark(e).label) for e in self.earmarks]

    def eligible_kind_labels(self) -> list[str]:
        return [str(Institution.Kind(k).label) for k in self.eligible_kinds]

    def is_open_for_applications(self, today=None) -> bool:
        today = today or timezone.localdate()
        return (
            self.kind == self.Kind.APPLICATION
            and self.published_at is not None
            and (self.opens_on is None or self.opens_on <= today)
            and self.closes_on is not None
            and today <= self.closes_on
        )

    def accepts(self, institution: Institution) -> bool:
        return institution.is_daycare and (
            not self.eligible_kinds or institution.kind in self.eligible_kinds
        )


class Application(models.Model):
    """A daycare's application to a pool, from draft to closed grant."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        IN_REVIEW = "in_review", _("In review")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        DECIDED = "decided", _("Decided")
        REPORTING = "reporting", _("Final report submitted")
        CLOSED = "closed", _("Closed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    # The only moves there are. Services check them; the history lists each one made.
    TRANSITIONS: dict[str, tuple[str, ...]] = {
        State.DRAFT: (State.SUBMITTED, State.WITHDRAWN),
        State.SUBMITTED: (State.IN_REVIEW, State.WITHDRAWN),
        State.IN_REVIEW: (State.CHANGES_REQUESTED, State.DECIDED, State.WITHDRAWN),
        State.CHANGES_REQUESTED: (State.SUBMITTED, State.WITHDRAWN),
        # Approved: the daycare spends, then reports. Rejected: decided is the end.
        State.DECIDED: (State.REPORTING,),
        State.REPORTING: (State.CLOSED,),
        State.CLOSED: (),
        State.WITHDRAWN: (),
    }
    EDITABLE = (State.DRAFT, State.CHANGES_REQUESTED)

    class Outcome(models.TextChoices):
        APPROVED = "approved", _("Approved in full")
        PARTLY_APPROVED = "partly_approved", _("Approved in part")
        REJECTED = "rejected", _("Rejected")

    pool = models.ForeignKey(
        Pool, on_delete=models.PROTECT, related_name="applications", verbose_name=_("pool")
    )
    institution = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        related_name="grant_applications",
        verbose_name=_("daycare"),
    )
    project = models.CharField(_("project"), max_length=150)
    purpose = models.TextField(_("purpose"))
    # The daycare's local goal for digital media that the project serves, chosen from its
    # goals in the portal; `goal_text` holds the daycare's own words where none fits yet.
    local_goal = models.ForeignKey(
        "goals.LocalGoal",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="grant_applications",
        verbose_name=_("local goal"),
    )
    goal_text = models.CharField(
        _("which of the daycare's goals does this serve"), max_length=300, blank=True
    )
    amount_asked_ore = models.BigIntegerField(_("amount asked"))
    partial_funding_helps = models.BooleanField(_("partial funding helps"), default=True)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)

    outcome = models.CharField(_("decision"), max_length=20, choices=Outcome.choices, blank=True)
    approved_ore = models.BigIntegerField(_("amount granted"), null=True, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    report_due_on = models.DateField(_("final report due"), null=True, blank=True)
    decision_letter = models.FileField(_("decision letter"), blank=True, max_length=200)

    report_text = models.TextField(_("what was done"), blank=True)
    report_evaluation = models.TextField(_("evaluation"), blank=True)
    reported_at = models.DateTimeField(_("final report submitted"), null=True, blank=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_asked_ore__gt=0), name="grants_application_asked_gt_0"
            ),
            models.CheckConstraint(
                condition=Q(
                    state__in=[
                        "draft",
                        "submitted",
                        "in_review",
                        "changes_requested",
                        "decided",
                        "reporting",
                        "closed",
                        "withdrawn",
                    ]
                ),
                name="grants_application_state_valid",
            ),
            # A decision has an outcome; an approval an amount within what was asked (all
            # of it when approved in full), a refusal none; a refusal or a partial approval
            # gives its reason.
            models.CheckConstraint(
                condition=Q(outcome="", approved_ore__isnull=True, decided_at__isnull=True)
                | (
                    Q(outcome="rejected", approved_ore__isnull=True, decided_at__isnull=False)
                    & ~Q(decision_reason="")
                )
                | Q(
                    outcome="approved",
                    approved_ore=F("amount_asked_ore"),
                    decided_at__isnull=False,
                )
                | (
                    Q(
                        outcome="partly_approved",
                        approved_ore__gt=0,
                        approved_ore__lt=F("amount_asked_ore"),
                        decided_at__isnull=False,
                    )
                    & ~Q(decision_reason="")
                ),
                name="grants_application_decision_consistent",
            ),
            models.CheckConstraint(
                condition=Q(state__in=["decided", "reporting", "closed"], decided_at__isnull=False)
                | (~Q(state__in=["decided", "reporting", "closed"]) & Q(outcome="")),
                name="grants_application_decided_states",
            ),
        ]
        indexes = [
            models.Index(fields=["pool", "state"]),
            models.Index(fields=["institution", "-created_at"]),
        ]

    def __str__(self) -> str:
        return self.project

    def can_move_to(self, state: str) -> bool:
        return state in self.TRANSITIONS.get(self.state, ())

    @property
    def is_editable(self) -> bool:
        return self.state in self.EDITABLE

    @property
    def is_approved(self) -> bool:
        return self.outcome in (self.Outcome.APPROVED, self.Outcome.PARTLY_APPROVED)


class BudgetLine(models.Model):
    """One line of an application's budget: what the money is for."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="budget_lines"
    )
    description = models.CharField(_("what"), max_length=200)
    earmark = models.CharField(_("earmark"), max_length=30, choices=Earmark.choices)
    amount_ore = models.BigIntegerField(_("amount"))

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_ore__gt=0), name="grants_budget_line_amount_gt_0"
            ),
            models.CheckConstraint(
                condition=Q(earmark__in=EARMARK_VALUES), name="grants_budget_line_earmark_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.description


class ApplicationEvent(models.Model):
    """One move of an application from one state to another: who, when, and why."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    from_state = models.CharField(max_length=20, choices=Application.State.choices, blank=True)
    to_state = models.CharField(max_length=20, choices=Application.State.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("application event")
        verbose_name_plural = _("application events")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_state} → {self.to_state}"


class ReviewComment(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField(_("comment"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.body[:60]


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
    # The device bought with the money, when the expense is one.
    device = models.ForeignKey(
        "devices.Device",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="grant_expenses",
        verbose_name=_("device bought"),
    )
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


# Links to the devices app: Expense.device names the device an expense bought;
# devices.Device.grant names the grant that paid for a device (one grant often buys
# several); devices.PurchaseProgramme.pool names the pool that pays for a central
# programme; the share run's "without Wi-Fi" starts from devices.WifiSite.
