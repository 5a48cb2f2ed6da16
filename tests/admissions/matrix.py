"""Authorization matrix entries for place allocation (see tests/security/matrix.py).

A sign-up is its parent's (the guardian here), the municipality's, and the waiting list's
of the daycares it wishes: their leaders see it. Only the parent changes it or answers an
offer (the municipality does so for paper sign-ups); only the municipality assesses needs.
Letters are between family and municipality. A daycare's waiting list and places are its
leader's and the municipality's; the leader (and the administrators) make offers.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from admissions import services
from admissions.models import Letter
from tests.admissions.helpers import make_policy, next_month, today
from tests.security.matrix import (
    INSTITUTION,
    LOGIN,
    MUNICIPAL_ADMIN,
    MUNICIPAL_READ,
    Case,
    at_institution,
    at_municipality,
    expect,
    with_objects,
)


def extend_world(world) -> None:
    make_policy(world.municipality)
    room = world.objects["room"]
    services.capacity_set(
        actor=None, group=room, first_month=next_month(), last_month=None, places=3
    )
    parent = world.user("guardian")
    signup = services.signup_create(
        actor=parent,
        municipality=world.municipality,
        parent=parent,
        wishes=[world.institution],
        child_first_name="Lille",
        child_last_name="Søster",
        birth_date=today() - timedelta(days=200),
        wished_start=next_month(),
    )
    world.objects["signup"] = signup
    world.objects["offer"] = services.offer_make(
        actor=world.user("leader"),
        institution=world.institution,
        signup=signup,
        group=room,
        start_date=next_month(),
    )
    letter = Letter.objects.filter(signup=signup).first()
    name = "admissions/letters/matrix.pdf"
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(b"%PDF-1.4\n%%EOF\n"))
    Letter.objects.filter(pk=letter.pk).update(pdf=name)
    world.objects["letter"] = letter
    # A sign-up handed in on paper: its child and parent are in no register yet.
    world.objects["paper_signup"] = services.signup_create(
        actor=world.user("admin"),
        municipality=world.municipality,
        channel="paper",
        parent_name="Hans Papir",
        parent_address="Torvet 1",
        wishes=[world.institution],
        child_first_name="Papir",
        child_last_name="Barn",
        birth_date=today() - timedelta(days=300),
        wished_start=next_month(),
    )


# Who sees the sign-up at all: its parent, the leader of the daycare it wishes, the
# municipality. Everyone else: 404.
SIGNUP_OUTSIDE = expect(404, anonymous=LOGIN)
SIGNUP_SEEN = {"guardian": 200, "leader": 200, "consultant": 200, "admin": 200}
# Seen but not theirs to change.
NOT_PARENT = {"leader": 403, "consultant": 403, "admin": 403}
WAITING_LIST = expect(403, **INSTITUTION, leader=200, consultant=200, admin=200)

CASES = {
    # Families
    "admissions:mine": Case(with_objects("admissions:mine"), expect(200, anonymous=LOGIN)),
    "admissions:signup_start": Case(
        with_objects("admissions:signup_start"), expect(302, anonymous=LOGIN)
    ),
    "admissions:signup_create": Case(
        at_municipality("admissions:signup_create"), expect(200, anonymous=LOGIN)
    ),
    "admissions:signup": Case(
        with_objects("admissions:signup", "signup"), {**SIGNUP_OUTSIDE, **SIGNUP_SEEN}
    ),
    "admissions:signup_wishes": Case(
        with_objects("admissions:signup_wishes", "signup"),
        {**SIGNUP_OUTSIDE, **NOT_PARENT, "guardian": 200},
    ),
    "admissions:signup_withdraw": Case(
        with_objects("admissions:signup_withdraw", "signup"),
        {**SIGNUP_OUTSIDE, **NOT_PARENT, "guardian": 200},
    ),
    "admissions:signup_needs": Case(
        with_objects("admissions:signup_needs", "signup"),
        {**SIGNUP_OUTSIDE, "guardian": 403, "leader": 403, "consultant": 302, "admin": 302},
        method="post",
        data={"priority": "1"},
    ),
    "admissions:offer_accept": Case(
        with_objects("admissions:offer_accept", "offer"),
        {**SIGNUP_OUTSIDE, **NOT_PARENT, "guardian": 302},
        method="post",
    ),
    "admissions:offer_decline": Case(
        with_objects("admissions:offer_decline", "offer"),
        {**SIGNUP_OUTSIDE, **NOT_PARENT, "guardian": 302},
        method="post",
    ),
    "admissions:letter": Case(
        with_objects("admissions:letter", "letter"),
        expect(404, anonymous=LOGIN, guardian=200, consultant=200, admin=200),
    ),
    # The municipality
    "admissions:municipality": Case(at_municipality("admissions:municipality"), MUNICIPAL_READ),
    "admissions:policy": Case(at_municipality("admissions:policy"), MUNICIPAL_ADMIN),
    "admissions:guarantee": Case(at_municipality("admissions:guarantee"), MUNICIPAL_READ),
    "admissions:paper_signup": Case(at_municipality("admissions:paper_signup"), MUNICIPAL_READ),
    # A daycare
    "admissions:waiting_list": Case(at_institution("admissions:waiting_list"), WAITING_LIST),
    "admissions:offer_create": Case(
        at_institution("admissions:offer_create", "signup"),
        expect(403, **INSTITUTION, leader=200, admin=200),
    ),
    "admissions:capacity": Case(at_institution("admissions:capacity"), WAITING_LIST),
    "admissions:moving_on": Case(
        at_institution("admissions:moving_on"), expect(403, **INSTITUTION, leader=200)
    ),
}
