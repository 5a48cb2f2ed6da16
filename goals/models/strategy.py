"""The municipality's strategy: curriculum themes, strategy periods, focus areas and items."""

from __future__ import annotations

from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import IntegerRangeField, RangeOperators
from django.db import models
from django.db.models import F, Func, Q, Value
from django.utils.translation import gettext_lazy as _

from core.indicators import Area

from ..querysets import (
    StrategyPeriodQuerySet,
    ThemeQuerySet,
)
from .common import _not_blank


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
