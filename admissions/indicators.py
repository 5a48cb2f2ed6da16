"""Indicators owned by place allocation: digital sign-ups and the place guarantee.

A sign-up belongs to the daycare of its first wish. Each indicator evaluates every daycare
of a municipality in one query (plus the municipality's rules).
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.indicators import Area, Indicator, Level, Result, Status, register, watch

from . import permissions
from .models import Offer, Policy, Signup, Wish
from .services import policy_for

# Share of digital sign-ups: met from 90 %, at risk from 75 %.
DIGITAL_MET = 90
DIGITAL_AT_RISK = 75
LOOKBACK_DAYS = 365

watch(Wish, Signup, Offer, Policy)


@register
class DigitalSignups(Indicator):
    code = "admissions.digital_signups"
    area = Area.IT_SERVICE
    level = Level.MUNICIPAL
    order = 60
    title = gettext_lazy("Sign-ups made digitally")
    goal = gettext_lazy(
        "Citizens sign their children up for a place digitally, at any hour (share of the "
        "last year's sign-ups with the daycare as first wish; met from 90 %)."
    )

    def evaluate(self, *, municipality, institutions, today):
        since = today - timedelta(days=LOOKBACK_DAYS)
        rows = (
            Wish.objects.filter(
                rank=1,
                institution_id__in=[i.pk for i in institutions],
                signup__signed_up_on__gte=since,
            )
            .values("institution_id")
            .annotate(
                total=Count("pk"),
                digital=Count("pk", filter=Q(signup__channel=Signup.Channel.DIGITAL)),
            )
        )
        found = {r["institution_id"]: (r["total"], r["digital"]) for r in rows}
        results = {}
        for institution in institutions:
            total, digital = found.get(institution.pk, (0, 0))
            if not total:
                results[institution.pk] = Result(
                    Status.NOT_APPLICABLE, _("No sign-ups in the last year.")
                )
                continue
            share = round(100 * digital / total)
            status = (
                Status.MET
                if share >= DIGITAL_MET
                else Status.AT_RISK
                if share >= DIGITAL_AT_RISK
                else Status.NOT_MET
            )
            results[institution.pk] = Result(
                status,
                _("%(share)d %% of %(total)d sign-ups made digitally")
                % {"share": share, "total": total},
            )
        return results


@register
class GuaranteeKept(Indicator):
    code = "admissions.guarantee_kept"
    area = Area.IT_SERVICE
    level = Level.MUNICIPAL
    order = 61
    title = gettext_lazy("No child past the guarantee date without an offer")
    goal = gettext_lazy(
        "Every child on the waiting list is offered a place by the date from which the "
        "place is guaranteed (children with the daycare as first wish)."
    )

    def evaluate(self, *, municipality, institutions, today):
        policy = policy_for(municipality)
        horizon = today + timedelta(days=policy.guarantee_warning_days)
        without_offer = ~Exists(
            Offer.objects.filter(signup=OuterRef("signup"), state=Offer.State.PENDING)
        )
        rows = (
            Wish.objects.filter(
                rank=1,
                institution_id__in=[i.pk for i in institutions],
                signup__state=Signup.State.WAITING,
            )
            .filter(without_offer)
            .values("institution_id")
            .annotate(
                overdue=Count("pk", filter=Q(signup__guarantee_date__lt=today)),
                near=Count(
                    "pk",
                    filter=Q(
                        signup__guarantee_date__gte=today, signup__guarantee_date__lte=horizon
                    ),
                ),
            )
        )
        found = {r["institution_id"]: (r["overdue"], r["near"]) for r in rows}
        results = {}
        for institution in institutions:
            overdue, near = found.get(institution.pk, (0, 0))
            # The daycare's waiting list, where its leader and the municipality offer places.
            fix = reverse("admissions:waiting_list", args=[institution.pk])
            if overdue:
                results[institution.pk] = Result(
                    Status.NOT_MET,
                    ngettext(
                        "%(n)d child past the guarantee date without an offer",
                        "%(n)d children past the guarantee date without an offer",
                        overdue,
                    )
                    % {"n": overdue},
                    fix,
                )
            elif near:
                results[institution.pk] = Result(
                    Status.AT_RISK,
                    ngettext(
                        "%(n)d child near the guarantee date without an offer",
                        "%(n)d children near the guarantee date without an offer",
                        near,
                    )
                    % {"n": near},
                    fix,
                )
            else:
                results[institution.pk] = Result(
                    Status.MET, _("No child waits past the guarantee date.")
                )
        return results

    def may_fix(self, user, institution, result):
        return bool(permissions.can_view_waiting_list(user, institution))
