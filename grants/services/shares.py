"""Shares by formula: the inputs, the calculation of a share run and publishing it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.audit import audit
from core.indicators import indicators_changed
from core.money import ORE_PER_KRONE, largest_remainder
from core.notify import notify
from core.queue import enqueue
from institutions.models import ChildrenCount, Institution, Membership

from ..models import Earmark, EarmarkAllocation, Grant, Pool, Share, ShareRun
from .common import _grant_url, _kr


def share_inputs(pool: Pool, reference_date: date) -> list[tuple[Institution, date | None, int]]:
    """Each active daycare of the pool's municipality with its latest children count on or
    before `reference_date` (two queries in all)."""
    latest = ChildrenCount.objects.filter(
        institution=OuterRef("pk"), counted_on__lte=reference_date
    ).order_by("-counted_on")
    daycares = (
        pool.municipality.institutions.daycares()
        .annotate(
            counted_on=Subquery(latest.values("counted_on")[:1]),
            c02=Subquery(latest.values("aged_0_2")[:1]),
            c35=Subquery(latest.values("aged_3_5")[:1]),
            c6=Subquery(latest.values("aged_6_plus")[:1]),
        )
        .order_by("name", "pk")
    )
    return [(i, i.counted_on, (i.c02 or 0) + (i.c35 or 0) + (i.c6 or 0)) for i in daycares]


def compute_shares(
    *, total_ore: int, children: Sequence[int], has_wifi: Sequence[bool], wifi_reserve_ore: int
) -> list[tuple[int, int]]:
    """(amount, of which for Wi-Fi) per daycare, in whole kroner, adding up to the total."""
    kroner = largest_remainder(total_ore // ORE_PER_KRONE, list(children))
    result = []
    for amount_kr, wifi in zip(kroner, has_wifi, strict=True):
        amount = amount_kr * ORE_PER_KRONE
        result.append((amount, 0 if wifi else min(wifi_reserve_ore, amount)))
    return result


@transaction.atomic
def share_run_calculate(
    *,
    actor: User,
    pool: Pool,
    reference_date: date,
    wifi_reserve_ore: int,
    rest_earmark: str,
    without_wifi: Iterable[int] = (),
) -> ShareRun:
    """Calculate (or calculate again) the shares of a formula pool, as a preview.

    Stores the inputs (reference date, each daycare's count and Wi-Fi status), the method
    and the result. Refused once the shares are published.
    """
    pool = Pool.objects.select_for_update().select_related("municipality").get(pk=pool.pk)
    if not pool.is_formula:
        raise ValidationError(_("Only a pool shared by formula has shares."))
    run = ShareRun.objects.select_for_update().filter(pool=pool).first()
    if run is not None and run.is_published:
        raise ValidationError(_("The shares are published and can no longer be calculated again."))
    if rest_earmark not in pool.earmarks or rest_earmark == Earmark.WIFI:
        raise ValidationError(
            _("Choose one of the pool's earmarks (other than Wi-Fi) for the rest.")
        )
    if wifi_reserve_ore < 0:
        raise ValidationError(_("The amount cannot be negative."))
    if wifi_reserve_ore and Earmark.WIFI not in pool.earmarks:
        raise ValidationError(_("The pool is not earmarked for Wi-Fi."))
    if wifi_reserve_ore % ORE_PER_KRONE:
        raise ValidationError(_("Shares are in whole kroner."))
    if reference_date > timezone.localdate():
        raise ValidationError(_("The reference date cannot be in the future."))
    inputs = share_inputs(pool, reference_date)
    if not any(children for _i, _d, children in inputs):
        raise ValidationError(
            _("No daycare has a children count on or before %(date)s.")
            % {"date": reference_date.strftime("%d.%m.%Y")}
        )
    without = {int(pk) for pk in without_wifi}
    wifi_flags = [i.pk not in without for i, _d, _c in inputs]
    results = compute_shares(
        total_ore=pool.total_ore,
        children=[c for _i, _d, c in inputs],
        has_wifi=wifi_flags,
        wifi_reserve_ore=wifi_reserve_ore,
    )
    if run is None:
        run = ShareRun(pool=pool)
    run.reference_date = reference_date
    run.wifi_reserve_ore = wifi_reserve_ore
    run.rest_earmark = rest_earmark
    run.calculated_at = timezone.now()
    run.calculated_by = actor
    run.save()
    run.shares.all().delete()
    Share.objects.bulk_create(
        Share(
            run=run,
            institution=institution,
            counted_on=counted_on,
            children=children,
            has_wifi=wifi,
            amount_ore=amount,
            wifi_ore=wifi_amount,
        )
        for (institution, counted_on, children), wifi, (amount, wifi_amount) in zip(
            inputs, wifi_flags, results, strict=True
        )
    )
    audit(
        actor=actor,
        action="grants.shares.calculated",
        obj=run,
        municipality=pool.municipality,
        summary=f"{pool.name}: {reference_date:%Y-%m-%d}, {len(inputs)}",
        changes={
            "reference_date": reference_date.isoformat(),
            "wifi_reserve_ore": wifi_reserve_ore,
            "rest_earmark": rest_earmark,
            "without_wifi": sorted(without),
        },
    )
    return run


@transaction.atomic
def share_run_publish(*, actor: User, pool: Pool) -> ShareRun:
    """Publish the previewed shares: each daycare gets its grant with its earmarks, and
    the whole pool is committed."""
    pool = Pool.objects.select_for_update().get(pk=pool.pk)
    run = ShareRun.objects.select_for_update().filter(pool=pool).first()
    if run is None:
        raise ValidationError(_("Calculate the shares before publishing them."))
    if run.is_published:
        raise ValidationError(_("The shares are already published."))
    shares = list(run.shares.select_related("institution").filter(amount_ore__gt=0))
    total = sum(s.amount_ore for s in shares)
    if total != pool.total_ore:  # the preview is stale: the total changed since
        raise ValidationError(_("The pool's total has changed. Calculate the shares again."))
    now = timezone.now()
    grants = Grant.objects.bulk_create(
        Grant(
            pool=pool,
            institution=share.institution,
            share=share,
            amount_ore=share.amount_ore,
            created_at=now,
        )
        for share in shares
    )
    allocations = []
    for share, grant in zip(shares, grants, strict=True):
        if share.wifi_ore:
            allocations.append(
                EarmarkAllocation(grant=grant, earmark=Earmark.WIFI, amount_ore=share.wifi_ore)
            )
        if share.rest_ore:
            allocations.append(
                EarmarkAllocation(grant=grant, earmark=run.rest_earmark, amount_ore=share.rest_ore)
            )
    EarmarkAllocation.objects.bulk_create(allocations)
    indicators_changed()  # bulk_create sends no signals
    pool.committed_ore += total
    if pool.published_at is None:
        pool.published_at = now
    pool.save(update_fields=["committed_ore", "published_at"])
    run.status = ShareRun.Status.PUBLISHED
    run.published_at = now
    run.published_by = actor
    run.save(update_fields=["status", "published_at", "published_by"])
    audit(
        actor=actor,
        action="grants.shares.published",
        obj=run,
        municipality=pool.municipality,
        summary=f"{pool.name}: {_kr(total)} to {len(shares)}",
    )
    enqueue("grants.notify_shares_published", run.pk)
    return run


def shares_published_notify(*, run_id: int) -> int:
    """Tell each daycare's leaders their share and earmarks. Idempotent (a key per grant)."""
    grants = (
        Grant.objects.filter(share__run_id=run_id)
        .select_related("pool", "share")
        .prefetch_related("allocations")
    )
    leaders: dict[int, list[User]] = {}
    for membership in Membership.objects.filter(
        institution__in=[g.institution_id for g in grants], role=Membership.Role.LEADER
    ).select_related("user"):
        leaders.setdefault(membership.institution_id, []).append(membership.user)
    sent = 0
    for grant in grants:
        earmarks = ", ".join(
            f"{a.get_earmark_display()}: {_kr(a.amount_ore)}" for a in grant.allocations.all()
        )
        sent += len(
            notify(
                recipients=leaders.get(grant.institution_id, []),
                kind="grants.share_published",
                template="grants/notifications/share_published",
                context={
                    "pool": grant.pool.name,
                    "amount": _kr(grant.amount_ore),
                    "earmarks": earmarks,
                    "period_end": grant.pool.period_end,
                },
                url=_grant_url(grant),
                key=f"grants-share-{grant.pk}",
            )
        )
    return sent
