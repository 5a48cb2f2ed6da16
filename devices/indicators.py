"""Indicators owned by the devices app: the strategy's "IT, service and organisation".

Each evaluates every daycare of a municipality in a fixed number of queries.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.indicators import Area, Indicator, Level, Result, Status, register, watch
from institutions.models import Group

from . import permissions
from .models import COUNTED_KINDS, Booking, Device, Suitcase, WaitingListEntry, WifiSite

STRATEGY_DEADLINE = date(2014, 12, 31)

watch(Device, WifiSite, Booking, Suitcase, WaitingListEntry)


def group_coverage(institution_ids) -> dict[int, list[tuple[Group, int]]]:
    """Per daycare, its active groups and homes with their working tablets and PCs (one
    query)."""
    groups = (
        Group.objects.filter(institution_id__in=list(institution_ids), is_active=True)
        .annotate(
            devices_count=Count(
                "devices",
                filter=Q(devices__kind__in=COUNTED_KINDS, devices__status__in=Device.WORKING),
            )
        )
        .order_by("name")
    )
    out: dict[int, list[tuple[Group, int]]] = defaultdict(list)
    for group in groups:
        out[group.institution_id].append((group, group.devices_count))
    return out


@register
class DevicePerGroup(Indicator):
    code = "devices.device_per_group"
    area = Area.IT_SERVICE
    level = Level.MUNICIPAL
    order = 10
    deadline = STRATEGY_DEADLINE
    title = gettext_lazy("An available tablet or PC in every group and childminder home")
    goal = gettext_lazy(
        "Every child can choose digital media: at least one available tablet or PC per "
        "child group or childminder home by the end of 2014."
    )

    def evaluate(self, *, municipality, institutions, today):
        coverage = group_coverage(i.pk for i in institutions)
        results = {}
        for institution in institutions:
            groups = coverage.get(institution.pk, [])
            fix_url = reverse("devices:institution", args=[institution.pk])
            if not groups:
                results[institution.pk] = Result(
                    self.graded(False, today), _("No groups or homes registered."), fix_url
                )
                continue
            without = [g.name for g, n in groups if n == 0]
            covered = len(groups) - len(without)
            evidence = ngettext(
                "%(covered)d of %(total)d group or home has a tablet or PC",
                "%(covered)d of %(total)d groups and homes have a tablet or PC",
                len(groups),
            ) % {"covered": covered, "total": len(groups)}
            if without:
                evidence += "; " + _("none in: %(names)s") % {"names": ", ".join(without[:8])}
                if len(without) > 8:
                    evidence += " …"
            results[institution.pk] = Result(self.graded(not without, today), evidence, fix_url)
        return results

    def may_fix(self, user, institution, result):
        return bool(permissions.can_view_devices(user, institution))


@register
class WifiEverySite(Indicator):
    code = "devices.wifi_every_site"
    area = Area.IT_SERVICE
    level = Level.MUNICIPAL
    order = 11
    deadline = STRATEGY_DEADLINE
    title = gettext_lazy("Wi-Fi at every site")
    goal = gettext_lazy("Every daycare has Wi-Fi by the end of 2014.")

    def evaluate(self, *, municipality, institutions, today):
        sites = defaultdict(list)
        for site in WifiSite.objects.filter(institution_id__in=[i.pk for i in institutions]).only(
            "institution_id", "name", "coverage"
        ):
            sites[site.institution_id].append(site)
        results = {}
        for institution in institutions:
            mine = sites.get(institution.pk, [])
            fix_url = reverse("devices:wifi", args=[institution.pk])
            if not mine:
                results[institution.pk] = Result(
                    self.graded(False, today), _("No site with Wi-Fi registered."), fix_url
                )
                continue
            full = [s for s in mine if s.coverage == WifiSite.Coverage.FULL]
            partial = [s.name for s in mine if s.coverage == WifiSite.Coverage.PARTIAL]
            none = [s.name for s in mine if s.coverage == WifiSite.Coverage.NONE]
            evidence = _("Full coverage at %(full)d of %(total)d sites") % {
                "full": len(full),
                "total": len(mine),
            }
            if partial:
                evidence += "; " + _("partial: %(names)s") % {"names": ", ".join(partial)}
            if none:
                evidence += "; " + _("none: %(names)s") % {"names": ", ".join(none)}
            if none:
                status = self.graded(False, today)
            elif partial:
                status = Status.AT_RISK
            else:
                status = Status.MET
            results[institution.pk] = Result(status, evidence, fix_url)
        return results

    def may_fix(self, user, institution, result):
        return bool(permissions.can_view_devices(user, institution))


@register
class SuitcaseBorrowed(Indicator):
    code = "devices.suitcase_borrowed"
    area = Area.IT_SERVICE
    level = Level.MUNICIPAL
    order = 12
    title = gettext_lazy("Has borrowed a digital suitcase this year")
    goal = gettext_lazy(
        "Every daycare can experiment with digital learning materials: it borrows at least "
        "one of the municipality's digital suitcases in the year."
    )

    def evaluate(self, *, municipality, institutions, today):
        ids = [i.pk for i in institutions]
        year_start, year_end = date(today.year, 1, 1), date(today.year, 12, 31)
        bookings = defaultdict(list)
        for booking in (
            Booking.objects.filter(
                institution_id__in=ids,
                starts_on__gte=year_start,
                starts_on__lte=year_end,
            )
            .exclude(status=Booking.Status.CANCELLED)
            .select_related("suitcase")
            .order_by("starts_on")
        ):
            bookings[booking.institution_id].append(booking)
        waiting = set(
            WaitingListEntry.objects.filter(
                institution_id__in=ids, status__in=WaitingListEntry.OPEN
            ).values_list("institution_id", flat=True)
        )
        results = {}
        for institution in institutions:
            fix_url = reverse("devices:institution_calendar", args=[institution.pk])
            mine = bookings.get(institution.pk, [])
            borrowed = [
                b for b in mine if b.status in (Booking.Status.HANDED_OUT, Booking.Status.RETURNED)
            ]
            if borrowed:
                b = borrowed[-1]
                results[institution.pk] = Result(
                    Status.MET,
                    _("Borrowed %(suitcase)s from %(day)s")
                    % {"suitcase": b.suitcase.name, "day": date_format(b.starts_on, "DATE_FORMAT")},
                    fix_url,
                )
            elif mine:
                b = mine[0]
                results[institution.pk] = Result(
                    Status.AT_RISK,
                    _("Booked %(suitcase)s from %(day)s")
                    % {"suitcase": b.suitcase.name, "day": date_format(b.starts_on, "DATE_FORMAT")},
                    fix_url,
                )
            elif institution.pk in waiting:
                results[institution.pk] = Result(
                    Status.AT_RISK, _("On the waiting list for a suitcase."), fix_url
                )
            else:
                results[institution.pk] = Result(
                    Status.NOT_MET,
                    _("No suitcase borrowed or booked in %(year)d.") % {"year": today.year},
                    fix_url,
                )
        return results

    def may_fix(self, user, institution, result):
        return bool(permissions.can_view_devices(user, institution))
