"""The benchmark's data generator at a tiny scale: the counts it promises, rows the
application itself would have written, and the same database for the same seed."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest
from django.db import connection, transaction

from accounts.models import User
from bench.generate import SCALES, generate
from competence.models import Event, Registration
from devices.models import (
    Booking,
    BookingCheck,
    Device,
    ProgrammeLine,
    RotationSlot,
    SuitcaseClosure,
    WifiSite,
)
from devices.services.common import Calendar
from devices.services.inventory import DEVICE_FIELDS, WIFI_FIELDS, _initial
from devices.services.suitcases import _conflicts
from grants.models import Grant, Pool
from institutions.models import Child, Group, Guardianship, Institution, Municipality
from messaging.models import Message, Post, PostDelivery, Thread
from messaging.services.posts import audience_guardian_ids

pytestmark = pytest.mark.django_db

TINY = SCALES["tiny"]


def _model_counts() -> dict[str, int]:
    from django.apps import apps

    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def test_tiny_scale_has_the_promised_shape_and_rows_the_application_would_write():
    before = _model_counts()
    world = generate(TINY, vacuum=False)

    assert Municipality.objects.count() - before["institutions.Municipality"] == 2
    daycares = Institution.objects.filter(kind__in=Institution.DAYCARE_KINDS)
    assert daycares.count() == TINY.daycares == 6
    assert Group.objects.filter(kind=Group.Kind.HOME).count() == TINY.homes
    assert Child.objects.count() == TINY.children
    guardians = Guardianship.objects.values("guardian").distinct().count()
    assert 1.6 < guardians / TINY.children < 2.0
    # What the generator says it wrote is what is there.
    after = _model_counts()
    for label, count in world.counts.items():
        if label in after:
            assert after[label] - before[label] == count, label
    assert world.counts["messaging.PostDelivery"] > 0
    assert world.counts["messaging.Message"] >= 2 * world.counts["messaging.Thread"]

    # The rows are what the application would have written. Every post reached exactly
    # the guardians post_publish would have chosen.
    for post in Post.objects.order_by("pk")[::7]:
        delivered = set(PostDelivery.objects.filter(post=post).values_list("guardian", flat=True))
        assert delivered == set(audience_guardian_ids(post)), post.audience
    # Threads: the last message's time, and each thread's guardian has the child.
    for thread in Thread.objects.order_by("pk")[::5]:
        last = thread.messages.order_by("-created_at").first()
        assert thread.last_message_at == last.created_at
        assert Guardianship.objects.filter(guardian=thread.guardian, child=thread.child).exists()
    assert Message.objects.filter(thread__isnull=True).count() == 0
    # Counters the services keep: a pool's committed money, an event's confirmed seats.
    for pool in Pool.objects.all():
        granted = sum(g.amount_ore for g in Grant.objects.filter(pool=pool))
        assert pool.committed_ore == granted
    for event in Event.objects.all():
        confirmed = Registration.objects.filter(event=event, status="confirmed").count()
        assert event.confirmed_count == confirmed
    # Users can log in: a usable password and a verified address.
    user = User.objects.order_by("pk").last()
    assert user.check_password("Bench-portal-2026")
    assert user.emailaddress_set.filter(verified=True).exists()
    _assert_devices_as_the_application_writes_them(world)
    # Foreign keys were not checked while loading: check every one now.
    assert _orphans() == []


def _replayed(changes) -> dict:
    """A record's values rebuilt from its history, oldest change first."""
    values = {}
    for change in sorted(changes, key=lambda c: (c.created_at, c.pk)):
        for name, (old, new) in change.changes.items():
            assert values.get(name) == old, (change.pk, name)
            values[name] = new
    return {name: value for name, value in values.items() if value not in (None, "")}


