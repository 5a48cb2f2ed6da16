"""The writes in institutions/services.py: what each stores, what each refuses (and that a
refusal stores nothing), and the audit entry each leaves behind.

Invitations have their own module (test_invitations.py).
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from core.models import AuditEntry
from institutions import services
from institutions.models import ChildrenCount, Group, Institution, Invitation, Membership
from tests.factories import (
    ChildFactory,
    ChildrenCountFactory,
    GroupFactory,
    InstitutionFactory,
    MembershipFactory,
    MunicipalityFactory,
    MunicipalRoleFactory,
    UserFactory,
)
from tests.institutions.helpers import snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Refusals are compared with their English source text; whether that text is in the
    Danish catalogue is checked once, below."""
    with translation.override("en"):
        yield


@pytest.fixture
def admin():
    return UserFactory(name="Anne Admin")


@pytest.fixture
def koege():
    return MunicipalityFactory(name="Køge Kommune", code="259")


def refused(call, message: str):
    """Run `call`, expect a ValidationError with exactly `message`, and nothing stored."""
    before = snapshot()
    with pytest.raises(ValidationError) as error:
        call()
    assert error.value.messages == [message]
    assert snapshot() == before


# Institutions -------------------------------------------------------------------------


def test_institution_create_stores_the_institution_and_an_audit_entry(admin, koege):
    institution = services.institution_create(
        actor=admin,
        municipality=koege,
        name="Solsikken",
        kind=Institution.Kind.NURSERY,
        ownership=Institution.Ownership.SELF_GOVERNING,
        street="Solsikkevej 1",
        postcode="4600",
        city="Køge",
        ignored_field="not stored",
    )

    stored = Institution.objects.get(pk=institution.pk)
    assert stored.municipality == koege
    assert (stored.name, stored.kind, stored.ownership) == (
        "Solsikken",
        "nursery",
        "self_governing",
    )
    assert stored.address == "Solsikkevej 1, 4600 Køge"
    entry = AuditEntry.objects.get(action="institution.created")
    assert entry.actor == admin
    assert entry.institution == stored
    assert entry.municipality == koege
    assert entry.object_type == "institutions.institution"
    assert entry.object_id == str(stored.pk)
    assert entry.summary == "Solsikken"


def test_institution_create_refuses_a_name_the_municipality_already_has(admin, koege):
    InstitutionFactory(municipality=koege, name="Solsikken")

    refused(
        lambda: services.institution_create(
            actor=admin, municipality=koege, name="SOLSIKKEN", kind="nursery"
        ),
        "The municipality already has an institution with that name.",
    )


def test_the_same_institution_name_may_exist_in_another_municipality(admin, koege):
    InstitutionFactory(municipality=koege, name="Solsikken")
    solrod = MunicipalityFactory(name="Solrød Kommune", code="269")

    services.institution_create(actor=admin, municipality=solrod, name="Solsikken", kind="nursery")

    assert Institution.objects.filter(name="Solsikken").count() == 2


def test_institution_update_saves_the_change_and_audits_old_and_new(admin, koege):
    institution = InstitutionFactory(municipality=koege, name="Solsikken", city="Køge")

    services.institution_update(
        actor=admin, institution=institution, name="Solsikken", city="Herfølge"
    )

    institution.refresh_from_db()
    assert institution.city == "Herfølge"
    entry = AuditEntry.objects.get(action="institution.updated")
    assert entry.changes == {"city": ["Køge", "Herfølge"]}
    assert entry.actor == admin


def test_institution_update_without_a_change_writes_no_audit_entry(admin, koege):
    institution = InstitutionFactory(municipality=koege, name="Solsikken", city="Køge")

    services.institution_update(actor=admin, institution=institution, city="Køge")

    assert not AuditEntry.objects.exists()


