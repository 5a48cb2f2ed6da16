"""The messaging app's section of the institution status report: how many families the
daycare reaches digitally, and what it wrote to them in the last month. Counts only: the
report names no guardian or child."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.reports import ReportSection, Table, report_section
from institutions.models import Guardianship

from .models import Post, PostDelivery, Thread

MONTH = timedelta(days=30)


def _percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)} %" if whole else "–"


@report_section
def messaging_section(*, institution, today):
    """Four queries: guardians, posts by kind, deliveries read, conversations."""
    since = timezone.make_aware(datetime.combine(today - MONTH, time.min))
    guardians = Guardianship.objects.filter(
        child__group__institution=institution, child__left_on=None
    ).aggregate(
        total=Count("guardian", distinct=True),
        active=Count("guardian", distinct=True, filter=Q(guardian__last_login__isnull=False)),
    )
    posts = (
        Post.objects.filter(institution=institution, published_at__gte=since, withdrawn_at=None)
        .values("kind")
        .annotate(n=Count("id"))
    )
    by_kind = {row["kind"]: row["n"] for row in posts}
    deliveries = PostDelivery.objects.filter(
        post__institution=institution, published_at__gte=since
    ).aggregate(total=Count("id"), read=Count("id", filter=Q(read_at__isnull=False)))
    threads = Thread.objects.filter(institution=institution).aggregate(
        started=Count("id", filter=Q(created_at__gte=since)),
        answered=Count("id", filter=Q(answered_at__gte=since)),
        waiting=Count("id", filter=Q(awaiting_staff=True)),
    )
    total, active = guardians["total"], guardians["active"]
    return ReportSection(
        title=_("Messaging and reach"),
        order=60,
        facts=[
            (_("Guardians of the children"), str(total)),
            (
                _("Guardians with activated access"),
                _("%(active)d (%(percent)s)")
                % {"active": active, "percent": _percent(active, total)},
            ),
        ],
        tables=[
            Table(
                caption=_("The last 30 days"),
                headings=[_("What"), _("How many")],
                rows=[
                    [_("Posts with practical information"), by_kind.get(Post.Kind.PRACTICAL, 0)],
                    [
                        _("Posts with insight into the pedagogical work"),
                        by_kind.get(Post.Kind.INSIGHT, 0),
                    ],
                    [_("Posts delivered to guardians"), deliveries["total"]],
                    [
                        _("Of those read"),
                        _("%(read)d (%(percent)s)")
                        % {
                            "read": deliveries["read"],
                            "percent": _percent(deliveries["read"], deliveries["total"]),
                        },
                    ],
                    [_("Conversations started by families or staff"), threads["started"]],
                    [_("Conversations answered by staff"), threads["answered"]],
                    [_("Conversations awaiting an answer now"), threads["waiting"]],
                ],
                numeric={1},
            )
        ],
    )