def _assert_devices_as_the_application_writes_them(world):
    # About a tablet per five children in each daycare with rooms; most rooms have one.
    daycares = Institution.objects.filter(kind__in=Institution.DAYCARE_KINDS).exclude(
        kind=Institution.Kind.CHILDMINDING
    )
    for daycare in daycares:
        children = Child.objects.filter(group__institution=daycare).count()
        tablets = Device.objects.filter(
            institution=daycare, kind="tablet", programme__isnull=True
        ).count()
        assert tablets == max(1, round(children / 5)), daycare
        assert Device.objects.filter(institution=daycare, kind="pc").exists()
        assert WifiSite.objects.filter(institution=daycare).count() == 1
    # Every device's history, replayed, gives the device as it is now (as the services
    # write it: registered with its values, then each change from what to what).
    paid_by = {g.pk: g.institution_id for g in Grant.objects.all()}
    for device in Device.objects.select_related("group"):
        assert _replayed(device.changes.all()) == {
            name: new for name, (_old, new) in _initial(device, DEVICE_FIELDS).items()
        }, device.pk
        assert device.updated_at == max(c.created_at for c in device.changes.all())
        if device.grant_id:
            assert paid_by[device.grant_id] == device.institution_id
        if device.group_id:
            assert device.group.institution_id == device.institution_id
    for site in WifiSite.objects.all():
        assert _replayed(site.changes.all()) == {
            name: new for name, (_old, new) in _initial(site, WIFI_FIELDS).items()
        }
    # A programme's distributed units are its devices in the home.
    for line in ProgrammeLine.objects.select_related("programme"):
        made = Device.objects.filter(programme=line.programme, group=line.group)
        assert made.count() == line.distributed
        assert all(c.action == "distributed" for d in made for c in d.changes.all())
    # A year of bookings per suitcase; none overlaps another with its hand-over days
    # (what the services check before the database does), none starts or ends on a
    # closed day, and the checklists count the suitcase's contents.
    assert world.counts["devices.Booking"] >= 10 * world.counts["devices.Suitcase"]
    assert SuitcaseClosure.objects.exists()
    calendars = {}
    for booking in Booking.objects.select_related("suitcase").order_by("pk"):
        suitcase = booking.suitcase
        assert booking.buffer_days == suitcase.handover_days
        if booking.status == "cancelled":
            continue
        others = _conflicts(suitcase, booking.starts_on, booking.ends_on, booking.buffer_days)
        assert others == [booking], booking.pk
        calendar = calendars.setdefault(
            suitcase.municipality_id,
            Calendar(
                municipality_id=suitcase.municipality_id,
                institution_ids=[],
                start=date(2020, 1, 1),
                end=date(2030, 1, 1),
            ),
        )
        for day in (booking.starts_on, booking.ends_on, booking.booked_ends_on):
            assert not calendar.closure_reason(day, booking.institution_id), (booking.pk, day)
        items = dict(suitcase.items.values_list("pk", "quantity"))
        for stage, expected in (
            ("handover", booking.status in ("handed_out", "returned")),
            ("return", booking.status == "returned"),
        ):
            checks = BookingCheck.objects.filter(booking=booking, stage=stage)
            assert {c.item_id: c.expected for c in checks} == (items if expected else {})
        assert booking.flagged == any(
            c.is_problem for c in BookingCheck.objects.filter(booking=booking)
        )
    assert Booking.objects.filter(status="returned").exists()
    assert Booking.objects.filter(status="booked").exists()
    for slot in RotationSlot.objects.select_related("booking", "plan"):
        assert slot.plan.is_published
        assert (slot.booking.starts_on, slot.booking.booked_ends_on) == (
            slot.starts_on,
            slot.ends_on,
        )
        assert slot.booking.source == "rotation"
        assert slot.booking.plan_id == slot.plan_id


def _orphans() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.conrelid::regclass::text, a.attname, c.confrelid::regclass::text, "
            "fa.attname FROM pg_constraint c "
            "JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1] "
            "JOIN pg_attribute fa ON fa.attrelid = c.confrelid AND fa.attnum = c.confkey[1] "
            "WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace"
        )
        found = []
        for table, column, target, target_column in cursor.fetchall():
            cursor.execute(
                f'SELECT count(*) FROM {table} t WHERE t."{column}" IS NOT NULL AND NOT EXISTS '  # noqa: S608
                f'(SELECT 1 FROM {target} r WHERE r."{target_column}" = t."{column}")'
            )
            if cursor.fetchone()[0]:
                found.append(f"{table}.{column}")
        return found


class _Rollback(Exception):
    pass


def _fingerprint() -> str:
    digest = hashlib.sha256()
    with connection.cursor() as cursor:
        for table in (
            "accounts_user",
            "institutions_child",
            "messaging_post",
            "messaging_message",
            "goals_actionstep",
            "grants_application",
            "devices_device",
            "devices_devicechange",
            "devices_booking",
        ):
            cursor.execute(f"SELECT md5(string_agg(t::text, '|' ORDER BY t.id)) FROM {table} t")  # noqa: S608
            digest.update((cursor.fetchone()[0] or "").encode())
        # Deliveries take their ids from a sequence, which a rollback does not rewind.
        cursor.execute(
            "SELECT md5(string_agg(concat_ws(',', post_id, guardian_id, published_at, read_at), "
            "'|' ORDER BY post_id, guardian_id)) FROM messaging_postdelivery"
        )
        digest.update((cursor.fetchone()[0] or "").encode())
    return digest.hexdigest()


def test_the_same_seed_gives_the_same_database_and_another_seed_another():
    prints = []
    for seed in (1, 1, 2):
        try:
            with transaction.atomic():
                generate(TINY, seed=seed, vacuum=False)
                prints.append(_fingerprint())
                raise _Rollback
        except _Rollback:
            pass
    assert prints[0] == prints[1]
    assert prints[0] != prints[2]


def test_the_command_line_names_every_scale_without_reading_the_settings():
    """`run` and `profile` point DATABASE_URL at the benchmark's database before Django
    reads its settings; parsing the command line must not read them first."""
    import subprocess
    import sys

    script = (
        "import os; os.environ.pop('DJANGO_SETTINGS_MODULE', None); "
        "from bench.__main__ import build_parser; "
        "build_parser().parse_args(['run', '--scale', 'large']); "
        "from django.conf import settings; print(settings.configured)"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"
