"""The benchmark's data generator at a tiny scale: the counts it promises, rows the
application itself would have written, and the same database for the same seed."""

from __future__ import annotations

import hashlib

import pytest
from django.db import connection, transaction

from accounts.models import User
from bench.generate import SCALES, generate
from competence.models import Event, Registration
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
    # Foreign keys were not checked while loading: check every one now.
    assert _orphans() == []


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


def test_the_command_line_offers_every_scale_of_the_generator():
    from bench.__main__ import SCALES as offered

    assert set(offered) == set(SCALES)
