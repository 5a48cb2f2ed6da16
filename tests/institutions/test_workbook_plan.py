"""What a re-import does with the people and places the workbook no longer names, or names
differently: roles and custody that end, invitations withdrawn or sent anew, daycares and
groups that close and open again. What the portal made without an id is left alone."""

from __future__ import annotations

import pytest
from django.utils import timezone

from institutions import services as institution_services
from institutions.models import (
    Group,
    Guardianship,
    Institution,
    Invitation,
    Membership,
)
from institutions.onboarding import services
from tests.factories import (
    GuardianshipFactory,
    MembershipFactory,
    MunicipalityFactory,
    MunicipalRoleFactory,
)
from tests.institutions.workbooks import CHILDREN, GROUPS, GUARDIANS, STAFF, rows, upload

pytestmark = pytest.mark.django_db

PASSWORD = "Blaabaer-og-kanel-77"


@pytest.fixture
def koege():
    return MunicipalityFactory(name="Køge Kommune", code="259")


@pytest.fixture
def admin(koege):
    return MunicipalRoleFactory(municipality=koege).user


def imported(admin, koege, sheets=None):
    checked = services.workbook_check(actor=admin, municipality=koege, upload=upload(koege, sheets))
    services.workbook_import(actor=admin, workbook=checked)
    checked.refresh_from_db()
    return checked


def accept(email: str, name: str):
    return institution_services.invitation_accept(
        invitation=Invitation.objects.get(email=email, accepted_at=None, revoked_at=None),
        name=name,
        password=PASSWORD,
    )


def test_a_childminder_who_leaves_loses_the_role_and_her_home(koege, admin):
    imported(admin, koege)
    rikke = accept("rikke.hansen@koege.example", "Rikke Hansen")
    home = Group.objects.get(external_key="102-1")
    home.childminder = rikke
    home.save()
    staff = [list(r) for r in STAFF if r[0] != "M3"]

    checked = imported(admin, koege, rows(Medarbejdere=staff))

    assert checked.summary["staff"] == {"added": 0, "removed": 1}
    assert not Membership.objects.filter(user=rikke).exists()
    home.refresh_from_db()
    assert home.childminder is None


def test_a_role_given_in_the_portal_survives_every_reimport(koege, admin):
    imported(admin, koege)
    solsikken = Institution.objects.get(external_key="101")
    invited_in_portal = MembershipFactory(institution=solsikken, role=Membership.Role.STAFF)
    guardian_in_portal = GuardianshipFactory(child=solsikken.groups.first().children.first())

    imported(admin, koege, rows(Medarbejdere=[STAFF[0]], Forældre=[GUARDIANS[0]]))

    assert Membership.objects.filter(pk=invited_in_portal.pk, external_key=None).exists()
    assert Guardianship.objects.filter(pk=guardian_in_portal.pk, external_key=None).exists()


def test_custody_that_ends_is_removed_while_the_child_stays(koege, admin):
    imported(admin, koege)
    sara = accept("sara.holm@example.org", "Sara Holm")
    guardians = [list(r) for r in GUARDIANS if r[0] != "F2"]

    checked = imported(admin, koege, rows(Forældre=guardians))

    assert checked.summary["guardians"] == {"added": 0, "removed": 1}
    assert not Guardianship.objects.filter(guardian=sara).exists()


def test_a_new_address_for_someone_not_yet_in_withdraws_the_old_invitation(
    koege, admin, mailbox, django_capture_on_commit_callbacks
):
    imported(admin, koege)
    staff = [list(r) for r in STAFF]
    staff[1][2] = "per.b@koege.example"
    mailbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        checked = imported(admin, koege, rows(Medarbejdere=staff))

    assert checked.summary["invitations"]["total"] == 1
    old = Invitation.objects.get(email="per.berg@koege.example")
    assert old.revoked_at is not None
    new = Invitation.objects.get(email="per.b@koege.example")
    assert (new.role, new.external_key, new.revoked_at) == ("staff", "M2", None)
    assert [m["To"] for m in mailbox.wait_for(1)] == ["per.b@koege.example"]


def test_someone_the_portal_knows_in_a_new_daycare_gets_the_role_without_an_invitation(
    koege, admin
):
    imported(admin, koege)
    per = accept("per.berg@koege.example", "Per Berg")
    staff = [list(r) for r in STAFF]
    staff.append(["M2", "Per Berg", "per.berg@koege.example", "pædagog", "102"])

    checked = imported(admin, koege, rows(Medarbejdere=staff))

    assert checked.summary["invitations"]["total"] == 0
    assert checked.summary["staff"]["added"] == 1
    assert sorted(
        Membership.objects.filter(user=per).values_list("institution__name", flat=True)
    ) == [
        "Dagplejen Syd",
        "Solsikken",
    ]


def test_a_daycare_and_a_group_that_leave_close_and_open_again_when_back(koege, admin):
    imported(admin, koege)
    daycares = [list(r) for r in rows()["Dagtilbud"] if r[0] != "102"]
    groups = [list(r) for r in GROUPS if r[0] not in ("101-2", "102-1")]
    children = [["B1", "Alma", "Holm", CHILDREN[0][3], "101", "101-1", None],
                ["B2", "Otto", "Berg", CHILDREN[1][3], "101", "101-1", None]]  # fmt: skip
    guardians = [list(r) for r in GUARDIANS if r[3] != "B3"]
    staff = [list(r) for r in STAFF if r[4] != "102"]
    sheets = rows(
        Dagtilbud=daycares, Grupper=groups, Børn=children, Forældre=guardians, Medarbejdere=staff
    )

    closing = imported(admin, koege, sheets)

    assert closing.summary["daycares"]["closed"] == 1
    assert closing.summary["groups"]["closed"] == 2
    assert not Institution.objects.get(external_key="102").is_active
    assert not Group.objects.get(external_key="101-2").is_active
    assert Group.objects.get(external_key="101-2").children.filter(left_on=None).count() == 0

    reopening = imported(admin, koege)

    assert reopening.summary["daycares"]["changed"] == 1
    assert Institution.objects.get(external_key="102").is_active
    assert Group.objects.get(external_key="101-2").is_active


def test_two_daycares_that_swap_names_swap_them(koege, admin):
    imported(admin, koege)
    daycares = [list(r) for r in rows()["Dagtilbud"]]
    daycares[0][1], daycares[1][1] = daycares[1][1], daycares[0][1]

    imported(admin, koege, rows(Dagtilbud=daycares))

    assert dict(Institution.objects.values_list("external_key", "name")) == {
        "101": "Dagplejen Syd",
        "102": "Solsikken",
    }


def test_a_child_who_leaves_keeps_its_guardians_until_the_retention_rules(koege, admin):
    imported(admin, koege)
    mette = accept("mette.lund@example.org", "Mette Lund")
    children = [list(r) for r in CHILDREN if r[0] != "B3"]
    guardians = [list(r) for r in GUARDIANS if r[3] != "B3"]

    checked = imported(admin, koege, rows(Børn=children, Forældre=guardians))

    assert checked.summary["children"]["left"] == 1
    assert checked.summary["guardians"]["removed"] == 0
    freja = Guardianship.objects.get(guardian=mette).child
    assert freja.left_on == timezone.localdate()