def test_institution_update_refuses_renaming_to_another_institutions_name(admin, koege):
    InstitutionFactory(municipality=koege, name="Troldehøjen")
    institution = InstitutionFactory(municipality=koege, name="Solsikken")

    refused(
        lambda: services.institution_update(
            actor=admin, institution=institution, name="troldehøjen"
        ),
        "The municipality already has an institution with that name.",
    )


def test_institution_update_may_change_the_case_of_its_own_name(admin, koege):
    institution = InstitutionFactory(municipality=koege, name="solsikken")

    services.institution_update(actor=admin, institution=institution, name="Solsikken")

    assert Institution.objects.get(pk=institution.pk).name == "Solsikken"


# Groups -------------------------------------------------------------------------------


def test_group_create_stores_a_room_and_an_audit_entry(admin):
    institution = InstitutionFactory()

    group = services.group_create(actor=admin, institution=institution, name="Mariehønen")

    stored = Group.objects.get(pk=group.pk)
    assert (stored.institution, stored.name, stored.kind) == (institution, "Mariehønen", "room")
    entry = AuditEntry.objects.get(action="group.created")
    assert (entry.institution, entry.summary) == (institution, "Mariehønen")


def test_group_create_refuses_a_name_the_institution_already_has(admin):
    institution = InstitutionFactory()
    GroupFactory(institution=institution, name="Mariehønen")

    refused(
        lambda: services.group_create(actor=admin, institution=institution, name="mariehønen"),
        "The institution already has a group with that name.",
    )


def test_the_same_group_name_may_exist_in_another_institution(admin):
    GroupFactory(name="Mariehønen")
    other = InstitutionFactory()

    services.group_create(actor=admin, institution=other, name="Mariehønen")

    assert Group.objects.filter(name="Mariehønen").count() == 2


def test_group_update_refuses_a_name_another_group_has_and_changes_nothing(admin):
    institution = InstitutionFactory()
    GroupFactory(institution=institution, name="Mariehønen")
    group = GroupFactory(institution=institution, name="Sommerfuglen")

    refused(
        lambda: services.group_update(actor=admin, group=group, name="Mariehønen"),
        "The institution already has a group with that name.",
    )


def test_group_update_renames_and_audits(admin):
    group = GroupFactory(name="Sommerfuglen")

    services.group_update(actor=admin, group=group, name="Græshoppen")

    assert Group.objects.get(pk=group.pk).name == "Græshoppen"
    entry = AuditEntry.objects.get(action="group.updated")
    assert entry.changes == {"name": ["Sommerfuglen", "Græshoppen"]}


def test_childminder_home_gets_a_childminder_of_the_unit(admin):
    unit = InstitutionFactory(kind=Institution.Kind.CHILDMINDING)
    childminder = MembershipFactory(institution=unit, role=Membership.Role.CHILDMINDER).user

    home = services.group_create(
        actor=admin,
        institution=unit,
        name="Dagplejer Hansen",
        kind=Group.Kind.HOME,
        childminder=childminder,
    )

    assert Group.objects.get(pk=home.pk).childminder == childminder


def test_a_room_cannot_have_a_childminder(admin):
    unit = InstitutionFactory(kind=Institution.Kind.CHILDMINDING)
    childminder = MembershipFactory(institution=unit, role=Membership.Role.CHILDMINDER).user

    refused(
        lambda: services.group_create(
            actor=admin,
            institution=unit,
            name="Stuen",
            kind=Group.Kind.ROOM,
            childminder=childminder,
        ),
        "Only a childminder home has a childminder.",
    )


@pytest.mark.parametrize("where", ["other unit", "staff here"])
def test_the_childminder_must_be_a_childminder_in_this_unit(admin, where):
    unit = InstitutionFactory(kind=Institution.Kind.CHILDMINDING)
    if where == "other unit":
        person = MembershipFactory(role=Membership.Role.CHILDMINDER).user
    else:
        person = MembershipFactory(institution=unit, role=Membership.Role.STAFF).user

    refused(
        lambda: services.group_create(
            actor=admin, institution=unit, name="Hjemmet", kind=Group.Kind.HOME, childminder=person
        ),
        "The childminder must be a childminder in this institution.",
    )


