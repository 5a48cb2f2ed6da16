"""Invitations: created (or renewed), e-mailed over SMTP after the transaction commits,
and accepted into exactly one role. The e-mails arrive at a real SMTP sink."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.defaultfilters import date as date_filter
from django.utils import timezone, translation

from accounts.models import User
from core.models import AuditEntry, Notification
from institutions import services
from institutions.emails import invitation_email_send
from institutions.models import Guardianship, Invitation, Membership, MunicipalRole
from tests.factories import (
    ChildFactory,
    GroupFactory,
    InstitutionFactory,
    MembershipFactory,
    MunicipalityFactory,
    MunicipalRoleFactory,
    UserFactory,
)
from tests.institutions.helpers import snapshot
from tests.smtp import body_text

pytestmark = pytest.mark.django_db

LINK = re.compile(r"http://testserver(/invitation/[\w-]+/)")
PASSWORD = "Lyseblaa-cykel-2024"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def koege():
    return MunicipalityFactory(name="Køge Kommune", code="259")


@pytest.fixture
def daycare(koege):
    return InstitutionFactory(municipality=koege, name="Solstrålen")


@pytest.fixture
def leader(daycare):
    user = UserFactory(name="Lene Leder", email="leder@example.org", totp=True)
    MembershipFactory(user=user, institution=daycare, role=Membership.Role.LEADER)
    return user


def invite(capture, *, actor, institution, email="pia@example.org", role="staff", **extra):
    """Invite and commit: the e-mail is queued only when the transaction commits."""
    with capture(execute=True):
        return services.invitation_create(
            actor=actor,
            municipality=institution.municipality,
            institution=institution,
            email=email,
            name=extra.pop("name", "Pia Pædagog"),
            role=role,
            **extra,
        )


def test_invitation_is_stored_and_one_email_sent_only_after_commit(
    daycare, leader, mailbox, django_capture_on_commit_callbacks, client
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invitation_create(
            actor=leader,
            municipality=daycare.municipality,
            institution=daycare,
            email="  Pia@Example.org ",
            name=" Pia Pædagog ",
            role=Membership.Role.STAFF,
        )
        assert mailbox.messages == []  # not before the commit

    stored = Invitation.objects.get()
    assert (stored.email, stored.name, stored.role) == ("pia@example.org", "Pia Pædagog", "staff")
    assert stored.institution == daycare
    assert stored.invited_by == leader
    assert stored.accepted_at is None
    assert timedelta(days=13, hours=23) < stored.expires_at - timezone.now() <= timedelta(days=14)
    (message,) = mailbox.wait_for(1)
    assert message["To"] == "pia@example.org"
    assert "Solstrålen" in message["Subject"]
    body = body_text(message)
    assert "Pia Pædagog" in body
    assert "Lene Leder" in body
    assert stored.sent_at is not None
    entry = AuditEntry.objects.get(action="invitation.sent")
    assert (entry.actor, entry.institution) == (leader, daycare)
    assert entry.summary == "pia@example.org: Staff"

    # The link in the e-mail opens the page where the person chooses a password.
    (path,) = LINK.findall(body)
    assert path == f"/invitation/{invitation.token}/"
    page = client.get(path)
    assert page.status_code == 200
    assert 'name="password1"' in page.content.decode()
    assert "pia@example.org" in page.content.decode()


def test_an_invitation_in_a_rolled_back_transaction_sends_nothing(
    daycare, leader, mailbox, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.invitation_create(
            actor=leader,
            municipality=daycare.municipality,
            institution=daycare,
            email="pia@example.org",
            name="Pia",
            role="staff",
        )
        raise RuntimeError("the surrounding work failed")

    assert not Invitation.objects.exists()
    assert mailbox.messages == []


@pytest.mark.parametrize("language,other", [("da", "en"), ("en", "da")])
def test_invitation_email_is_written_in_the_invitations_language(
    daycare, leader, mailbox, django_capture_on_commit_callbacks, language, other
):
    invitation = invite(
        django_capture_on_commit_callbacks, actor=leader, institution=daycare, language=language
    )

    (message,) = mailbox.wait_for(1)
    expires = timezone.localtime(invitation.expires_at)
    with translation.override(language):
        expected_date = date_filter(expires, "DATE_FORMAT")
    with translation.override(other):
        other_date = date_filter(expires, "DATE_FORMAT")
    with translation.override(language):
        greeting = translation.gettext("Dear %(name)s,") % {"name": "Pia Pædagog"}
    body = body_text(message)
    assert greeting in body
    assert expected_date in body
    assert other_date not in body
    html = message.get_body(preferencelist=("html",)).get_content()
    assert expected_date in html
    assert f'<html lang="{language}">' in html


def test_inviting_again_renews_the_pending_invitation_instead_of_adding_one(
    daycare, leader, mailbox, django_capture_on_commit_callbacks
):
    first = invite(django_capture_on_commit_callbacks, actor=leader, institution=daycare)
    Invitation.objects.filter(pk=first.pk).update(expires_at=timezone.now() - timedelta(days=1))
    admin = MunicipalRoleFactory(municipality=daycare.municipality).user

    again = invite(
        django_capture_on_commit_callbacks,
        actor=admin,
        institution=daycare,
        email="PIA@example.org",
        name="Pia Hansen",
        language="en",
    )

    (stored,) = Invitation.objects.all()
    assert again.pk == first.pk
    assert stored.token == first.token
    assert stored.name == "Pia Hansen"
    assert stored.invited_by == admin
    assert stored.language == "en"
    assert stored.expires_at > timezone.now() + timedelta(days=13)
    messages = mailbox.wait_for(2)
    assert len(messages) == 2  # one e-mail for each time the person was invited
    assert all(f"/invitation/{first.token}/" in body_text(m) for m in messages)
    assert AuditEntry.objects.filter(action="invitation.sent").count() == 2


def test_an_invitation_to_another_role_is_a_separate_invitation(
    daycare, leader, django_capture_on_commit_callbacks
):
    invite(django_capture_on_commit_callbacks, actor=leader, institution=daycare, role="staff")
    invite(django_capture_on_commit_callbacks, actor=leader, institution=daycare, role="ambassador")

    assert sorted(Invitation.objects.values_list("role", flat=True)) == ["ambassador", "staff"]


def test_inviting_again_after_a_withdrawal_makes_a_new_invitation(
    daycare, leader, django_capture_on_commit_callbacks
):
    first = invite(django_capture_on_commit_callbacks, actor=leader, institution=daycare)
    services.invitation_revoke(actor=leader, invitation=first)

    second = invite(django_capture_on_commit_callbacks, actor=leader, institution=daycare)

    assert second.pk != first.pk
    assert second.token != first.token
    assert Invitation.objects.get(pk=first.pk).revoked_at is not None
    assert Invitation.objects.get(pk=second.pk).revoked_at is None


def test_inviting_someone_to_a_role_they_hold_is_refused_and_nothing_is_sent(
    daycare, leader, mailbox, django_capture_on_commit_callbacks
):
    MembershipFactory(institution=daycare, role="staff", user__email="pia@example.org")
    before = snapshot()

    with pytest.raises(ValidationError) as error:
        invite(
            django_capture_on_commit_callbacks,
            actor=leader,
            institution=daycare,
            email="Pia@example.org",
        )

    assert error.value.messages == ["pia@example.org already has this role."]
    assert snapshot() == before
    assert mailbox.messages == []


def test_a_colleague_can_be_invited_to_a_further_role(
    daycare, leader, mailbox, django_capture_on_commit_callbacks
):
    MembershipFactory(institution=daycare, role="staff", user__email="pia@example.org")

    invite(
        django_capture_on_commit_callbacks,
        actor=leader,
        institution=daycare,
        role=Membership.Role.AMBASSADOR,
    )

    assert Invitation.objects.get().role == "ambassador"
    assert len(mailbox.wait_for(1)) == 1


def test_guardian_invitation_names_the_child_and_the_daycare(
    daycare, leader, mailbox, django_capture_on_commit_callbacks
):
    child = ChildFactory(group=GroupFactory(institution=daycare), first_name="Alma")

    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invitation_create(
            actor=leader,
            municipality=daycare.municipality,
            child=child,
            email="far@example.org",
            name="Far",
        )

    assert (invitation.institution, invitation.role, invitation.child) == (None, "", child)
    assert invitation.role_label == "Guardian"
    (message,) = mailbox.wait_for(1)
    assert "Alma" in body_text(message)
    assert "Solstrålen" in body_text(message)
    assert AuditEntry.objects.get(action="invitation.sent").institution == daycare


def test_municipal_invitation_names_the_municipality(
    koege, mailbox, django_capture_on_commit_callbacks
):
    admin = MunicipalRoleFactory(municipality=koege).user

    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_create(
            actor=admin,
            municipality=koege,
            email="konsulent@example.org",
            name="Karen Konsulent",
            municipal_role=MunicipalRole.Role.CONSULTANT,
        )

    (message,) = mailbox.wait_for(1)
    assert "Køge Kommune" in message["Subject"]
    with translation.override("da"):  # the invitation's language
        role = str(MunicipalRole.Role.CONSULTANT.label).lower()  # inside a sentence
    assert role in body_text(message)


def test_a_withdrawn_or_used_invitation_is_not_emailed(daycare, leader, mailbox):
    now = timezone.now()
    common = {
        "municipality": daycare.municipality,
        "institution": daycare,
        "role": "staff",
        "name": "X",
        "expires_at": now + timedelta(days=14),
    }
    withdrawn = Invitation.objects.create(email="a@example.org", revoked_at=now, **common)
    used = Invitation.objects.create(email="b@example.org", accepted_at=now, **common)

    assert invitation_email_send(invitation_id=withdrawn.pk) is False
    assert invitation_email_send(invitation_id=used.pk) is False
    assert mailbox.messages == []


def test_withdrawing_an_accepted_invitation_is_refused(daycare, leader):
    invitation = Invitation.objects.create(
        email="a@example.org",
        name="A",
        municipality=daycare.municipality,
        institution=daycare,
        role="staff",
        expires_at=timezone.now() + timedelta(days=1),
        accepted_at=timezone.now(),
    )
    before = snapshot()

    with pytest.raises(ValidationError, match="already been accepted"):
        services.invitation_revoke(actor=leader, invitation=invitation)

    assert snapshot() == before


def test_withdrawing_an_invitation_is_stored_and_audited(
    daycare, leader, django_capture_on_commit_callbacks
):
    invitation = invite(django_capture_on_commit_callbacks, actor=leader, institution=daycare)

    services.invitation_revoke(actor=leader, invitation=invitation)

    assert Invitation.objects.get().revoked_at is not None
    assert AuditEntry.objects.filter(action="invitation.revoked", actor=leader).count() == 1


# Accepting ----------------------------------------------------------------------------


def test_accepting_creates_the_person_with_a_verified_address_and_exactly_the_role(
    daycare, leader, mailbox, django_capture_on_commit_callbacks
):
    invitation = invite(
        django_capture_on_commit_callbacks, actor=leader, institution=daycare, language="en"
    )
    mailbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        user = services.invitation_accept(
            invitation=invitation, name=" Pia Hansen ", password=PASSWORD
        )

    person = User.objects.get(email="pia@example.org")
    assert person == user
    assert person.name == "Pia Hansen"
    assert person.language == "en"
    assert person.check_password(PASSWORD)
    (address,) = EmailAddress.objects.filter(user=person)
    assert (address.email, address.verified, address.primary) == ("pia@example.org", True, True)
    assert list(Membership.objects.filter(user=person).values_list("institution", "role")) == [
        (daycare.pk, "staff")
    ]
    assert not MunicipalRole.objects.filter(user=person).exists()
    assert not Guardianship.objects.filter(guardian=person).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_by == person
    assert invitation.accepted_at is not None
    entry = AuditEntry.objects.get(action="invitation.accepted")
    assert (entry.actor, entry.institution) == (person, daycare)


def test_accepting_tells_the_inviter_in_the_app_and_by_email(
    daycare, leader, mailbox, django_capture_on_commit_callbacks
):
    invitation = invite(django_capture_on_commit_callbacks, actor=leader, institution=daycare)
    mailbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_accept(invitation=invitation, name="Pia Hansen", password=PASSWORD)

    (notification,) = Notification.objects.all()
    assert notification.recipient == leader
    assert notification.kind == "institutions.invitation_accepted"
    assert "Pia Hansen" in notification.subject
    assert "Solstrålen" in notification.body
    (message,) = mailbox.wait_for(1)
    assert message["To"] == "leder@example.org"
    assert "Pia Hansen" in message["Subject"]


def test_the_name_from_the_invitation_is_used_when_none_is_given(
    daycare, leader, django_capture_on_commit_callbacks
):
    invitation = invite(django_capture_on_commit_callbacks, actor=leader, institution=daycare)

    user = services.invitation_accept(invitation=invitation, password=PASSWORD)

    assert user.name == "Pia Pædagog"


def test_accepting_a_municipal_invitation_grants_the_municipal_role_only(koege):
    admin = MunicipalRoleFactory(municipality=koege).user
    invitation = services.invitation_create(
        actor=admin,
        municipality=koege,
        email="konsulent@example.org",
        name="Karen",
        municipal_role="consultant",
    )

    user = services.invitation_accept(invitation=invitation, password=PASSWORD)

    assert list(user.municipal_roles.values_list("municipality", "role")) == [
        (koege.pk, "consultant")
    ]
    assert not user.memberships.exists()


def test_accepting_a_guardian_invitation_links_the_child_only(daycare, leader):
    child = ChildFactory(group=GroupFactory(institution=daycare))
    invitation = services.invitation_create(
        actor=leader,
        municipality=daycare.municipality,
        child=child,
        email="mor@example.org",
        name="Mor",
    )

    user = services.invitation_accept(invitation=invitation, password=PASSWORD)

    assert list(user.children.all()) == [child]
    assert not user.memberships.exists()
    assert not user.municipal_roles.exists()
    assert AuditEntry.objects.get(action="invitation.accepted").institution == daycare


def _pending(daycare, **fields) -> Invitation:
    values = {
        "email": "pia@example.org",
        "name": "Pia",
        "municipality": daycare.municipality,
        "institution": daycare,
        "role": "staff",
        "expires_at": timezone.now() + timedelta(days=3),
        **fields,
    }
    return Invitation.objects.create(**values)


@pytest.mark.parametrize(
    "state,message",
    [
        (
            {"expires_at": "past"},
            "This invitation has expired. Ask the person who invited you to send a new one.",
        ),
        (
            {"revoked_at": "now"},
            "This invitation has been withdrawn. Ask the person who invited you.",
        ),
        (
            {"accepted_at": "now"},
            "This invitation has already been used. Log in with your e-mail address.",
        ),
    ],
)
def test_an_expired_withdrawn_or_used_invitation_cannot_be_accepted(daycare, state, message):
    now = timezone.now()
    values = {k: (now - timedelta(minutes=1)) for k in state}
    invitation = _pending(daycare, **values)
    before = snapshot()

    with pytest.raises(ValidationError) as error:
        services.invitation_accept(invitation=invitation, password=PASSWORD)

    assert error.value.messages == [message]
    assert snapshot() == before


def test_an_invitation_can_be_accepted_once(daycare):
    invitation = _pending(daycare)
    services.invitation_accept(invitation=invitation, password=PASSWORD)
    before = snapshot()

    with pytest.raises(ValidationError, match="already been used"):
        services.invitation_accept(invitation=invitation, password=PASSWORD)

    assert snapshot() == before


def test_someone_with_an_account_must_log_in_to_accept(daycare):
    UserFactory(email="pia@example.org")
    invitation = _pending(daycare)
    before = snapshot()

    with pytest.raises(ValidationError) as error:
        services.invitation_accept(invitation=invitation, name="Pia", password=PASSWORD)

    assert error.value.messages == ["An account with this e-mail address exists. Log in to accept."]
    assert snapshot() == before


def test_a_logged_in_person_accepts_into_their_existing_account(daycare):
    pia = UserFactory(email="pia@example.org", name="Pia")
    password_before = pia.password
    invitation = _pending(daycare, role="ambassador")

    services.invitation_accept(invitation=invitation, user=pia)

    assert User.objects.filter(email="pia@example.org").count() == 1
    pia.refresh_from_db()
    assert pia.password == password_before
    assert list(pia.memberships.values_list("role", flat=True)) == ["ambassador"]
    assert EmailAddress.objects.get(user=pia).verified


def test_another_account_cannot_accept_someone_elses_invitation(daycare):
    other = UserFactory(email="other@example.org")
    invitation = _pending(daycare)
    before = snapshot()

    with pytest.raises(ValidationError) as error:
        services.invitation_accept(invitation=invitation, user=other)

    assert error.value.messages == ["This invitation was sent to another e-mail address."]
    assert snapshot() == before
