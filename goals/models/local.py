"""A daycare's own work: local plans and goals, action plans and steps, evidence and
curriculum evaluations."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.uploads import random_name

from ..querysets import (
    LocalGoalQuerySet,
    StepQuerySet,
)
from .common import _not_blank
from .strategy import CurriculumTheme, StrategyItem


class LocalPlan(models.Model):
    """The steering document a local goal belongs to: the business plan of a year, or a
    revision of the pedagogical curriculum."""

    class Kind(models.TextChoices):
        BUSINESS_PLAN = "business_plan", _("Business plan")
        CURRICULUM_REVISION = "curriculum_revision", _("Curriculum revision")

    institution = models.ForeignKey(
        "institutions.Institution", on_delete=models.CASCADE, related_name="goal_plans"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    adopted_on = models.DateField(
        _("revised on"),
        null=True,
        blank=True,
        help_text=_("For a curriculum revision: the date the revised curriculum was adopted."),
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["-year", "-adopted_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["business_plan", "curriculum_revision"]),
                name="local_plan_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100), name="local_plan_year_sane"
            ),
            models.CheckConstraint(
                condition=~Q(kind="curriculum_revision") | Q(adopted_on__isnull=False),
                name="curriculum_revision_has_date",
            ),
            models.UniqueConstraint(
                fields=["institution", "year"],
                condition=Q(kind="business_plan"),
                name="one_business_plan_per_year",
            ),
            models.UniqueConstraint(
                fields=["institution", "adopted_on"],
                condition=Q(kind="curriculum_revision"),
                name="one_curriculum_revision_per_date",
            ),
        ]

    def __str__(self) -> str:
        from django.utils.formats import date_format

        if self.kind == self.Kind.BUSINESS_PLAN:
            label = _("Business plan %(year)s") % {"year": self.year}
        else:
            label = _("Curriculum revised %(date)s") % {
                "date": date_format(self.adopted_on, "DATE_FORMAT")
            }
        return f"{label}: {self.title}" if self.title else str(label)


class LocalGoal(models.Model):
    """A daycare's own goal for digital media."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", pgettext_lazy("goal status", "Active")
        ACHIEVED = "achieved", _("Achieved")
        DROPPED = "dropped", _("Dropped")

    institution = models.ForeignKey(
        "institutions.Institution",
        on_delete=models.CASCADE,
        related_name="local_goals",
        verbose_name=_("institution"),
    )
    title = models.CharField(_("title"), max_length=200)
    children_activity = models.TextField(_("what the children will do"), blank=True)
    didactic_considerations = models.TextField(_("didactic considerations"))
    inclusion = models.TextField(
        _("inclusion, participation and say"),
        blank=True,
        help_text=_(
            "How the goal supports an inclusive learning environment and the children's "
            "participation and say."
        ),
    )
    themes = models.ManyToManyField(
        CurriculumTheme, blank=True, related_name="local_goals", verbose_name=_("curriculum themes")
    )
    municipal_goals = models.ManyToManyField(
        StrategyItem,
        blank=True,
        related_name="local_goals",
        verbose_name=_("municipal goals"),
        limit_choices_to={"kind": StrategyItem.Kind.MUNICIPAL_GOAL},
    )
    plan = models.ForeignKey(
        LocalPlan,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="goals",
        verbose_name=_("plan"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    review_on = models.DateField(_("review date"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = LocalGoalQuerySet.as_manager()

    class Meta:
        verbose_name = _("local goal")
        verbose_name_plural = _("local goals")
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["draft", "active", "achieved", "dropped"]),
                name="local_goal_status_valid",
            ),
            models.CheckConstraint(
                condition=_not_blank("didactic_considerations"),
                name="local_goal_has_didactic_considerations",
            ),
            models.CheckConstraint(condition=_not_blank("title"), name="local_goal_has_title"),
        ]
        indexes = [models.Index(fields=["institution", "status"])]

    def __str__(self) -> str:
        return self.title

    def review_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return (
            self.status == self.Status.ACTIVE
            and self.review_on is not None
            and self.review_on < today
        )


class ActionPlan(models.Model):
    goal = models.ForeignKey(LocalGoal, on_delete=models.CASCADE, related_name="action_plans")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.title


class ActionStep(models.Model):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="steps")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="goal_steps",
        verbose_name=_("owner"),
    )
    due_on = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED
    )
    position = models.PositiveIntegerField(_("position"))
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    source_decision = models.OneToOneField(
        "ForumDecision",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="step",
        verbose_name=_("from the decision"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = StepQuerySet.as_manager()

    class Meta:
        verbose_name = _("action step")
        verbose_name_plural = _("action steps")
        ordering = ["position"]
        constraints = [
            # Deferred, so two steps can swap places inside one transaction.
            models.UniqueConstraint(
                fields=["plan", "position"],
                name="step_position_unique_in_plan",
                deferrable=models.Deferrable.DEFERRED,
            ),
            models.CheckConstraint(
                condition=Q(status__in=["not_started", "in_progress", "done"]),
                name="step_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(status="done", completed_at__isnull=False)
                | (~Q(status="done") & Q(completed_at__isnull=True)),
                name="step_completed_when_done",
            ),
            models.CheckConstraint(condition=_not_blank("title"), name="step_has_title"),
        ]
        indexes = [
            models.Index(fields=["status", "due_on"], name="step_open_due_idx"),
            models.Index(fields=["owner", "status"], name="step_owner_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_done(self) -> bool:
        return self.status == self.Status.DONE

    def is_overdue(self, today=None) -> bool:
        return not self.is_done and self.due_on < (today or timezone.localdate())


def evidence_path(instance: Evidence, filename: str) -> str:
    # The stored name never carries the uploaded name (it may hold a child's name);
    # the original name is kept in the row for the download.
    return random_name("goals/evidence", filename)


def evaluation_path(instance: CurriculumEvaluation, filename: str) -> str:
    return random_name("goals/evaluations", filename)


class Evidence(models.Model):
    """What shows that a step was done: a text, a file, a link or a photo."""

    class Kind(models.TextChoices):
        TEXT = "text", _("Text")
        FILE = "file", _("File")
        LINK = "link", _("Link")
        PHOTO = "photo", _("Photo")

    step = models.ForeignKey(ActionStep, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    text = models.TextField(_("text"), blank=True)
    url = models.URLField(_("link"), max_length=500, blank=True)
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=300, blank=True)
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["added_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["text", "file", "link", "photo"]),
                name="evidence_kind_valid",
            ),
            models.CheckConstraint(
                condition=(Q(kind="text") & _not_blank("text"))
                | (Q(kind="link") & ~Q(url=""))
                | (Q(kind__in=["file", "photo"]) & ~Q(file="")),
                name="evidence_has_content",
            ),
        ]

    def __str__(self) -> str:
        return self.file_name or self.url or self.text[:60]


class CurriculumEvaluation(models.Model):
    """The evaluation of the pedagogical curriculum, due at least every second year."""

    institution = models.ForeignKey(
        "institutions.Institution",
        on_delete=models.CASCADE,
        related_name="curriculum_evaluations",
    )
    evaluated_on = models.DateField(_("date of the evaluation"))
    summary = models.TextField(_("summary"))
    document = models.FileField(
        _("document"), upload_to=evaluation_path, max_length=300, blank=True
    )
    document_name = models.CharField(max_length=200, blank=True)
    children_perspective = models.BooleanField(
        _("the children's perspective was included"), default=False
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("curriculum evaluation")
        verbose_name_plural = _("curriculum evaluations")
        ordering = ["-evaluated_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=_not_blank("summary"), name="evaluation_has_summary"),
        ]
        indexes = [models.Index(fields=["institution", "-evaluated_on"])]

    def __str__(self) -> str:
        return f"{self.institution}: {self.evaluated_on:%Y-%m-%d}"