# Children -----------------------------------------------------------------------------


def _today() -> date:
    return timezone.localdate()


def test_child_create_stores_the_child_and_an_audit_entry_without_the_birth_date(admin):
    group = GroupFactory()

    child = services.child_create(
        actor=admin,
        group=group,
        first_name="Alma",
        birth_date=date(2022, 3, 1),
        started_on=date(2023, 3, 1),
    )

    stored = child.__class__.objects.get(pk=child.pk)
    assert (stored.group, stored.first_name, stored.birth_date) == (group, "Alma", date(2022, 3, 1))
    entry = AuditEntry.objects.get(action="child.created")
    assert entry.institution == group.institution
    assert entry.summary == "Alma"
    assert "2022" not in entry.summary


@pytest.mark.parametrize(
    "dates,message",
    [
        (
            {"birth_date": "tomorrow"},
            "The birth date cannot be in the future.",
        ),
        (
            {"birth_date": "19 years ago"},
            "The birth date is too far in the past for a child in daycare.",
        ),
        (
            {"birth_date": date(2022, 3, 1), "started_on": date(2022, 2, 28)},
            "A child cannot start before it is born.",
        ),
        (
            {
                "birth_date": date(2022, 3, 1),
                "started_on": date(2023, 3, 1),
                "left_on": date(2023, 2, 28),
            },
            "The leaving date must be after the start date.",
        ),
    ],
)
def test_child_create_refuses_impossible_dates(admin, dates, message):
    group = GroupFactory()
    values = dict(dates)
    if values["birth_date"] == "tomorrow":
        values["birth_date"] = _today() + timedelta(days=1)
    elif values["birth_date"] == "19 years ago":
        values["birth_date"] = _today().replace(year=_today().year - 19, day=1)

    refused(
        lambda: services.child_create(actor=admin, group=group, first_name="Alma", **values),
        message,
    )


def test_child_born_today_is_accepted(admin):
    child = services.child_create(
        actor=admin, group=GroupFactory(), first_name="Ny", birth_date=_today()
    )
    assert child.pk


def test_child_update_refuses_a_leaving_date_before_the_start(admin):
    child = ChildFactory(birth_date=date(2022, 3, 1), started_on=date(2023, 1, 1))

    refused(
        lambda: services.child_update(actor=admin, child=child, left_on=date(2022, 12, 31)),
        "The leaving date must be after the start date.",
    )


def test_child_moves_between_groups_of_one_institution_and_the_move_is_audited(admin):
    child = ChildFactory()
    next_room = GroupFactory(institution=child.group.institution, name="Storegruppen")

    services.child_update(actor=admin, child=child, group=next_room)

    child.refresh_from_db()
    assert child.group == next_room
    entry = AuditEntry.objects.get(action="child.updated")
    assert list(entry.changes) == ["group"]


def test_child_cannot_move_to_a_group_in_another_institution(admin):
    child = ChildFactory()
    elsewhere = GroupFactory()

    refused(
        lambda: services.child_update(actor=admin, child=child, group=elsewhere),
        "A child can only move between groups of the same institution.",
    )


# Children counts ----------------------------------------------------------------------


def test_children_count_record_stores_the_count_and_an_audit_entry(admin):
    institution = InstitutionFactory()

    count = services.children_count_record(
        actor=admin, institution=institution, counted_on=date(2025, 1, 1), aged_0_2=24, aged_3_5=40
    )

    stored = ChildrenCount.objects.get(pk=count.pk)
    assert (stored.aged_0_2, stored.aged_3_5, stored.aged_6_plus, stored.total) == (24, 40, 0, 64)
    entry = AuditEntry.objects.get()
    assert entry.action == "children_count.recorded"
    assert entry.summary == "2025-01-01: 64"


