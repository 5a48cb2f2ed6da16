"""The invitation link, end to end with the test client: a new person chooses a password
and lands logged in; someone with an account logs in first; the wrong account is told."""

from __future__ import annotations

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import SESSION_KEY
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from institutions import services
from institutions.models import Invitation, Membership
from tests.institutions.helpers import shown, snapshot
from tests.smtp import body_text

pytestmark = pytest.mark.django_db

PASSWORD = "Lyseblaa-cykel-2024"


def link(invitation: Invitation) -> str:
    return reverse("institutions:invitation_accept", args=[invitation.token])


def choose_password(client, invitation, *, name="Nina Ny", password=PASSWORD, repeat=None):
    return client.post(
        link(invitation),
        {"name": name, "password1": password, "password2": password if repeat is None else repeat},
    )


def test_new_person_chooses_a_password_and_lands_logged_in_on_the_home_page(
    world, client, mailbox, django_capture_on_commit_callbacks
):
    invitation = world.objects["invitation"]  # ny@example.org, staff at Solstrålen

    form_page = client.get(link(invitation))
    assert form_page.status_code == 200
    assert 'value="Ny Kollega"' in form_page.content.decode()  # the name is filled in

    with django_capture_on_commit_callbacks(execute=True):
        response = choose_password(client, invitation)

    assert response.status_code == 302
    # First the municipality's privacy notice, once; then the home page.
    notice = reverse("privacy:notice", args=[invitation.institution.municipality_id])
    assert response["Location"] == f"{notice}?next=%2F"
    person = User.objects.get(email="ny@example.org")
    assert client.session[SESSION_KEY] == str(person.pk)
    assert person.name == "Nina Ny"
    assert person.check_password(PASSWORD)
    assert EmailAddress.objects.get(user=person).verified
    assert list(person.memberships.values_list("institution__name", "role")) == [
        ("Solstrålen", "staff")
    ]
    home = client.get(reverse("home"))
    assert home.status_code == 200
    page = home.content.decode()
    assert shown("Welcome to Dagtilbudsportalen.") in page
    assert "Solstrålen" in page
    # The leader who invited is told by e-mail.
    (message,) = mailbox.wait_for(1)
    assert message["To"] == "leder@example.org"
    assert "Nina Ny" in body_text(message)


def test_the_link_cannot_be_used_twice(world, client):
    invitation = world.objects["invitation"]
    choose_password(client, invitation)
    client.logout()

    again = client.get(link(invitation))

    assert again.status_code == 410
    assert shown("This invitation has already been used. Log in with your e-mail address.") in (
        again.content.decode()
    )


def test_an_invited_leader_is_led_to_set_up_two_factor_login_first(world, client):
    invitation = services.invitation_create(
        actor=world.user("admin"),
        municipality=world.municipality,
        institution=world.institution,
        email="ny-leder@example.org",
        name="Ny Leder",
        role=Membership.Role.LEADER,
    )

    response = choose_password(client, invitation)
    assert response.status_code == 302
    # The privacy notice comes first (it needs no second factor); then the set-up.
    assert client.get(response["Location"]).status_code == 200
    read = client.post(reverse("privacy:notice_read", args=[world.municipality.pk]), {"next": "/"})
    landing = client.get(read["Location"])

    assert landing.status_code == 302
    assert landing["Location"] == reverse("mfa_activate_totp")
    assert Membership.objects.filter(
        user__email="ny-leder@example.org", institution=world.institution, role="leader"
    ).exists()


def test_passwords_that_differ_are_refused_and_nothing_is_stored(world, client):
    invitation = world.objects["invitation"]
    before = snapshot()

    response = choose_password(client, invitation, repeat="Noget-helt-andet-77")

    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="form-error-message" id="id_password2-error"' in page
    assert shown("The two passwords are not the same.") in page
    assert snapshot() == before
    assert SESSION_KEY not in client.session


def test_a_weak_password_is_refused_in_danish_and_nothing_is_stored(world, client):
    invitation = world.objects["invitation"]
    before = snapshot()

    response = choose_password(client, invitation, password="12345678")

    page = response.content.decode()
    assert 'id="id_password1-error"' in page
    assert "Denne adgangskode er for almindelig." in page  # Django's own Danish message
    assert snapshot() == before


def test_someone_with_an_account_is_asked_to_log_in_first(world, client):
    invitation = services.invitation_create(
        actor=world.user("leader"),
        municipality=world.municipality,
        institution=world.institution,
        email="ambassador@example.org",
        name="Ambassadøren",
        role=Membership.Role.STAFF,
    )
    before = snapshot()

    page = client.get(link(invitation)).content.decode()
    posted = choose_password(client, invitation)

    login = reverse("account_login") + "?next=" + link(invitation)
    assert f'href="{login}"' in page
    assert shown("You already have an account. Log in to accept the invitation.") in page
    assert 'name="password1"' not in page
    assert posted.status_code == 200
    assert snapshot() == before  # no account taken over, no role granted


def test_logged_in_with_the_invited_account_one_click_accepts(world, client):
    ambassador = world.user("ambassador")
    invitation = services.invitation_create(
        actor=world.user("leader"),
        municipality=world.municipality,
        institution=world.institution,
        email="ambassador@example.org",
        name="Ambassadøren",
        role=Membership.Role.STAFF,
    )
    client.force_login(ambassador)

    page = client.get(link(invitation)).content.decode()
    assert 'name="password1"' not in page
    response = client.post(link(invitation))

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert set(ambassador.memberships.values_list("role", flat=True)) == {"ambassador", "staff"}
    assert User.objects.filter(email="ambassador@example.org").count() == 1


def test_the_wrong_logged_in_person_is_told_and_may_log_out(world, client):
    invitation = world.objects["invitation"]  # for ny@example.org
    client.force_login(world.user("staff"))
    before = snapshot()

    page = client.get(link(invitation)).content.decode()
    assert (
        shown(
            "You are logged in as %(email)s. Log out to accept the invitation with the right "
            "account.",
            email="paedagog@example.org",
        )
        in page
    )
    client.post(link(invitation))  # pressing anything but "log out" changes nothing
    assert snapshot() == before

    response = client.post(link(invitation), {"action": "logout"})

    assert response.status_code == 302
    assert response["Location"] == link(invitation)
    assert SESSION_KEY not in client.session
    assert 'name="password1"' in client.get(link(invitation)).content.decode()
    assert snapshot() == before


@pytest.mark.parametrize(
    "field,message",
    [
        (
            "expires_at",
            "This invitation has expired. Ask the person who invited you to send a new one.",
        ),
        ("revoked_at", "This invitation has been withdrawn. Ask the person who invited you."),
    ],
)
def test_an_expired_or_withdrawn_link_answers_gone(world, client, field, message):
    invitation = world.objects["invitation"]
    Invitation.objects.filter(pk=invitation.pk).update(**{field: timezone.now() - timedelta(1)})
    before = snapshot()

    page = client.get(link(invitation))
    posted = choose_password(client, invitation)

    assert page.status_code == 410
    assert shown(message) in page.content.decode()
    assert posted.status_code == 410
    assert snapshot() == before


def test_an_unknown_token_is_not_found(db, client):
    assert client.get(reverse("institutions:invitation_accept", args=["nope"])).status_code == 404
