"""Reads about people and their roles, shaped for views and permission checks."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q

from core.dates import add_years
from core.indicators import Indicator, Result, evaluate

from .models import Child, Guardianship, Institution, Membership, Municipality, MunicipalRole
from .querysets import STAFF_ROLES


@dataclass
class Roles:
    """Every role one user holds, loaded once per request (three queries)."""

    memberships: list[Membership] = field(default_factory=list)
    municipal_roles: list[MunicipalRole] = field(default_factory=list)
    is_guardian: bool = False
    # Technical staff of the installation (User.is_staff): they open the technical admin,
    # which reaches every municipality.
    is_technical_staff: bool = False

    def in_institution(self, institution: Institution | int) -> set[str]:
        pk = getattr(institution, "pk", institution)
        return {m.role for m in self.memberships if m.institution_id == pk}

    def in_municipality(self, municipality: Municipality | int) -> set[str]:
        pk = getattr(municipality, "pk", municipality)
        return {r.role for r in self.municipal_roles if r.municipality_id == pk}

    def institutions(self, *roles: str) -> list[Institution]:
        """Institutions where the user holds any of `roles` (any role if none given)."""
        seen: dict[int, Institution] = {}
        for m in self.memberships:
            if not roles or m.role in roles:
                seen.setdefault(m.institution_id, m.institution)
        return sorted(seen.values(), key=lambda i: i.name)

    def municipalities(self, *roles: str) -> list[Municipality]:
        seen: dict[int, Municipality] = {}
        for r in self.municipal_roles:
            if not roles or r.role in roles:
                seen.setdefault(r.municipality_id, r.municipality)
        return sorted(seen.values(), key=lambda m: m.name)

    @property
    def works_in_institution(self) -> bool:
        return any(m.role in STAFF_ROLES for m in self.memberships)

    @property
    def is_municipal(self) -> bool:
        return bool(self.municipal_roles)

    @property
    def requires_two_factor(self) -> bool:
        """Municipal administrators, leaders and technical staff must use two-factor login."""
        return (
            self.is_technical_staff
            or any(r.role == MunicipalRole.Role.ADMINISTRATOR for r in self.municipal_roles)
            or any(m.role == Membership.Role.LEADER for m in self.memberships)
        )

    @property
    def has_any(self) -> bool:
        return bool(self.memberships or self.municipal_roles or self.is_guardian)


def roles_for(user) -> Roles:
    """The user's roles, cached on the user object for the rest of the request."""
    if not user.is_authenticated:
        return Roles()
    cached = getattr(user, "_portal_roles", None)
    if cached is not None:
        return cached
    roles = Roles(
        memberships=list(
            Membership.objects.filter(user=user).select_related("institution__municipality")
        ),
        municipal_roles=list(
            MunicipalRole.objects.filter(user=user).select_related("municipality")
        ),
        is_guardian=Guardianship.objects.filter(guardian=user, child__left_on=None).exists(),
        is_technical_staff=user.is_staff,
    )
    user._portal_roles = roles
    return roles


def forget_roles(user) -> None:
    """Drop the cached roles after a change to them in this request."""
    if hasattr(user, "_portal_roles"):
        del user._portal_roles


def municipality_id_for_logs(user) -> int | None:
    """The municipality a person works in or has children in, as the id log lines carry
    (core/observability.py): the first by name when there are several, None for none."""
    roles = roles_for(user)
    municipalities = roles.municipalities() or sorted(
        {m.institution.municipality for m in roles.memberships}, key=lambda m: m.name
    )
    if municipalities:
        return municipalities[0].pk
    return (
        Municipality.objects.filter(institutions__groups__children__guardians=user)
        .order_by("name")
        .values_list("pk", flat=True)
        .first()
    )


def indicator_rows(
    institutions: Iterable[Institution], *, today: date | None = None
) -> dict[int, list[tuple[Indicator, Result]]]:
    """Every registered indicator with its result, per daycare: one evaluation per
    municipality, whatever the number of daycares."""
    by_municipality: dict[int, list[Institution]] = {}
    for institution in institutions:
        by_municipality.setdefault(institution.municipality_id, []).append(institution)
    rows = {}
    for group in by_municipality.values():
        matrix = evaluate(municipality=group[0].municipality, institutions=group, today=today)
        for institution in group:
            rows[institution.pk] = [
                (indicator, matrix.result(indicator, institution))
                for indicator in matrix.indicators
            ]
    return rows


def administrators_of(municipality: Municipality | int) -> list:
    """The municipality's active administrators, by name: who sets its rules and places,
    and who is told of what needs the municipality. One query."""
    pk = getattr(municipality, "pk", municipality)
    return [
        role.user
        for role in MunicipalRole.objects.filter(
            municipality_id=pk, role=MunicipalRole.Role.ADMINISTRATOR, user__is_active=True
        )
        .select_related("user")
        .order_by("user__name", "user_id")
    ]


def children_by_age(
    institutions: Iterable[Institution | int], on: date
) -> dict[int, tuple[int, int, int]]:
    """Per institution, its children in the register on `on` (started by then and not yet
    left) by age: (0-2 years, 3-5 years, 6 years and over), the bands of a children count.
    Institutions without children are left out. One query."""
    ids = [getattr(i, "pk", i) for i in institutions]
    three, six = add_years(on, -3), add_years(on, -6)
    rows = (
        Child.objects.filter(group__institution_id__in=ids, birth_date__lte=on)
        .filter(Q(started_on__isnull=True) | Q(started_on__lte=on))
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=on))
        .values("group__institution_id")
        .annotate(
            young=Count("pk", filter=Q(birth_date__gt=three)),
            middle=Count("pk", filter=Q(birth_date__gt=six, birth_date__lte=three)),
            old=Count("pk", filter=Q(birth_date__lte=six)),
        )
        .order_by()
    )
    return {r["group__institution_id"]: (r["young"], r["middle"], r["old"]) for r in rows}