def test_children_count_recorded_again_for_a_date_corrects_it(admin):
    institution = InstitutionFactory()
    ChildrenCountFactory(institution=institution, counted_on=date(2025, 1, 1), aged_0_2=10)

    services.children_count_record(
        actor=admin, institution=institution, counted_on=date(2025, 1, 1), aged_0_2=12, aged_3_5=41
    )

    (count,) = ChildrenCount.objects.filter(institution=institution)
    assert (count.aged_0_2, count.aged_3_5) == (12, 41)
    assert AuditEntry.objects.get().action == "children_count.corrected"


def test_counts_for_different_dates_are_kept_side_by_side(admin):
    institution = InstitutionFactory()
    for day in (1, 2):
        services.children_count_record(
            actor=admin,
            institution=institution,
            counted_on=date(2025, 1, day),
            aged_0_2=day,
            aged_3_5=day,
        )
    assert institution.children_counts.count() == 2


@pytest.mark.parametrize("field", ["aged_0_2", "aged_3_5", "aged_6_plus"])
def test_children_count_refuses_a_negative_number(admin, field):
    institution = InstitutionFactory()
    numbers = {"aged_0_2": 5, "aged_3_5": 5, "aged_6_plus": 0, field: -1}

    refused(
        lambda: services.children_count_record(
            actor=admin, institution=institution, counted_on=date(2025, 1, 1), **numbers
        ),
        "A number of children cannot be negative.",
    )


def test_children_count_refuses_a_date_in_the_future_and_keeps_the_old_count(admin):
    institution = InstitutionFactory()
    ChildrenCountFactory(institution=institution, counted_on=_today(), aged_0_2=10)

    refused(
        lambda: services.children_count_record(
            actor=admin,
            institution=institution,
            counted_on=_today() + timedelta(days=1),
            aged_0_2=1,
            aged_3_5=1,
        ),
        "A children count cannot be dated in the future.",
    )


# Memberships and municipal roles ------------------------------------------------------


def test_membership_remove_deletes_the_role_and_audits_it(admin):
    membership = MembershipFactory(role=Membership.Role.STAFF, user__email="pia@example.org")
    institution = membership.institution

    services.membership_remove(actor=admin, membership=membership)

    assert not Membership.objects.filter(pk=membership.pk).exists()
    entry = AuditEntry.objects.get(action="membership.removed")
    assert entry.institution == institution
    assert entry.actor == admin
    assert entry.summary.startswith("pia@example.org")


def test_membership_remove_keeps_the_persons_other_roles(admin):
    staff = MembershipFactory(role=Membership.Role.STAFF)
    ambassador = MembershipFactory(
        user=staff.user, institution=staff.institution, role=Membership.Role.AMBASSADOR
    )

    services.membership_remove(actor=admin, membership=staff)

    assert list(Membership.objects.filter(user=staff.user)) == [ambassador]


def test_membership_remove_refuses_removing_the_last_leader(admin):
    leader = MembershipFactory(role=Membership.Role.LEADER)

    refused(
        lambda: services.membership_remove(actor=admin, membership=leader),
        "An institution must keep at least one leader.",
    )


def test_one_of_two_leaders_can_be_removed(admin):
    first = MembershipFactory(role=Membership.Role.LEADER)
    second = MembershipFactory(institution=first.institution, role=Membership.Role.LEADER)

    services.membership_remove(actor=admin, membership=first)

    assert list(Membership.objects.filter(institution=first.institution)) == [second]


def test_a_leader_elsewhere_does_not_count_as_this_institutions_leader(admin):
    leader = MembershipFactory(role=Membership.Role.LEADER)
    MembershipFactory(user=leader.user, role=Membership.Role.LEADER)  # leads another daycare

    refused(
        lambda: services.membership_remove(actor=admin, membership=leader),
        "An institution must keep at least one leader.",
    )


