"""Pools: creating, changing and publishing them, and telling the daycares."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.audit import audit, diff
from core.money import ORE_PER_KRONE
from core.notify import notify
from core.queue import enqueue
from institutions.models import Membership, Municipality

from ..models import Pool, ShareRun
from .common import _kr, _pick

POOL_FIELDS = (
    "name",
    "description",
    "kind",
    "total_ore",
    "period_start",
    "period_end",
    "opens_on",
    "closes_on",
    "max_per_application_ore",
    "partial_funding_allowed",
    "earmarks",
    "eligible_kinds",
)


def _check_pool(values: dict) -> None:
    kind = values["kind"]
    if not values.get("earmarks"):
        raise ValidationError(_("Choose at least one earmark the money may be spent on."))
    if values["period_end"] < values["period_start"]:
        raise ValidationError(_("The period must end after it starts."))
    if values.get("total_ore", 0) <= 0:
        raise ValidationError(_("The total amount must be more than 0 kr."))
    if kind == Pool.Kind.FORMULA:
        if values["total_ore"] % ORE_PER_KRONE:
            raise ValidationError(_("A pool shared by formula is shared in whole kroner."))
        if values.get("opens_on") or values.get("closes_on"):
            raise ValidationError(_("A pool shared by formula has no application deadline."))
        if values.get("max_per_application_ore"):
            raise ValidationError(
                _("A pool shared by formula has no largest amount per application.")
            )
    else:
        if not values.get("closes_on"):
            raise ValidationError(_("A pool that daycares apply to needs a deadline."))
        opens = values.get("opens_on")
        if opens and values["closes_on"] < opens:
            raise ValidationError(_("The deadline must come after the pool opens."))
        largest = values.get("max_per_application_ore")
        if largest is not None and largest > values["total_ore"]:
            raise ValidationError(
                _("The largest amount per application cannot exceed the pool's total.")
            )


@transaction.atomic
def pool_create(*, actor: User, municipality: Municipality, **data) -> Pool:
    """Create a pool in `municipality`. It is seen by daycares once published."""
    values = _pick(data, POOL_FIELDS)
    values.setdefault("eligible_kinds", [])
    if values["kind"] == Pool.Kind.FORMULA:
        values["opens_on"] = values["closes_on"] = values["max_per_application_ore"] = None
    _check_pool(values)
    if Pool.objects.filter(municipality=municipality, name__iexact=values["name"]).exists():
        raise ValidationError(_("The municipality already has a pool with that name."))
    pool = Pool.objects.create(municipality=municipality, **values)
    audit(
        actor=actor,
        action="grants.pool.created",
        obj=pool,
        municipality=municipality,
        summary=f"{pool.name}: {_kr(pool.total_ore)}",
    )
    return pool


@transaction.atomic
def pool_update(*, actor: User, pool: Pool, **data) -> Pool:
    pool = Pool.objects.select_for_update().get(pk=pool.pk)
    values = _pick(data, POOL_FIELDS)
    values.pop("kind", None)  # a pool keeps its kind: its money already moved that way
    merged = {name: values.get(name, getattr(pool, name)) for name in POOL_FIELDS}
    if pool.is_formula:
        merged["opens_on"] = merged["closes_on"] = merged["max_per_application_ore"] = None
        values.update(opens_on=None, closes_on=None, max_per_application_ore=None)
    _check_pool(merged)
    if merged["total_ore"] < pool.committed_ore:
        raise ValidationError(
            _("The total cannot be less than what is already committed (%(committed)s).")
            % {"committed": _kr(pool.committed_ore)}
        )
    run = ShareRun.objects.filter(pool=pool).first()
    if run is not None and run.is_published and merged["total_ore"] != pool.total_ore:
        raise ValidationError(_("The total cannot change after the shares are published."))
    clash = Pool.objects.filter(
        municipality_id=pool.municipality_id, name__iexact=merged["name"]
    ).exclude(pk=pool.pk)
    if clash.exists():
        raise ValidationError(_("The municipality already has a pool with that name."))
    changes = diff(pool, values)
    for name, value in values.items():
        setattr(pool, name, value)
    pool.save()
    if changes:
        audit(
            actor=actor,
            action="grants.pool.updated",
            obj=pool,
            municipality=pool.municipality,
            summary=pool.name,
            changes=changes,
        )
    return pool


@transaction.atomic
def pool_publish(*, actor: User, pool: Pool) -> Pool:
    """Open an applied-for pool to the daycares (formula pools publish their shares)."""
    pool = Pool.objects.select_for_update().get(pk=pool.pk)
    if pool.is_formula:
        raise ValidationError(_("A pool shared by formula is published with its shares."))
    if pool.published_at is not None:
        raise ValidationError(_("The pool is already published."))
    if pool.closes_on < timezone.localdate():
        raise ValidationError(_("The deadline has passed. Move it before publishing."))
    pool.published_at = timezone.now()
    pool.save(update_fields=["published_at"])
    audit(
        actor=actor,
        action="grants.pool.published",
        obj=pool,
        municipality=pool.municipality,
        summary=pool.name,
    )
    enqueue("grants.notify_pool_published", pool.pk)
    return pool


def pool_published_notify(*, pool_id: int) -> int:
    """Tell the leaders of every daycare that may apply. Idempotent (one key per pool)."""
    pool = Pool.objects.select_related("municipality").filter(pk=pool_id).first()
    if pool is None or pool.published_at is None or pool.is_formula:
        return 0
    daycares = pool.municipality.institutions.daycares()
    if pool.eligible_kinds:
        daycares = daycares.filter(kind__in=pool.eligible_kinds)
    recipients = User.objects.filter(
        memberships__institution__in=daycares, memberships__role=Membership.Role.LEADER
    ).distinct()
    return len(
        notify(
            recipients=recipients,
            kind="grants.pool_published",
            template="grants/notifications/pool_published",
            context={"pool": pool, "total": _kr(pool.total_ore)},
            url=_pool_url(pool),
            key=f"grants-pool-published-{pool.pk}",
        )
    )


def _pool_url(pool: Pool) -> str:
    from django.urls import reverse

    return reverse("grants:pool", args=[pool.pk])
