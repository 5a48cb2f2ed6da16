"""Retention: a child who left more than five years ago is deleted (or anonymised where
records must stay), their guardian anonymised; a dry run changes nothing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from core.models import AuditEntry
from institutions.models import Child
from privacy.models import PersonalDataAccess
from privacy.retention import apply_retention
from tests.factories import ChildFactory, GuardianshipFactory

pytestmark = pytest.mark.django_db
TODAY = date(2031, 8, 1)


@pytest.fixture
def left_long_ago(world):
    child = ChildFactory(
        group=world.objects["room"],
        first_name="Karla",
        birth_date=date(2018, 3, 4),
        started_on=date(2019, 1, 1),
        left_on=date(2025, 7, 31),
    )
    guardian = GuardianshipFactory(child=child, guardian__email="karlas-mor@example.org").guardian
    return child, guardian


@pytest.fixture
def left_recently(world):
    return ChildFactory(
        group=world.objects["room"],
        first_name="Viggo",
        started_on=date(2020, 1, 1),
        left_on=date(2027, 6, 30),
    )


def test_a_child_who_left_over_five_years_ago_is_deleted_and_the_guardian_anonymised(
    left_long_ago, left_recently
):
    child, guardian = left_long_ago

    report = apply_retention(today=TODAY)

    assert report.children_deleted == [child.pk]
    assert not Child.objects.filter(pk=child.pk).exists()
    assert Child.objects.filter(pk=left_recently.pk).exists()
    guardian.refresh_from_db()
    assert guardian.name == "Anonymiseret"
    assert "karlas-mor" not in guardian.email
    assert not guardian.is_active
    assert not guardian.has_usable_password()
    assert AuditEntry.objects.filter(action="privacy.child_deleted").count() == 1


def test_a_guardian_with_another_child_still_here_keeps_their_account(world, left_long_ago):
    _child, guardian = left_long_ago
    GuardianshipFactory(child=world.objects["child"], guardian=guardian)

    apply_retention(today=TODAY)

    guardian.refresh_from_db()
    assert guardian.is_active and guardian.email == "karlas-mor@example.org"


def test_a_dry_run_reports_and_changes_nothing(left_long_ago, capsys):
    child, guardian = left_long_ago

    report = apply_retention(dry_run=True, today=TODAY)

    assert report.children_deleted == [child.pk]
    assert report.guardians_anonymised == [guardian.pk]
    assert Child.objects.filter(pk=child.pk, first_name="Karla").exists()
    assert get_user_model().objects.get(pk=guardian.pk).is_active


def test_a_dry_run_leaves_out_guardians_with_another_child_still_here(world, left_long_ago):
    _child, guardian = left_long_ago
    GuardianshipFactory(child=world.objects["child"], guardian=guardian)

    report = apply_retention(dry_run=True, today=TODAY)

    assert report.guardians_anonymised == []
    assert report.guardians_anonymised == apply_retention(today=TODAY).guardians_anonymised


def test_a_dry_run_names_a_guardian_once_when_all_their_children_are_due(world, left_long_ago):
    child, guardian = left_long_ago
    sibling = ChildFactory(
        group=world.objects["room"],
        first_name="Bertram",
        started_on=date(2019, 1, 1),
        left_on=date(2025, 7, 31),
    )
    GuardianshipFactory(child=sibling, guardian=guardian)

    dry = apply_retention(dry_run=True, today=TODAY)

    assert sorted(dry.children_deleted) == sorted([child.pk, sibling.pk])
    assert dry.guardians_anonymised == [guardian.pk]
    assert apply_retention(today=TODAY).guardians_anonymised == [guardian.pk]


def test_the_command_has_a_dry_run(left_long_ago, capsys):
    child, guardian = left_long_ago
    Child.objects.filter(pk=child.pk).update(left_on=timezone.localdate() - timedelta(days=2000))

    call_command("apply_retention", "--dry-run")

    out = capsys.readouterr().out
    assert "Retention would: delete 1 children" in out
    assert "and 1 guardians" in out
    assert f"children would be deleted: [{child.pk}]" in out
    assert f"guardians would be anonymised: [{guardian.pk}]" in out
    assert Child.objects.filter(first_name="Karla").exists()


def test_the_retention_period_is_a_setting(left_long_ago, settings):
    settings.CHILD_RETENTION_DAYS = 10 * 365

    assert apply_retention(today=TODAY).children_deleted == []


def test_lookups_older_than_the_log_retention_are_deleted(world, settings):
    settings.ACCESS_LOG_RETENTION_DAYS = 30
    child = world.objects["child"]
    old = PersonalDataAccess.objects.create(
        child=child, action="read", purpose="x", at=timezone.now() - timedelta(days=31)
    )
    new = PersonalDataAccess.objects.create(child=child, action="read", purpose="x")

    report = apply_retention()

    assert report.lookups_deleted == 1
    assert list(PersonalDataAccess.objects.values_list("pk", flat=True)) == [new.pk]
    assert old.pk != new.pk


def test_retention_runs_every_night():
    from portal.celery import app

    assert app.conf.beat_schedule["privacy.apply_retention"]["task"] == "privacy.apply_retention"


def test_the_childs_place_sign_up_goes_with_the_child(left_long_ago, world):
    from admissions.models import Signup
    from tests.admissions.helpers import make_policy, sign_up

    child, guardian = left_long_ago
    make_policy(world.municipality)
    signup = sign_up(world.municipality, [world.institution], parent=guardian, name="Karla")
    Signup.objects.filter(pk=signup.pk).update(child=child)
    other = sign_up(world.municipality, [world.institution], name="Bodil")

    apply_retention(today=TODAY)

    assert not Signup.objects.filter(pk=signup.pk).exists()
    assert not Signup.objects.filter(child_first_name="Karla").exists()
    assert Signup.objects.filter(pk=other.pk).exists()


def test_an_anonymised_child_keeps_no_id_from_the_municipalitys_systems(world, left_long_ago):
    from privacy.retention import _anonymise_child

    child, _guardian = left_long_ago
    Child.objects.filter(pk=child.pk).update(
        external_key="B-30001", key_municipality=world.municipality
    )
    child.refresh_from_db()

    _anonymise_child(child)

    child.refresh_from_db()
    assert (child.first_name, child.external_key, child.key_municipality) == (
        "Anonymiseret",
        None,
        None,
    )
