"""The querysets and selectors beyond the role tables (see test_visibility.py): people
with several roles, children who left, and the roles loaded once per request."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser

from institutions.models import Child, Group, Institution, Membership, Municipality
from institutions.selectors import forget_roles, roles_for
from tests.factories import (
    ChildFactory,
    GroupFactory,
    GuardianshipFactory,
    InstitutionFactory,
    MembershipFactory,
    MunicipalityFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _names(queryset) -> set[str]:
    return {obj.name for obj in queryset}


def test_visible_institutions_are_listed_once_whatever_the_number_of_roles(world):
    leader = world.user("leader")
    MembershipFactory(user=leader, institution=world.institution, role=Membership.Role.AMBASSADOR)
    room = world.objects["room"]
    GuardianshipFactory(guardian=leader, child=ChildFactory(group=room))

    assert list(Institution.objects.visible_to(leader)) == [world.institution]


def test_a_person_with_roles_in_two_municipalities_sees_both_institutions(world):
    leader = world.user("leader")
    MembershipFactory(user=leader, institution=world.foreign, role=Membership.Role.STAFF)

    assert _names(Institution.objects.visible_to(leader)) == {"Solstrålen", "Havtornen"}
    assert _names(Municipality.objects.visible_to(leader)) == {"Køge Kommune", "Solrød Kommune"}


def test_guardian_with_children_in_two_institutions_sees_both_and_only_their_groups(world):
    guardian = world.user("guardian")
    GuardianshipFactory(guardian=guardian, child=world.objects["neighbour_child"])

    assert _names(Institution.objects.visible_to(guardian)) == {"Solstrålen", "Troldehøjen"}
    assert _names(Group.objects.visible_to(guardian)) == {"Myren", "Uglen"}
    assert {c.first_name for c in Child.objects.visible_to(guardian)} == {"Alma", "Otto"}


def test_guardian_no_longer_sees_the_institution_once_the_child_has_left(world):
    child = world.objects["child"]
    child.started_on = date(2023, 8, 1)
    child.left_on = date(2024, 12, 31)
    child.save()
    guardian = world.user("guardian")

    assert not Institution.objects.visible_to(guardian).exists()
    assert not Group.objects.visible_to(guardian).exists()


def test_another_guardians_child_in_the_same_group_is_not_visible(world):
    sibling_in_room = ChildFactory(group=world.objects["room"], first_name="Karl")

    children = Child.objects.visible_to(world.user("guardian"))

    assert sibling_in_room not in children
    assert {c.first_name for c in children} == {"Alma"}


def test_daycares_are_the_four_daycare_kinds_that_are_active():
    municipality = MunicipalityFactory()
    for kind in Institution.Kind.values:
        InstitutionFactory(municipality=municipality, kind=kind, name=kind)
    InstitutionFactory(
        municipality=municipality, kind=Institution.Kind.NURSERY, name="closed", is_active=False
    )

    daycares = municipality.institutions.daycares()

    assert _names(daycares) == {"nursery", "kindergarten", "integrated", "childminding"}


def test_current_children_are_those_who_have_not_left():
    group = GroupFactory()
    staying = ChildFactory(group=group, first_name="Bliver")
    ChildFactory(
        group=group, first_name="Gået", started_on=date(2023, 1, 1), left_on=date(2024, 1, 1)
    )

    assert list(Child.objects.filter(group=group).current()) == [staying]


def test_administered_by_is_only_the_administrators_municipality(world):
    assert list(Municipality.objects.administered_by(world.user("admin"))) == [world.municipality]
    assert not Municipality.objects.administered_by(world.user("consultant")).exists()
    assert not Municipality.objects.administered_by(world.user("leader")).exists()
    assert not Municipality.objects.administered_by(AnonymousUser()).exists()


def test_ambassador_who_leads_another_daycare_still_counts_as_ambassador_besides_the_leader():
    first, second = InstitutionFactory(), InstitutionFactory()
    person = UserFactory()
    MembershipFactory(user=person, institution=first, role=Membership.Role.LEADER)
    ambassador = MembershipFactory(user=person, institution=second, role=Membership.Role.AMBASSADOR)
    MembershipFactory(user=person, institution=first, role=Membership.Role.AMBASSADOR)

    assert list(Membership.objects.ambassadors_besides_leader()) == [ambassador]


def test_roles_for_collects_every_role_in_three_queries(world, django_assert_num_queries):
    leader = world.user("leader")
    MembershipFactory(user=leader, institution=world.neighbour, role=Membership.Role.STAFF)
    GuardianshipFactory(guardian=leader, child=world.objects["neighbour_child"])
    forget_roles(leader)

    with django_assert_num_queries(3):
        roles = roles_for(leader)
        # Cached on the user for the rest of the request.
        assert roles_for(leader) is roles

    assert roles.in_institution(world.institution) == {"leader"}
    assert roles.in_institution(world.neighbour.pk) == {"staff"}
    assert [i.name for i in roles.institutions()] == ["Solstrålen", "Troldehøjen"]
    assert [i.name for i in roles.institutions("leader")] == ["Solstrålen"]
    assert roles.is_guardian
    assert roles.works_in_institution
    assert not roles.is_municipal


def test_forget_roles_reloads_after_a_change(world):
    staff = world.user("staff")
    assert roles_for(staff).in_institution(world.neighbour) == set()
    MembershipFactory(user=staff, institution=world.neighbour, role=Membership.Role.STAFF)
    assert roles_for(staff).in_institution(world.neighbour) == set()  # still cached

    forget_roles(staff)

    assert roles_for(staff).in_institution(world.neighbour) == {"staff"}


def test_board_member_is_not_counted_as_working_in_the_institution(world):
    roles = roles_for(world.user("board_member"))
    assert roles.has_any
    assert not roles.works_in_institution


def test_anonymous_has_no_roles():
    roles = roles_for(AnonymousUser())
    assert not roles.has_any
    assert not roles.requires_two_factor
