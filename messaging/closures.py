"""The daycares' closure periods, offered to the apps that plan days (core.closures)."""

from __future__ import annotations

from datetime import date

from core.closures import closure_provider

from .models import ClosurePeriod


@closure_provider
def closure_periods(*, institution_ids: list[int], start: date, end: date):
    return ClosurePeriod.objects.filter(
        institution_id__in=institution_ids, ends_on__gte=start, starts_on__lte=end
    ).values_list("institution_id", "starts_on", "ends_on")
