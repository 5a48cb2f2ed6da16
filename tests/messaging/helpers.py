"""Helpers for the messaging tests: a family with children in a daycare and an
after-school club, images with metadata, uploaded files, and a mail server that refuses
some addresses for good (5xx)."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from aiosmtpd.controller import Controller
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Model
from django.utils import timezone
from PIL import Image

from core.models import AuditEntry, Notification
from institutions.models import Institution, Membership
from messaging.models import (
    ClosurePeriod,
    Message,
    MessageAttachment,
    PhotoConsent,
    Post,
    PostAttachment,
    PostDelivery,
    PostImage,
    Thread,
    ThreadRead,
)
from tests.factories import (
    ChildFactory,
    GroupFactory,
    GuardianshipFactory,
    InstitutionFactory,
    MembershipFactory,
    UserFactory,
)
from tests.smtp import SmtpSink, _Handler, free_port

STATE_MODELS: tuple[type[Model], ...] = (
    Post,
    PostDelivery,
    PostImage,
    PostAttachment,
    PhotoConsent,
    Thread,
    Message,
    MessageAttachment,
    ThreadRead,
    ClosurePeriod,
    Notification,
    AuditEntry,
)


def children_to_mark(html: str) -> dict[str, list[str]]:
    """The new-post form's children to mark in a photo, by group, as the page lists them."""
    return {
        group: re.findall(r'<label class="form-label" for="id_pictured_\d+">([^<]+)</label>', body)
        for group, body in re.findall(
            r'<span class="pictured-group-name">([^<]+)</span>(.*?)</details>', html, re.S
        )
    }


def state() -> dict[str, int]:
    """How many rows each messaging table holds: a refused write changes none."""
    return {model.__name__: model.objects.count() for model in STATE_MODELS}


def jpeg(width: int = 1200, height: int = 800, *, exif_gps: bool = False, name="foto.jpg"):
    image = Image.new("RGB", (width, height), (30, 140, 60))
    out = io.BytesIO()
    if exif_gps:
        exif = Image.Exif()
        exif[0x010F] = "Kamera A/S"  # Make
        exif[0x8825] = {1: "N", 2: (55.0, 27.0, 0.0)}  # GPS info: where the photo was taken
        image.save(out, format="JPEG", exif=exif)
    else:
        image.save(out, format="JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def photo_with_location(name: str = "legepladsen.jpg") -> SimpleUploadedFile:
    """A phone photo as it leaves the phone: EXIF with GPS position, camera and a turn
    (orientation 6: shown upright it is 80 wide and 100 high), XMP with the position,
    an ICC profile and a comment naming the place."""
    from PIL import ImageCms

    image = Image.new("RGB", (100, 80), (30, 140, 60))
    exif = Image.Exif()
    exif[0x010F] = "Kamera A/S"  # Make
    exif[0x0112] = 6  # Orientation: turned 90° clockwise
    exif[0x8825] = {1: "N", 2: (55.0, 27.0, 0.0), 3: "E", 4: (12.0, 11.0, 0.0)}  # GPS
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    out = io.BytesIO()
    image.save(
        out,
        format="JPEG",
        exif=exif,
        xmp=b"<x:xmpmeta><exif:GPSLatitude>55,27N</exif:GPSLatitude></x:xmpmeta>",
        icc_profile=icc,
        comment=b"Legepladsen ved Solstraalen",
    )
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def assert_without_metadata(data: bytes) -> None:
    """A stored photo holds no EXIF, GPS, XMP, ICC profile or comment, and stands upright."""
    for trace in (b"Exif", b"GPSLatitude", b"Kamera A/S", b"Solstraalen", b"ICC_PROFILE"):
        assert trace not in data, trace
    with Image.open(io.BytesIO(data)) as stored:
        assert not stored.getexif()
        assert not stored.getexif().get_ifd(0x8825)
        assert not {"exif", "xmp", "icc_profile", "comment"} & set(stored.info)
        assert stored.size == (80, 100)


def pdf(name: str = "madplan.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n% madplan\n", content_type="application/pdf")


@dataclass
class Family:
    """Our daycare (Solstrålen, room Myren with Alma) and an after-school club (Viggo)."""

    daycare: Institution
    club: Institution
    guardian: object
    alma: object
    viggo: object
    room: object
    other_room: object
    club_room: object
    staff: object
    colleague: object
    leader: object
    club_staff: object
    neighbour_guardian: object
    karla: object


def build_family(world) -> Family:
    daycare = world.institution
    room = world.objects["room"]
    other_room = daycare.groups.exclude(pk=room.pk).get()
    club = InstitutionFactory(
        municipality=world.municipality, name="SFO Ellebæk", kind=Institution.Kind.AFTER_SCHOOL
    )
    club_room = GroupFactory(institution=club, name="0.-1. klasse")
    guardian = world.users["guardian"]
    viggo = ChildFactory(group=club_room, first_name="Viggo")
    GuardianshipFactory(child=viggo, guardian=guardian)
    club_staff = MembershipFactory(
        institution=club, role=Membership.Role.STAFF, user__name="Kim Klub"
    ).user
    colleague = MembershipFactory(
        institution=daycare, role=Membership.Role.STAFF, user__name="Nanna Friis"
    ).user
    karla = ChildFactory(group=other_room, first_name="Karla")
    neighbour_guardian = GuardianshipFactory(
        child=karla, guardian=UserFactory(name="Hans Nabo", email="hans@example.org")
    ).guardian
    return Family(
        daycare=daycare,
        club=club,
        guardian=guardian,
        alma=world.objects["child"],
        viggo=viggo,
        room=room,
        other_room=other_room,
        club_room=club_room,
        staff=world.users["staff"],
        colleague=colleague,
        leader=world.users["leader"],
        club_staff=club_staff,
        neighbour_guardian=neighbour_guardian,
        karla=karla,
    )


def closed_today(institution, reply="Vi holder lukket. Vi svarer, når vi er tilbage."):
    today = timezone.localdate()
    return ClosurePeriod.objects.create(
        institution=institution, starts_on=today, ends_on=today, reply=reply
    )


class _RefusingHandler(_Handler):
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.sink.refused:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"


class RefusingSink(SmtpSink):
    """An SMTP server that refuses some recipients permanently (550)."""

    def __init__(self, refused: set[str]) -> None:
        self.port = free_port()
        self.messages = []
        import threading

        self.lock = threading.Lock()
        self.refuse = False
        self.refused = refused
        self.controller = Controller(_RefusingHandler(self), hostname="127.0.0.1", port=self.port)
