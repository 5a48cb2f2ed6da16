"""Querysets that scope the goals app's reads to what a user may reach.

Reach follows the institutions app: a daycare's goals, plans, discussions and evaluations
are reached through the daycare (`Institution.objects.visible_to(user)`), the strategy and
the projects through the municipality. Whether a role may read or change what it reaches
is answered in permissions.py (403).
"""

from __future__ import annotations

from datetime import date

from django.db import models


class ThemeQuerySet(models.QuerySet):
    def current(self) -> ThemeQuerySet:
        """The themes of the act in force (2018)."""
        return self.filter(version=self.model.CURRENT)


class StrategyPeriodQuerySet(models.QuerySet):
    def visible_to(self, user) -> StrategyPeriodQuerySet:
        from institutions.models import Municipality

        return self.filter(municipality__in=Municipality.objects.visible_to(user))

    def for_year(self, year: int) -> StrategyPeriodQuerySet:
        return self.filter(start_year__lte=year, end_year__gte=year)


class LocalGoalQuerySet(models.QuerySet):
    def visible_to(self, user) -> LocalGoalQuerySet:
        from institutions.models import Institution

        return self.filter(institution__in=Institution.objects.visible_to(user))


class StepQuerySet(models.QuerySet):
    def open(self) -> StepQuerySet:
        return self.exclude(status="done")

    def overdue(self, today: date) -> StepQuerySet:
        return self.open().filter(due_on__lt=today)

    def due_between(self, first: date, last: date) -> StepQuerySet:
        return self.open().filter(due_on__gte=first, due_on__lte=last)


class ProjectQuerySet(models.QuerySet):
    def visible_to(self, user) -> ProjectQuerySet:
        from institutions.models import Municipality

        return self.filter(municipality__in=Municipality.objects.visible_to(user))
