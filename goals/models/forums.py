"""Discussions and decisions in the daycare's forums, and projects."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ..querysets import (
    ProjectQuerySet,
)
from .common import _not_blank
from .strategy import CurriculumTheme, StrategyItem


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
