"""People who hold every role somewhere else: in another daycare of the same municipality,
or in another municipality. Used to guess the ids of the matrix world's objects."""

from __future__ import annotations

from institutions.models import Institution, Membership, MunicipalRole
from tests.factories import (
    ChildFactory,
    GroupFactory,
    GuardianshipFactory,
    InstitutionFactory,
    MembershipFactory,
    MunicipalityFactory,
    MunicipalRoleFactory,
    UserFactory,
)
from tests.security.urls import all_patterns


def takes_ids(name: str) -> bool:
    """Whether the URL named `name` carries a numeric id (a detail, edit or download URL)."""
    return any(n == name and "<int:" in p for n, p in all_patterns())


def institution_people(institution: Institution, tag: str) -> dict[str, object]:
    """One person per role of a daycare (and a guardian of a child there)."""
    room = GroupFactory(institution=institution)
    child = ChildFactory(group=room)
    people = {}
    for role in ("leader", "ambassador", "staff", "board_member"):
        membership = MembershipFactory(
            institution=institution,
            role=role,
            user=UserFactory(totp=True, email=f"{role}.{tag}@example.org"),
        )
        if role == "staff":
            membership.groups.add(room)
        people[role] = membership.user
    people["guardian"] = GuardianshipFactory(
        child=child, guardian__email=f"guardian.{tag}@example.org"
    ).guardian
    minding = InstitutionFactory(
        municipality=institution.municipality, kind=Institution.Kind.CHILDMINDING
    )
    people["childminder"] = MembershipFactory(
        institution=minding,
        role=Membership.Role.CHILDMINDER,
        user__email=f"childminder.{tag}@example.org",
    ).user
    return people


def another_municipality() -> dict[str, object]:
    greve = MunicipalityFactory(name="Greve Kommune", code="253")
    people = institution_people(InstitutionFactory(municipality=greve, name="Mågen"), "greve")
    people["admin"] = MunicipalRoleFactory(
        municipality=greve, user=UserFactory(totp=True, email="admin.greve@example.org")
    ).user
    people["consultant"] = MunicipalRoleFactory(
        municipality=greve,
        role=MunicipalRole.Role.CONSULTANT,
        user__email="konsulent.greve@example.org",
    ).user
    return people
