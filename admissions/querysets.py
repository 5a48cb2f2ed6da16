"""Querysets that scope every read of place allocation to what a user may reach.

- the parent who signed a child up: that sign-up, its offers and letters;
- the municipality's administrators and consultants: every sign-up in the municipality;
- a daycare's leader: the sign-ups that wish the daycare or hold its offers (its waiting
  list), and those offers; not the letters, which are between family and municipality.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Exists, OuterRef, Q


def _membership_model():
    from institutions.models import Membership

    return Membership


def _municipal_role_model():
    from institutions.models import MunicipalRole

    return MunicipalRole


def _wish_model():
    from .models import Wish

    return Wish


def _offer_model():
    from .models import Offer

    return Offer


def _leads(user, ref: str):
    Membership = _membership_model()
    return Exists(Membership.objects.filter(user=user, institution=OuterRef(ref), role="leader"))


def _municipal(user, ref: str):
    MunicipalRole = _municipal_role_model()
    return Exists(MunicipalRole.objects.filter(user=user, municipality=OuterRef(ref)))


class SignupQuerySet(models.QuerySet):
    def waiting(self) -> SignupQuerySet:
        return self.filter(state="waiting")

    def visible_to(self, user) -> SignupQuerySet:
        if not user.is_authenticated:
            return self.none()
        Membership = _membership_model()
        led = Membership.objects.filter(user=user, role="leader").values("institution")
        Wish = _wish_model()
        Offer = _offer_model()
        return self.filter(
            Q(parent=user)
            | _municipal(user, "municipality")
            | Exists(Wish.objects.filter(signup=OuterRef("pk"), institution__in=led))
            | Exists(Offer.objects.filter(signup=OuterRef("pk"), institution__in=led))
        )


class OfferQuerySet(models.QuerySet):
    def pending(self) -> OfferQuerySet:
        return self.filter(state="pending")

    def visible_to(self, user) -> OfferQuerySet:
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            Q(signup__parent=user)
            | _municipal(user, "signup__municipality")
            | _leads(user, "institution")
        )


class LetterQuerySet(models.QuerySet):
    def visible_to(self, user) -> LetterQuerySet:
        if not user.is_authenticated:
            return self.none()
        return self.filter(Q(signup__parent=user) | _municipal(user, "signup__municipality"))
