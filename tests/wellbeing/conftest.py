from __future__ import annotations

import pytest

from tests.factories import GroupFactory, MembershipFactory
from tests.wellbeing.helpers import add_children, questions_of
from wellbeing import services


@pytest.fixture
def room(world):
    """Our daycare's group Myren with 7 children (Alma among them) and its questions."""
    room = world.objects["room"]
    add_children(room, 6)
    questions_of(world.municipality)
    return room


@pytest.fixture
def session(world, room):
    return services.session_start(actor=world.user("staff"), group=room)


@pytest.fixture
def other_group_staff(world):
    """A pedagogue in the daycare's other group (Egernet)."""
    other = world.institution.groups.exclude(pk=world.objects["room"].pk).get()
    membership = MembershipFactory(institution=world.institution, role="staff")
    membership.groups.add(other)
    return membership.user


@pytest.fixture
def foreign_group(world):
    return GroupFactory(institution=world.foreign, name="Tangen")
