"""Indicators owned by messaging: families reached digitally, two-way threads, insight.

Each evaluates every daycare of a municipality in one or two queries.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.indicators import Area, Indicator, Level, Result, Status, register, watch
from institutions.models import Guardianship, Invitation

from . import permissions
from .models import Post, Thread

ACCESS_TARGET = 0.9
MONTH = timedelta(days=30)

# Guardians, children and their groups are watched with the institutions' indicators.
watch(Thread, Post, Invitation)


def _since(today: date) -> datetime:
    start = today - MONTH
    return timezone.make_aware(datetime.combine(start, time.min))


@register
class GuardianAccess(Indicator):
    code = "messaging.guardian_access"
    area = Area.IT_SERVICE
    level = Level.MUNICIPAL
    order = 40
    deadline = date(2015, 12, 31)
    title = gettext_lazy("Guardians with activated access")
    goal = gettext_lazy(
        "Every parent can communicate digitally with the daycare, in a way that ties daycare, "
        "school and after-school care together (by the end of 2015). Met when at least 90 percent "
        "of the guardians have activated their access."
    )

    def evaluate(self, *, municipality, institutions, today):
        # Two grouped queries: per institution, its guardians and those who have logged in,
        # then the guardians invited who have not yet accepted. (Grouping joins the tables
        # once; a subquery per institution walked groups, children and users 400 times.)
        ids = [i.pk for i in institutions]
        by_institution = "child__group__institution_id"
        counts = {
            row[by_institution]: (row["guardians"], row["active"])
            for row in Guardianship.objects.filter(
                child__group__institution_id__in=ids, child__left_on=None
            )
            .values(by_institution)
            .annotate(
                guardians=Count("guardian", distinct=True),
                active=Count(
                    "guardian", distinct=True, filter=Q(guardian__last_login__isnull=False)
                ),
            )
        }
        pending = dict(
            Invitation.objects.filter(
                child__group__institution_id__in=ids,
                child__left_on=None,
                accepted_at=None,
                revoked_at=None,
            )
            .values(by_institution)
            .annotate(n=Count("email", distinct=True))
            .values_list(by_institution, "n")
        )
        counts = {
            pk: (guardians + pending.get(pk, 0), active)
            for pk, (guardians, active) in counts.items()
        } | {pk: (n, 0) for pk, n in pending.items() if pk not in counts}
        results = {}
        for institution in institutions:
            total, active = counts.get(institution.pk, (0, 0))
            fix_url = reverse("messaging:reach", args=[institution.pk])
            if total == 0:
                results[institution.pk] = Result(
                    self.graded(False, today), _("No guardians registered or invited."), fix_url
                )
                continue
            share = active / total
            evidence = _("%(active)d of %(total)d guardians (%(percent)d%%)") % {
                "active": active,
                "total": total,
                "percent": round(share * 100),
            }
            results[institution.pk] = Result(
                self.graded(share >= ACCESS_TARGET, today), evidence, fix_url
            )
        return results

    def may_fix(self, user, institution, result):
        return bool(permissions.can_view_reach(user, institution))


@register
class TwoWayThreads(Indicator):
    code = "messaging.two_way_threads"
    area = Area.DIGITAL_MEDIA
    level = Level.MUNICIPAL
    order = 40
    title = gettext_lazy("Two-way conversations with families")
    goal = gettext_lazy(
        "All written communication with parents is digital and reachable from home: the "
        "daycare has answered guardians in conversations in the last month."
    )

    def evaluate(self, *, municipality, institutions, today):
        answered = dict(
            Thread.objects.filter(
                institution__in=[i.pk for i in institutions], answered_at__gte=_since(today)
            )
            .values("institution")
            .annotate(n=Count("id"))
            .values_list("institution", "n")
        )
        results = {}
        for institution in institutions:
            count = answered.get(institution.pk, 0)
            if count:
                evidence = _("%(count)d conversations answered in the last 30 days") % {
                    "count": count
                }
                results[institution.pk] = Result(Status.MET, evidence)
            else:
                results[institution.pk] = Result(
                    Status.NOT_MET,
                    _("No conversation with a guardian answered in the last 30 days."),
                    reverse("messaging:institution_inbox", args=[institution.pk]),
                )
        return results

    def may_fix(self, user, institution, result):
        return bool(permissions.can_use_inbox(user, institution))


@register
class PedagogicalInsight(Indicator):
    code = "messaging.pedagogical_insight"
    area = Area.DIGITAL_MEDIA
    level = Level.MUNICIPAL
    order = 41
    title = gettext_lazy("Posts with insight into the pedagogical work")
    goal = gettext_lazy(
        "Digital media give parents insight into the pedagogical thinking behind activities: "
        "the daycare has published such a post in the last month."
    )

    def evaluate(self, *, municipality, institutions, today):
        themes = dict(
            Post.objects.filter(
                institution__in=[i.pk for i in institutions],
                kind=Post.Kind.INSIGHT,
                published_at__gte=_since(today),
                withdrawn_at=None,
            )
            .values("institution")
            .annotate(n=Count("id"))
            .values_list("institution", "n")
        )
        results = {}
        for institution in institutions:
            count = themes.get(institution.pk, 0)
            if count:
                evidence = _("%(count)d posts with pedagogical insight in the last 30 days") % {
                    "count": count
                }
                results[institution.pk] = Result(Status.MET, evidence)
            else:
                results[institution.pk] = Result(
                    Status.NOT_MET,
                    _("No post with pedagogical insight in the last 30 days."),
                    reverse("messaging:post_create", args=[institution.pk]),
                )
        return results

    def may_fix(self, user, institution, result):
        return bool(permissions.can_publish_to_institution(user, institution))
