"""Every look at a child's or guardian's data is logged: who, when, what, why; the
guardian sees when and why (not who by name) and can download what the portal holds."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from privacy.models import PersonalDataAccess

pytestmark = pytest.mark.django_db


def open_child(client, world, user):
    client.force_login(user)
    child = world.objects["child"]
    response = client.get(reverse("institutions:child", args=[world.institution.pk, child.pk]))
    assert response.status_code == 200
    return child


def test_staff_opening_a_childs_page_logs_the_child_and_each_guardian(client, world):
    staff = world.users["staff"]
    child = open_child(client, world, staff)

    rows = PersonalDataAccess.objects.filter(actor=staff)
    assert {(r.child_id, r.guardian_id) for r in rows} == {
        (child.pk, None),
        (None, world.users["guardian"].pk),
    }
    for row in rows:
        assert row.action == "read"
        assert row.actor_role == "staff"
        assert row.purpose == "The child's page with guardians"
        assert row.view == "institutions:child"
        assert row.institution == world.institution


def test_the_list_of_children_logs_each_child_shown(client, world):
    client.force_login(world.users["leader"])
    client.get(reverse("institutions:children", args=[world.institution.pk]))

    assert list(
        PersonalDataAccess.objects.filter(actor=world.users["leader"]).values_list(
            "child__first_name", flat=True
        )
    ) == ["Alma"]


def test_a_guardian_looking_at_their_own_child_is_not_logged(client, world):
    client.force_login(world.users["guardian"])
    client.get(reverse("messaging:feed"))

    assert not PersonalDataAccess.objects.exists()


def test_the_guardian_sees_when_and_why_without_the_staff_members_name(client, world):
    open_child(client, world, world.users["staff"])
    client.force_login(world.users["guardian"])

    page = client.get(reverse("privacy:my_data")).content.decode()

    assert "Barnets side med forældre" in page
    assert "Alma" in page
    assert "Medarbejder, Solstrålen" in page
    assert world.users["staff"].name not in page
    assert world.users["staff"].email not in page


def test_a_page_nobody_looked_at_says_so(client, world):
    client.force_login(world.users["guardian"])

    page = client.get(reverse("privacy:my_data")).content.decode()

    assert "Ingen har slået dine eller dine børns oplysninger op endnu." in page


def test_the_download_holds_the_guardians_own_data_and_no_secrets_or_staff_names(client, world):
    open_child(client, world, world.users["staff"])
    guardian = world.users["guardian"]
    client.force_login(guardian)

    response = client.get(reverse("privacy:download"))

    assert response["Content-Disposition"].startswith('attachment; filename="mine-data-')
    data = json.loads(response.content)
    assert data["person"]["email"] == guardian.email
    assert [c["first_name"] for c in data["children"]] == ["Alma"]
    assert "institutions.guardianship" in data["data"]
    assert {row["purpose"] for row in data["lookups"]} == {"The child's page with guardians"}
    text = response.content.decode()
    assert world.users["staff"].email not in text
    assert world.users["staff"].name not in text
    assert "password" not in text
    # Other families' children: neither their rows nor their names (the guardian's own
    # generated name may well contain "Otto", so look for the children's fields).
    others = [world.objects["neighbour_child"], world.objects["foreign_child"]]
    assert {row["id"] for row in data["data"]["institutions.child"]} == {world.objects["child"].pk}
    for other in others:
        assert f'"first_name": "{other.first_name}"' not in text
        assert f'"child": "{other.first_name}"' not in text


def test_a_change_is_logged_as_a_change(client, world):
    client.force_login(world.users["leader"])
    child = world.objects["child"]

    client.post(
        reverse("institutions:child", args=[world.institution.pk, child.pk]),
        {"name": "Bo Berg", "email": "bo@example.org", "language": "da"},
    )

    assert PersonalDataAccess.objects.filter(
        actor=world.users["leader"], child=child, action="change", purpose="Guardian invited"
    ).exists()


def test_an_administrators_download_leaves_out_the_people_of_a_workbook_they_uploaded(
    client, world
):
    from institutions.onboarding.services import workbook_check
    from tests.institutions.workbooks import upload

    admin = world.users["admin"]
    workbook_check(actor=admin, municipality=world.municipality, upload=upload(world.municipality))
    client.force_login(admin)

    response = client.get(reverse("privacy:download"))

    (row,) = json.loads(response.content)["data"]["institutions.workbookimport"]
    assert row["rows"] == row["summary"] == "udeladt: det handler om andre personer"
    assert "mads.holm@example.org" not in response.content.decode()
