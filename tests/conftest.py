"""Shared fixtures: a real SMTP sink, and a small world of two municipalities with a
person in every role, used by the view tests and the authorization matrix."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from institutions.models import Institution, Invitation, Membership, MunicipalRole
from tests.factories import (
    ChildFactory,
    ChildrenCountFactory,
    GroupFactory,
    GuardianshipFactory,
    InstitutionFactory,
    MembershipFactory,
    MunicipalityFactory,
    MunicipalRoleFactory,
    UserFactory,
)
from tests.smtp import SmtpSink

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses
# to run where a loop is running unless told it is safe (it is: one thread, no async).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def smtp_sink():
    sink = SmtpSink()
    sink.start()
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = sink.port
    yield sink
    sink.stop()


@pytest.fixture(autouse=True)
def _mail_and_cache(smtp_sink, settings):
    """Every test starts with an empty mailbox and cache, and mail going over SMTP to the
    sink. (pytest-django swaps in the in-memory backend for every test; put SMTP back.)"""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = smtp_sink.port
    smtp_sink.clear()
    cache.clear()
    yield


@pytest.fixture
def mailbox(smtp_sink) -> SmtpSink:
    return smtp_sink


ROLES = [
    "anonymous",
    "guardian",
    "board_member",
    "staff",
    "childminder",
    "ambassador",
    "leader",
    "other_leader",
    "consultant",
    "admin",
    "other_admin",
]


@dataclass
class World:
    """Two municipalities; in the first, our daycare and a neighbour; in the second, a
    foreign daycare. One person per role, plus objects to point URLs at."""

    municipality: object
    other_municipality: object
    institution: Institution
    neighbour: Institution
    foreign: Institution
    users: dict
    objects: dict

    def user(self, role: str):
        return self.users.get(role)


def build_world() -> World:
    koege = MunicipalityFactory(name="Køge Kommune", code="259")
    solrod = MunicipalityFactory(name="Solrød Kommune", code="269")
    institution = InstitutionFactory(municipality=koege, name="Solstrålen", district="Nord")
    neighbour = InstitutionFactory(
        municipality=koege, name="Troldehøjen", kind=Institution.Kind.KINDERGARTEN
    )
    foreign = InstitutionFactory(municipality=solrod, name="Havtornen")
    childminding = InstitutionFactory(
        municipality=koege, name="Dagplejen", kind=Institution.Kind.CHILDMINDING
    )
    room = GroupFactory(institution=institution, name="Myren")
    GroupFactory(institution=institution, name="Egernet")
    neighbour_room = GroupFactory(institution=neighbour, name="Uglen")
    foreign_room = GroupFactory(institution=foreign, name="Krabben")

    users = {"anonymous": None}
    users["leader"] = MembershipFactory(
        institution=institution,
        role=Membership.Role.LEADER,
        user=UserFactory(totp=True, email="leder@example.org"),
    ).user
    users["ambassador"] = MembershipFactory(
        institution=institution,
        role=Membership.Role.AMBASSADOR,
        user__email="ambassador@example.org",
    ).user
    staff_membership = MembershipFactory(
        institution=institution, role=Membership.Role.STAFF, user__email="paedagog@example.org"
    )
    staff_membership.groups.add(room)
    users["staff"] = staff_membership.user
    users["board_member"] = MembershipFactory(
        institution=institution,
        role=Membership.Role.BOARD_MEMBER,
        user__email="bestyrelse@example.org",
    ).user
    users["childminder"] = MembershipFactory(
        institution=childminding,
        role=Membership.Role.CHILDMINDER,
        user__email="dagplejer@example.org",
    ).user
    users["other_leader"] = MembershipFactory(
        institution=neighbour,
        role=Membership.Role.LEADER,
        user=UserFactory(totp=True, email="leder2@example.org"),
    ).user
    users["admin"] = MunicipalRoleFactory(municipality=koege, user__email="admin@example.org").user
    users["consultant"] = MunicipalRoleFactory(
        municipality=koege,
        role=MunicipalRole.Role.CONSULTANT,
        user__email="konsulent@example.org",
        user__totp=False,
    ).user
    users["other_admin"] = MunicipalRoleFactory(
        municipality=solrod, user__email="admin@solrod.example.org"
    ).user
    foreign_leader = MembershipFactory(
        institution=foreign,
        role=Membership.Role.LEADER,
        user=UserFactory(totp=True, email="leder@solrod.example.org"),
    ).user

    child = ChildFactory(group=room, first_name="Alma")
    users["guardian"] = GuardianshipFactory(
        child=child, guardian__email="foraelder@example.org"
    ).guardian
    neighbour_child = ChildFactory(group=neighbour_room, first_name="Otto")
    foreign_child = ChildFactory(group=foreign_room, first_name="Freja")
    expires = timezone.now() + timedelta(days=14)
    invitation = Invitation.objects.create(
        email="ny@example.org",
        name="Ny Kollega",
        municipality=koege,
        institution=institution,
        role=Membership.Role.STAFF,
        invited_by=users["leader"],
        expires_at=expires,
    )
    neighbour_invitation = Invitation.objects.create(
        email="ny2@example.org",
        name="Ny Nabo",
        municipality=koege,
        institution=neighbour,
        role=Membership.Role.STAFF,
        invited_by=users["other_leader"],
        expires_at=expires,
    )
    foreign_invitation = Invitation.objects.create(
        email="ny3@example.org",
        name="Ny Solrød",
        municipality=solrod,
        institution=foreign,
        role=Membership.Role.STAFF,
        invited_by=foreign_leader,
        expires_at=expires,
    )
    ChildrenCountFactory(institution=institution)
    objects = {
        "room": room,
        "neighbour_room": neighbour_room,
        "foreign_room": foreign_room,
        "child": child,
        "neighbour_child": neighbour_child,
        "foreign_child": foreign_child,
        "invitation": invitation,
        "neighbour_invitation": neighbour_invitation,
        "foreign_invitation": foreign_invitation,
        "staff_membership": staff_membership,
        "neighbour_membership": Membership.objects.get(institution=neighbour, role="leader"),
        "foreign_membership": Membership.objects.get(institution=foreign, role="leader"),
        "consultant_role": MunicipalRole.objects.get(user=users["consultant"]),
        "foreign_role": MunicipalRole.objects.get(user=users["other_admin"]),
        "childminding": childminding,
        "foreign_leader": foreign_leader,
    }
    return World(koege, solrod, institution, neighbour, foreign, users, objects)


@pytest.fixture
def world(db) -> World:
    return build_world()


@pytest.fixture
def login(client):
    """login(user) logs the test client in as `user` (anonymous when None)."""

    def _login(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return _login
