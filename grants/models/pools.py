"""Pools and the applications for them: budget lines, events, review comments."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from institutions.models import Institution

from ..querysets import ApplicationQuerySet, PoolQuerySet
from .common import DAYCARE_KIND_VALUES, EARMARK_VALUES, Earmark


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
