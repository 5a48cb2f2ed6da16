"""Shared builders for the admissions tests: a municipality with rules, daycares with
groups and places, parents and sign-ups made through the services."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from admissions import rules, services
from admissions.models import Policy, Signup
from core.dates import add_months
from institutions.models import Institution, Membership
from tests.factories import (
    GroupFactory,
    InstitutionFactory,
    MembershipFactory,
    MunicipalityFactory,
    UserFactory,
)


def today() -> date:
    return timezone.localdate()


def next_month(months: int = 1) -> date:
    return add_months(rules.first_of_month(today()), months)


def make_policy(municipality, **values) -> Policy:
    return Policy.objects.update_or_create(municipality=municipality, defaults=values)[0]


def make_daycare(municipality, name: str, *, kind=Institution.Kind.INTEGRATED, leader=True):
    institution = InstitutionFactory(municipality=municipality, name=name, kind=kind)
    if leader:
        MembershipFactory(
            institution=institution,
            role=Membership.Role.LEADER,
            user=UserFactory(totp=True, name=f"Leder af {name}"),
        )
    return institution


def leader_of(institution):
    return Membership.objects.get(institution=institution, role=Membership.Role.LEADER).user


def with_places(institution, group_name: str = "Mariehønen", *, places: int = 2, month=None):
    group = GroupFactory(institution=institution, name=group_name)
    services.capacity_set(
        actor=None,
        group=group,
        first_month=month or next_month(),
        last_month=None,
        places=places,
    )
    return group


def sign_up(municipality, wishes, *, parent=None, name="Ida", birth=None, start=None, **extra):
    parent = parent or UserFactory(name="Mette Forælder")
    birth = birth or today() - timedelta(days=120)
    return services.signup_create(
        actor=parent,
        municipality=municipality,
        parent=parent,
        wishes=wishes,
        child_first_name=name,
        child_last_name="Hansen",
        birth_date=birth,
        wished_start=start or next_month(),
        **extra,
    )


def offer(institution, signup: Signup, group, *, start=None, deadline=None):
    return services.offer_make(
        actor=leader_of(institution),
        institution=institution,
        signup=signup,
        group=group,
        start_date=start or next_month(),
        deadline=deadline,
    )


def koege():
    municipality = MunicipalityFactory(name="Køge Kommune", code="259")
    make_policy(municipality)
    return municipality
