"""The strategy as data, and each daycare's local work on it.

Municipal level (edited by the municipality's administrators):
    StrategyPeriod ─┬─ FocusArea ─── StrategyItem (municipal goal, local-goal requirement,
                    │                               concrete action)
                    └─ copied_from (a new period can start as a copy of the last one)
    Project (the municipality's or one daycare's; participating institutions)

Daycare level (edited by the leader and the digital ambassador):
    LocalPlan (business plan of a year, curriculum revision)
    LocalGoal ── ActionPlan ── ActionStep ── Evidence
    ForumDiscussion ── ForumDecision (can become an ActionStep)
    CurriculumEvaluation

CurriculumTheme is a versioned lookup (2004 and 2018 names, mapped by `code`), seeded by
a data migration so every installation has it.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import IntegerRangeField, RangeOperators
from django.db import models
from django.db.models import F, Func, Q, Value
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.indicators import Area
from core.uploads import random_name

from .querysets import (
    LocalGoalQuerySet,
    ProjectQuerySet,
    StepQuerySet,
    StrategyPeriodQuerySet,
    ThemeQuerySet,
)

NOT_BLANK = r"\S"


def _not_blank(field: str) -> Q:
    return Q(**{f"{field}__regex": NOT_BLANK})


# The curriculum themes ----------------------------------------------------------------


class CurriculumTheme(models.Model):
    """One of the six curriculum themes (læreplanstemaer) in one version of the act.

    The two versions name the same six themes differently; `code` ties a 2004 name to
    its 2018 name. The names are the act's own Danish names, so they are stored as data.
    """

    class Version(models.IntegerChoices):
        V2004 = 2004, _("Curriculum themes of 2004")
        V2018 = 2018, _("Curriculum themes of 2018")

    CURRENT = Version.V2018

    version = models.PositiveSmallIntegerField(_("version"), choices=Version.choices)
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=100)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    in_force_from = models.DateField(_("in force from"))

    objects = ThemeQuerySet.as_manager()

    class Meta:
        verbose_name = _("curriculum theme")
        verbose_name_plural = _("curriculum themes")
        ordering = ["-version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="theme_code_once_per_version"),
            models.UniqueConstraint(fields=["version", "name"], name="theme_name_once_per_version"),
            models.CheckConstraint(
                condition=Q(version__in=[2004, 2018]), name="theme_version_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_current(self) -> bool:
        return self.version == self.CURRENT


# The strategy -------------------------------------------------------------------------


class StrategyPeriod(models.Model):
    """A municipality's strategy for digitalisation in daycare for a span of years."""

    municipality = models.ForeignKey(
        "institutions.Municipality",
        on_delete=models.PROTECT,
        related_name="strategy_periods",
        verbose_name=_("municipality"),
    )
    title = models.CharField(_("title"), max_length=200)
    start_year = models.PositiveSmallIntegerField(_("first year"))
    end_year = models.PositiveSmallIntegerField(_("last year"))
    introduction = models.TextField(_("introduction"), blank=True)
    copied_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="copies",
        verbose_name=_("copied from"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = StrategyPeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("strategy period")
        verbose_name_plural = _("strategy periods")
        ordering = ["-start_year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__gte=F("start_year")), name="period_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(start_year__gte=2000, end_year__lte=2100), name="period_years_sane"
            ),
            # A municipality has one strategy at a time: periods never overlap.
            ExclusionConstraint(
                name="period_no_overlap_in_municipality",
                expressions=[
                    (F("municipality"), RangeOperators.EQUAL),
                    (
                        Func(
                            F("start_year"),
                            F("end_year"),
                            Value("[]"),
                            function="int4range",
                            output_field=IntegerRangeField(),
                        ),
                        RangeOperators.OVERLAPS,
                    ),
                ],
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.years}"

    @property
    def years(self) -> str:
        if self.start_year == self.end_year:
            return str(self.start_year)
        return f"{self.start_year}–{self.end_year}"

    def covers(self, year: int) -> bool:
        return self.start_year <= year <= self.end_year


class FocusArea(models.Model):
    """One of a strategy's areas (the Køge strategy has three)."""

    period = models.ForeignKey(StrategyPeriod, on_delete=models.CASCADE, related_name="focus_areas")
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    area = models.CharField(
        _("measured as"),
        max_length=20,
        choices=Area.choices,
        blank=True,
        help_text=_("Which of the portal's indicator areas measures this focus area."),
    )

    class Meta:
        verbose_name = _("focus area")
        verbose_name_plural = _("focus areas")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["period", "number"], name="focus_area_number_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="focus_area_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class StrategyItem(models.Model):
    """A bullet of a focus area: a municipal goal, a local-goal requirement, or a
    concrete action or project. They share one shape: text, perhaps a deadline, a
    time ("autumn 2013") and a budget."""

    class Kind(models.TextChoices):
        MUNICIPAL_GOAL = "municipal_goal", _("Municipal goal")
        LOCAL_GOAL = "local_goal", _("Local goal")
        ACTION = "action", _("Concrete action or project")

    focus_area = models.ForeignKey(FocusArea, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    text = models.TextField(_("text"))
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    timing = models.CharField(
        _("when"),
        max_length=100,
        blank=True,
        help_text=_("As the strategy says it, e.g. “autumn 2013”."),
    )
    budget_ore = models.PositiveBigIntegerField(_("budget (øre)"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("strategy item")
        verbose_name_plural = _("strategy items")
        ordering = ["focus_area__number", "kind", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["municipal_goal", "local_goal", "action"]),
                name="strategy_item_kind_valid",
            ),
            models.CheckConstraint(condition=_not_blank("text"), name="strategy_item_has_text"),
        ]

    def __str__(self) -> str:
        text = " ".join(self.text.split())
        return text if len(text) <= 90 else text[:89] + "…"


# A daycare's plans and goals ----------------------------------------------------------


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


class ForumDiscussion(models.Model):
    """Digitalisation discussed in one of the daycare's forums."""

    class Forum(models.TextChoices):
        STAFF_MEETING = "staff_meeting", _("Staff meeting")
        PARENT_COMMITTEE = "parent_committee", _("Parent contact committee")
        PARENT_BOARD = "parent_board", _("Parent board")
        OTHER = "other", _("Other forum")

    institution = models.ForeignKey(
        "institutions.Institution", on_delete=models.CASCADE, related_name="forum_discussions"
    )
    forum = models.CharField(_("forum"), max_length=20, choices=Forum.choices)
    forum_other = models.CharField(_("name of the forum"), max_length=100, blank=True)
    held_on = models.DateField(_("date"))
    topic = models.CharField(_("topic"), max_length=200)
    participants = models.TextField(_("participants"), blank=True)
    reflection = models.TextField(_("reflection"), blank=True)
    ethics = models.TextField(_("ethical considerations"), blank=True)
    ownership = models.TextField(_("ownership of the work"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("forum discussion")
        verbose_name_plural = _("forum discussions")
        ordering = ["-held_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    forum__in=["staff_meeting", "parent_committee", "parent_board", "other"]
                ),
                name="discussion_forum_valid",
            ),
            models.CheckConstraint(
                condition=~Q(forum="other") | _not_blank("forum_other"),
                name="discussion_other_forum_named",
            ),
            models.CheckConstraint(condition=_not_blank("topic"), name="discussion_has_topic"),
        ]
        indexes = [models.Index(fields=["institution", "-held_on"])]

    def __str__(self) -> str:
        return f"{self.forum_name}, {self.held_on:%d.%m.%Y}"

    @property
    def forum_name(self) -> str:
        if self.forum == self.Forum.OTHER and self.forum_other:
            return self.forum_other
        return str(self.get_forum_display())


class ForumDecision(models.Model):
    discussion = models.ForeignKey(
        ForumDiscussion, on_delete=models.CASCADE, related_name="decisions"
    )
    text = models.TextField(pgettext_lazy("discussion", "decision"))
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible"),
    )
    due_on = models.DateField(_("due date"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = pgettext_lazy("discussion", "decision")
        verbose_name_plural = _("decisions")
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(condition=_not_blank("text"), name="decision_has_text"),
        ]

    def __str__(self) -> str:
        return self.text[:80]


class Project(models.Model):
    """A concrete project: the municipality's (no owner institution) or one daycare's,
    with the institutions taking part."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        RUNNING = "running", _("Running")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", pgettext_lazy("project status", "Cancelled")

    municipality = models.ForeignKey(
        "institutions.Municipality", on_delete=models.PROTECT, related_name="goal_projects"
    )
    owner_institution = models.ForeignKey(
        "institutions.Institution",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="owned_projects",
        verbose_name=_("owned by"),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    strategy_item = models.ForeignKey(
        StrategyItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name=_("concrete action in the strategy"),
        limit_choices_to={"kind": StrategyItem.Kind.ACTION},
    )
    institutions = models.ManyToManyField(
        "institutions.Institution",
        blank=True,
        related_name="goal_projects",
        verbose_name=_("participating institutions"),
    )
    partner = models.CharField(_("partner"), max_length=200, blank=True)
    themes = models.ManyToManyField(
        CurriculumTheme, blank=True, related_name="projects", verbose_name=_("curriculum themes")
    )
    budget_ore = models.PositiveBigIntegerField(_("budget (øre)"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    starts_on = models.DateField(_("start"), null=True, blank=True)
    ends_on = models.DateField(_("end"), null=True, blank=True)
    evaluation = models.TextField(_("evaluation"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["planned", "running", "completed", "cancelled"]),
                name="project_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=F("starts_on")),
                name="project_ends_after_start",
            ),
            models.CheckConstraint(condition=_not_blank("title"), name="project_has_title"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_municipal(self) -> bool:
        return self.owner_institution_id is None