def test_municipal_role_remove_removes_a_consultant_and_audits_it(koege):
    admin = MunicipalRoleFactory(municipality=koege).user
    consultant = MunicipalRoleFactory(
        municipality=koege, role="consultant", user__email="konsulent@example.org"
    )

    services.municipal_role_remove(actor=admin, role=consultant)

    assert not koege.roles.filter(pk=consultant.pk).exists()
    entry = AuditEntry.objects.get(action="municipal_role.removed")
    assert entry.municipality == koege
    assert entry.summary.startswith("konsulent@example.org")


def test_an_administrator_can_remove_another_administrator(koege):
    first = MunicipalRoleFactory(municipality=koege)
    second = MunicipalRoleFactory(municipality=koege)

    services.municipal_role_remove(actor=first.user, role=second)

    assert list(koege.roles.all()) == [first]


def test_municipal_role_remove_keeps_one_administrator(koege):
    last = MunicipalRoleFactory(municipality=koege)
    technical = UserFactory(is_staff=True)

    refused(
        lambda: services.municipal_role_remove(actor=technical, role=last),
        "A municipality must keep at least one administrator.",
    )


def test_an_administrator_in_another_municipality_does_not_count(koege):
    last = MunicipalRoleFactory(municipality=koege)
    MunicipalRoleFactory(user=last.user)  # administrator elsewhere too
    technical = UserFactory(is_staff=True)

    refused(
        lambda: services.municipal_role_remove(actor=technical, role=last),
        "A municipality must keep at least one administrator.",
    )


def test_nobody_removes_their_own_municipal_role(koege):
    first = MunicipalRoleFactory(municipality=koege)
    MunicipalRoleFactory(municipality=koege)

    refused(
        lambda: services.municipal_role_remove(actor=first.user, role=first),
        "You cannot remove your own municipal role.",
    )


# Old invitations ----------------------------------------------------------------------


def _invitation(**fields) -> Invitation:
    institution = fields.pop("institution", None) or InstitutionFactory()
    return Invitation.objects.create(
        email=fields.pop("email", "ny@example.org"),
        name="Ny",
        municipality=institution.municipality,
        institution=institution,
        role=Membership.Role.STAFF,
        **fields,
    )


def test_invitations_expire_deletes_pending_invitations_a_month_past_their_expiry():
    now = timezone.now()
    long_gone = _invitation(email="gammel@example.org", expires_at=now - timedelta(days=31))
    recently = _invitation(email="nylig@example.org", expires_at=now - timedelta(days=29))
    used = _invitation(
        email="brugt@example.org", expires_at=now - timedelta(days=60), accepted_at=now
    )

    assert services.invitations_expire() == 1

    remaining = set(Invitation.objects.values_list("pk", flat=True))
    assert remaining == {recently.pk, used.pk}
    assert long_gone.pk not in remaining


def test_expire_invitations_task_runs_the_service():
    from institutions.tasks import expire_invitations

    _invitation(expires_at=timezone.now() - timedelta(days=45))

    assert expire_invitations.delay().get() == 1
    assert not Invitation.objects.exists()


# Messages -----------------------------------------------------------------------------


def test_every_refusal_of_the_services_is_in_the_danish_catalogue():
    """A refusal is shown to the user: each message must be extracted for translation."""
    source = Path(services.__file__).read_text(encoding="utf-8")
    messages = re.findall(r'_\(\s*"((?:[^"\\]|\\.)*)"\s*\)', source)
    catalogue = (Path(settings.BASE_DIR) / "locale/da/LC_MESSAGES/django.po").read_text(
        encoding="utf-8"
    )
    # Long msgids are wrapped over several quoted lines.
    catalogue = catalogue.replace('"\n"', "")
    assert len(messages) > 15
    missing = [m for m in messages if f'msgid "{m}"' not in catalogue]
    assert not missing, missing
