"""Authorization matrix entries for the devices app (see tests/security/matrix.py).

A daycare's devices and Wi-Fi are seen by the people who work there and by the
municipality; the leader, the ambassador and the administrators change them. Suitcases
are seen by everyone who works in the municipality's daycares; leaders and ambassadors
book them for their daycare; the home base (here the neighbouring daycare) and the
administrators hand them over. Plans and programmes are the municipality's.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from devices.models import (
    PurchaseProgramme,
    RotationPlan,
    RotationSlot,
    SuitcaseClosure,
    SuitcasePhoto,
    WaitingListEntry,
    WifiSite,
)
from tests.devices.helpers import book, make_device, make_suitcase, monday
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
    koege = world.municipality
    world.objects["device"] = make_device(world.institution, group=world.objects["room"])
    world.objects["wifi_site"] = WifiSite.objects.create(
        institution=world.institution, name="Hovedhuset", coverage="full"
    )
    suitcase = make_suitcase(koege, home_base=world.neighbour)
    world.objects["suitcase"] = suitcase
    photo = SuitcasePhoto(suitcase=suitcase, content_type="image/png", description="Robotter")
    photo.image.save("robot.png", ContentFile(b"\x89PNG\r\n\x1a\nmatrix"), save=False)
    photo.save()
    world.objects["photo"] = photo
    world.objects["booking"] = book(
        suitcase, world.institution, monday(2), monday(2) + timedelta(4)
    )
    world.objects["handed_out"] = book(
        suitcase, world.institution, monday(4), monday(4) + timedelta(4), status="handed_out"
    )
    world.objects["suitcase_closure"] = SuitcaseClosure.objects.create(
        municipality=koege,
        starts_on=monday(20),
        ends_on=monday(20) + timedelta(4),
        reason="Sommerferie",
    )
    world.objects["suitcase_offer"] = WaitingListEntry.objects.create(
        suitcase=suitcase,
        institution=world.institution,
        status="offered",
        offered_starts_on=monday(8),
        offered_ends_on=monday(8) + timedelta(4),
        offered_at=timezone.now(),
        offer_expires_at=timezone.now() + timedelta(days=2),
    )
    plan = RotationPlan.objects.create(
        municipality=koege, name="Forår", starts_on=monday(10), ends_on=monday(30)
    )
    plan.participants.set([world.institution, world.neighbour])
    plan.suitcases.set([suitcase])
    world.objects["rotation_plan"] = plan
    world.objects["slot"] = RotationSlot.objects.create(
        plan=plan,
        suitcase=suitcase,
        institution=world.institution,
        turn=0,
        starts_on=monday(10),
        ends_on=monday(10) + timedelta(4),
    )
    programme = PurchaseProgramme.objects.create(
        municipality=koege,
        name="iPads til dagplejen",
        device_kind="tablet",
        device_model="iPad",
        units=32,
        unit_price_ore=500_000,
        budget_ore=16_000_000,
    )
    world.objects["programme"] = programme
    world.objects["line"] = programme.lines.create(group=world.objects["room"], planned=2)


READERS = {"staff": 200, "ambassador": 200, "leader": 200, "consultant": 200, "admin": 200}
MANAGERS = {"ambassador": 200, "leader": 200, "admin": 200}
# Devices and Wi-Fi of our daycare, fetched by their own id: outside the staff and the
# municipality they are not found at all.
DEVICE_OUTSIDE = {"anonymous": LOGIN, "guardian": 404, "board_member": 404, **INSTITUTION}
SUITCASE_OUTSIDE = {"anonymous": LOGIN, "guardian": 404, "board_member": 404, "other_admin": 404}
SUITCASE_READERS = expect(200, **SUITCASE_OUTSIDE)
BOOKERS = expect(403, **SUITCASE_OUTSIDE, leader=200, ambassador=200, other_leader=200, admin=200)
BOOKING_OUTSIDE = {**DEVICE_OUTSIDE, "other_leader": 403}
MUNICIPAL_OBJECT = expect(404, anonymous=LOGIN, consultant=200, admin=200)


def ex(default, *groups, **by_role):
    """Expected answers: later groups and keywords override earlier ones."""
    merged = {}
    for group in groups:
        merged.update(group)
    merged.update(by_role)
    return expect(default, **merged)


def municipal_post(answer=302):
    return expect(404, anonymous=LOGIN, consultant=403, admin=answer)


CASES = {
    # A daycare's devices and Wi-Fi
    "devices:institution": Case(
        at_institution("devices:institution"), ex(403, INSTITUTION, READERS)
    ),
    "devices:device_create": Case(
        at_institution("devices:device_create"), ex(403, INSTITUTION, MANAGERS)
    ),
    "devices:import": Case(at_institution("devices:import"), ex(403, INSTITUTION, MANAGERS)),
    "devices:import_template": Case(
        at_institution("devices:import_template"), ex(403, INSTITUTION, MANAGERS)
    ),
    "devices:export": Case(at_institution("devices:export", "xlsx"), ex(403, INSTITUTION, READERS)),
    "devices:labels": Case(at_institution("devices:labels"), ex(403, INSTITUTION, READERS)),
    "devices:device": Case(
        with_objects("devices:device", "device"), ex(404, {**DEVICE_OUTSIDE, **READERS})
    ),
    "devices:device_edit": Case(
        with_objects("devices:device_edit", "device"),
        ex(403, DEVICE_OUTSIDE, MANAGERS),
    ),
    "devices:wifi": Case(at_institution("devices:wifi"), ex(403, INSTITUTION, READERS)),
    "devices:wifi_create": Case(
        at_institution("devices:wifi_create"), ex(403, INSTITUTION, MANAGERS)
    ),
    "devices:wifi_edit": Case(
        with_objects("devices:wifi_edit", "wifi_site"), ex(403, DEVICE_OUTSIDE, MANAGERS)
    ),
    "devices:municipality": Case(at_municipality("devices:municipality"), MUNICIPAL_READ),
    # Suitcases
    "devices:suitcases": Case(
        at_municipality("devices:suitcases"),
        ex(200, anonymous=LOGIN, guardian=403, board_member=403, other_admin=404),
    ),
    "devices:suitcase_create": Case(at_municipality("devices:suitcase_create"), MUNICIPAL_ADMIN),
    "devices:closures": Case(at_municipality("devices:closures"), MUNICIPAL_ADMIN),
    "devices:closure_delete": Case(
        at_municipality("devices:closure_delete", "suitcase_closure"),
        ex(403, anonymous=LOGIN, admin=302, other_admin=404),
        method="post",
    ),
    "devices:suitcase": Case(with_objects("devices:suitcase", "suitcase"), SUITCASE_READERS),
    "devices:suitcase_calendar": Case(
        with_objects("devices:suitcase_calendar", "suitcase"), SUITCASE_READERS
    ),
    "devices:suitcase_edit": Case(
        with_objects("devices:suitcase_edit", "suitcase"),
        ex(403, SUITCASE_OUTSIDE, admin=200),
    ),
    "devices:suitcase_photo_add": Case(
        with_objects("devices:suitcase_photo_add", "suitcase"),
        ex(403, SUITCASE_OUTSIDE, admin=302),
        method="post",
    ),
    "devices:suitcase_photo": Case(
        with_objects("devices:suitcase_photo", "suitcase", "photo"), SUITCASE_READERS
    ),
    "devices:booking_create": Case(with_objects("devices:booking_create", "suitcase"), BOOKERS),
    "devices:waiting_join": Case(with_objects("devices:waiting_join", "suitcase"), BOOKERS),
    "devices:institution_calendar": Case(
        at_institution("devices:institution_calendar"), ex(403, INSTITUTION, READERS)
    ),
    "devices:offer_answer": Case(
        with_objects("devices:offer_answer", "suitcase_offer"),
        ex(
            404,
            {**DEVICE_OUTSIDE, "staff": 403, "consultant": 403},
            {"ambassador": 302, "leader": 302, "admin": 302},
        ),
        method="post",
        data={"answer": "decline"},
    ),
    "devices:booking": Case(
        with_objects("devices:booking", "booking"),
        ex(404, {**BOOKING_OUTSIDE, **READERS, "other_leader": 200}),
    ),
    "devices:booking_cancel": Case(
        with_objects("devices:booking_cancel", "booking"),
        ex(403, BOOKING_OUTSIDE, ambassador=302, leader=302, admin=302),
        method="post",
    ),
    "devices:hand_over": Case(
        with_objects("devices:hand_over", "booking"),
        ex(403, DEVICE_OUTSIDE, other_leader=200, admin=200),
    ),
    "devices:return": Case(
        with_objects("devices:return", "handed_out"),
        ex(403, DEVICE_OUTSIDE, other_leader=200, admin=200),
    ),
    # Rotation plans
    "devices:plans": Case(at_municipality("devices:plans"), MUNICIPAL_READ),
    "devices:plan_create": Case(at_municipality("devices:plan_create"), MUNICIPAL_ADMIN),
    "devices:plan": Case(with_objects("devices:plan", "rotation_plan"), MUNICIPAL_OBJECT),
    "devices:plan_generate": Case(
        with_objects("devices:plan_generate", "rotation_plan"), municipal_post(), method="post"
    ),
    "devices:plan_slot": Case(
        with_objects("devices:plan_slot", "rotation_plan", "slot"), municipal_post(200)
    ),
    "devices:plan_publish": Case(
        with_objects("devices:plan_publish", "rotation_plan"), municipal_post(), method="post"
    ),
    # Purchase programmes
    "devices:programmes": Case(at_municipality("devices:programmes"), MUNICIPAL_READ),
    "devices:programme_create": Case(at_municipality("devices:programme_create"), MUNICIPAL_ADMIN),
    "devices:programme": Case(with_objects("devices:programme", "programme"), MUNICIPAL_OBJECT),
    "devices:programme_distribute": Case(
        with_objects("devices:programme_distribute", "programme", "line"),
        municipal_post(),
        method="post",
    ),
}
