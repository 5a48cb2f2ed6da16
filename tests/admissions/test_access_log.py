"""Place allocation logs who looked at or changed a family's sign-up, and why.

A paper sign-up names a child and a parent the register does not know: the municipal
worker registering it, and everyone reading or changing it after, leave a row on the
sign-up; once the child is placed and a guardian registered, "My data" shows them.
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.urls import reverse

from admissions import services
from admissions.models import Letter, Offer, Signup
from institutions import services as institution_services
from institutions.models import Child, MunicipalRole
from privacy.models import PersonalDataAccess
from tests.admissions.helpers import (
    koege,
    leader_of,
    make_daycare,
    next_month,
    sign_up,
    today,
    with_places,
)
from tests.factories import MunicipalRoleFactory, UserFactory
from tests.grants.helpers import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def town():
    municipality = koege()
    daycare = make_daycare(municipality, "Solstrålen")
    group = with_places(daycare, "Mariehønen", places=2)
    admin = MunicipalRoleFactory(
        municipality=municipality,
        role=MunicipalRole.Role.ADMINISTRATOR,
        user=UserFactory(name="Sagsbehandler Karen Kommune", totp=True),
    ).user
    return municipality, daycare, group, admin


def paper_form(daycare, **changes):
    return {
        "parent_name": "Hans Jensen",
        "parent_address": "Torvet 1, 4600 Køge",
        "child_first_name": "Alma",
        "child_last_name": "Jensen",
        "birth_date": (today() - timedelta(days=100)).isoformat(),
        "wished_start": next_month().isoformat(),
        "needs": "Allergi over for nødder",
        "wish_1": daycare.pk,
        **changes,
    }


def rows(**filters):
    return list(
        PersonalDataAccess.objects.filter(**filters)
        .order_by("pk")
        .values_list("actor_id", "actor_role", "action", "purpose", "signup_id", "child_id")
    )


def test_registering_a_paper_sign_up_logs_the_sign_up_as_changed_by_the_worker(client, town):
    municipality, daycare, _group, admin = town
    client.force_login(admin)

    response = client.post(
        reverse("admissions:paper_signup", args=[municipality.pk]), paper_form(daycare)
    )

    signup = Signup.objects.get(child_first_name="Alma")
    assert response.status_code == 302
    assert signup.channel == "paper" and signup.parent is None
    assert rows() == [
        (
            admin.pk,
            "administrator",
            "change",
            "Registering a sign-up handed in on paper",
            signup.pk,
            None,
        )
    ]


def test_a_paper_sign_up_refused_writes_neither_sign_up_nor_log_row(client, town):
    municipality, daycare, _group, admin = town
    client.force_login(admin)

    response = client.post(
        reverse("admissions:paper_signup", args=[municipality.pk]),
        paper_form(daycare, parent_name=" ", wished_start=today().isoformat()),
    )

    assert response.status_code == 400
    assert "Dette felt er påkrævet." in response.content.decode()
    assert not Signup.objects.exists()
    assert not PersonalDataAccess.objects.exists()


def test_reading_and_changing_a_paper_sign_up_is_logged_and_the_family_sees_it_once_registered(
    client, town, django_capture_on_commit_callbacks
):
    municipality, daycare, group, admin = town
    client.force_login(admin)
    client.post(reverse("admissions:paper_signup", args=[municipality.pk]), paper_form(daycare))
    signup = Signup.objects.get(child_first_name="Alma")

    page = client.get(reverse("admissions:signup", args=[signup.pk])).content.decode()
    assert "Alma Jensen" in page
    client.post(reverse("admissions:signup_needs", args=[signup.pk]), {"priority": "1"})

    leader = leader_of(daycare)
    client.force_login(leader)
    client.post(
        reverse("admissions:offer_create", args=[daycare.pk, signup.pk]),
        {
            "group": group.pk,
            "start_date": next_month().isoformat(),
            "deadline": today().isoformat(),
        },
    )
    # The municipality answers for a family without an account; the child is registered.
    client.force_login(admin)
    made = Offer.objects.get(signup=signup)
    client.post(reverse("admissions:offer_accept", args=[made.pk]))
    child = Child.objects.get(first_name="Alma")

    assert rows(signup=signup) == [
        (admin.pk, "administrator", "change", "Registering a sign-up handed in on paper",
         signup.pk, None),
        (admin.pk, "administrator", "read", "A sign-up for a daycare place", signup.pk, None),
        (admin.pk, "administrator", "change", "Assessing a child's special needs",
         signup.pk, None),
        (leader.pk, "leader", "change", "Offering a place", signup.pk, None),
    ]  # fmt: skip
    assert rows(child=child) == [
        (admin.pk, "administrator", "change", "Changing a sign-up for the family", None, child.pk)
    ]

    # The parent is invited to the registered child and signs up for an account.
    with django_capture_on_commit_callbacks(execute=True):
        invitation = institution_services.invitation_create(
            actor=leader,
            municipality=municipality,
            institution=daycare,
            child=child,
            email="hans@example.org",
            name="Hans Jensen",
        )
    parent = institution_services.invitation_accept(
        invitation=invitation, name="Hans Jensen", password="en-lang-adgangskode-42"
    )
    client.force_login(parent)
    page = client.get(reverse("privacy:my_data")).content.decode()

    assert page.count("<td>Alma</td>") == 5
    assert "Registrering af en opskrivning afleveret på papir" in page
    assert "Vurdering af et barns særlige behov" in page
    assert "Tilbud om en plads" in page
    assert "Ændring af en opskrivning for familien" in page
    assert "Kommunal administrator" in page
    assert admin.name not in page and leader.name not in page


def test_the_worker_s_own_download_leaves_out_the_paper_sign_ups_they_typed_in(client, town):
    municipality, daycare, _group, admin = town
    client.force_login(admin)
    client.post(reverse("admissions:paper_signup", args=[municipality.pk]), paper_form(daycare))

    text = client.get(reverse("privacy:download")).content.decode()

    assert admin.email in text
    assert "admissions.signup" not in json.loads(text)["data"]
    assert "Jensen" not in text
    assert "nødder" not in text
    assert "Torvet" not in text
    # What the worker did stays in their data, but not whom it was about.
    (entry,) = json.loads(text)["data"]["core.auditentry"]
    assert entry["action"] == "admissions.signed_up"
    assert entry["summary"] == "udeladt: det handler om andre personer"
    assert "Alma" not in text


def test_the_municipality_downloading_a_letter_logs_it(client, town):
    municipality, daycare, _group, admin = town
    signup = services.signup_create(
        actor=admin,
        municipality=municipality,
        channel="paper",
        parent_name="Hans Jensen",
        parent_address="Torvet 1, 4600 Køge",
        wishes=[daycare],
        child_first_name="Alma",
        child_last_name="Jensen",
        birth_date=today() - timedelta(days=60),
        wished_start=next_month(),
    )
    letter = Letter.objects.get(signup=signup)
    services.letter_make(letter_id=letter.pk)
    client.force_login(admin)

    response = client.get(reverse("admissions:letter", args=[letter.pk]))

    assert "Alma Jensen" in pdf_text(b"".join(response.streaming_content))
    assert rows() == [
        (admin.pk, "administrator", "read", "A letter about a daycare place", signup.pk, None)
    ]


def test_the_parent_s_own_changes_are_not_logged_but_the_municipality_s_are(client, town):
    municipality, daycare, _group, _admin = town
    signup = sign_up(municipality, [daycare], name="Ida")
    client.force_login(signup.parent)
    client.post(reverse("admissions:signup_withdraw", args=[signup.pk]))
    assert Signup.objects.get(pk=signup.pk).state == "withdrawn"
    assert not PersonalDataAccess.objects.exists()

    other = sign_up(municipality, [daycare], name="Bo")
    consultant = MunicipalRoleFactory(
        municipality=municipality,
        role=MunicipalRole.Role.CONSULTANT,
        user=UserFactory(totp=True),
    ).user
    client.force_login(consultant)
    client.post(reverse("admissions:signup_needs", args=[other.pk]), {"priority": "1"})

    assert Signup.objects.get(pk=other.pk).needs_priority
    row = PersonalDataAccess.objects.get()
    assert (row.actor, row.guardian, row.action, row.purpose) == (
        consultant,
        other.parent,
        "change",
        "Assessing a child's special needs",
    )
