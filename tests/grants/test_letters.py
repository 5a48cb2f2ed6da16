"""The decision letter: a PDF made by WeasyPrint in a task after the decision commits,
stored, sent to the daycare by notify(), and downloadable only by those who may see the
application. The PDF's text is read back with pypdf."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from core.models import Notification
from grants import services
from grants.models import Application
from tests.factories import InstitutionFactory, MembershipFactory, MunicipalityFactory
from tests.grants.helpers import (
    KR,
    admin_of,
    assert_tagged_pdf,
    leader_of,
    make_application,
    make_pool,
    pdf_text,
    plain,
    today,
)
from tests.smtp import body_text

pytestmark = pytest.mark.django_db

State = Application.State
Outcome = Application.Outcome


@pytest.fixture
def koege():
    return MunicipalityFactory(name="Køge Kommune", code="259")


@pytest.fixture
def daycare(koege):
    institution = InstitutionFactory(municipality=koege, name="Solstrålen", street="Solvej 1")
    leader_of(institution)
    return institution


@pytest.fixture
def in_review(koege, daycare):
    pool = make_pool(koege, name="Forsøg med digitale læremidler", total_kr=100_000)
    return make_application(
        pool, daycare, state=State.IN_REVIEW, asked_kr=20_000, project="Bee-Bots i børnehaven"
    )


def decide(application, capture, **kwargs):
    with capture(execute=True):
        services.application_decide(
            actor=admin_of(application.pool.municipality), application=application, **kwargs
        )
    application.refresh_from_db()
    return application


def letter_text(application) -> str:
    with application.decision_letter.open("rb") as letter:
        return pdf_text(letter.read())


def test_a_partial_approval_letter_states_the_amounts_the_reason_and_the_conditions(
    in_review, django_capture_on_commit_callbacks
):
    application = decide(
        in_review,
        django_capture_on_commit_callbacks,
        outcome=Outcome.PARTLY_APPROVED,
        approved_ore=12_000 * KR,
        reason="Puljen har mange ansøgere i år.",
        report_due_on=today() + timedelta(days=90),
    )

    assert application.decision_letter.name.startswith("grants/letters/")
    text = letter_text(application)
    assert "Afgørelse om jeres ansøgning til Forsøg med digitale læremidler" in text
    assert "Bee-Bots i børnehaven" in text
    assert "delvist bevilget" in text
    assert "12.000,00 kr." in text
    assert "20.000,00 kr." in text
    assert "Puljen har mange ansøgere i år." in text
    assert "Solstrålen" in text
    assert "Side 1 af" in text


def test_a_rejection_letter_gives_the_reason_and_no_amount_granted(
    in_review, django_capture_on_commit_callbacks
):
    application = decide(
        in_review,
        django_capture_on_commit_callbacks,
        outcome=Outcome.REJECTED,
        reason="Projektet ligger uden for puljens formål.",
    )

    text = letter_text(application)
    assert "afslag" in text
    assert "Projektet ligger uden for puljens formål." in text
    assert "Vilkår" not in text


def test_the_daycare_is_told_by_notification_and_email_with_the_letter_attached_and_linked(
    in_review, daycare, mailbox, django_capture_on_commit_callbacks
):
    leader = leader_of(daycare)
    decide(
        in_review,
        django_capture_on_commit_callbacks,
        outcome=Outcome.APPROVED,
        report_due_on=today() + timedelta(days=90),
    )

    notification = Notification.objects.get(recipient=leader, kind="grants.decision")
    assert "Bee-Bots i børnehaven" in notification.subject
    assert "bevilget fuldt ud: I får 20.000,00 kr. til projektet" in plain(notification.body)
    (message,) = mailbox.wait_for(1)
    assert message["To"] == leader.email
    link = "http://testserver" + reverse("grants:decision_letter", args=[in_review.pk])
    assert link in body_text(message)
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename() == f"afgoerelse-{in_review.pk}.pdf"
    assert_tagged_pdf(attachment.get_content())
    letter = pdf_text(attachment.get_content())
    assert "Bee-Bots i børnehaven" in letter
    assert "20.000,00 kr." in letter


def test_the_letter_task_is_idempotent(in_review, django_capture_on_commit_callbacks):
    application = decide(
        in_review,
        django_capture_on_commit_callbacks,
        outcome=Outcome.APPROVED,
        report_due_on=today() + timedelta(days=90),
    )
    stored = application.decision_letter.name

    assert services.decision_letter_make(application_id=application.pk) is False

    application.refresh_from_db()
    assert application.decision_letter.name == stored
    assert Notification.objects.filter(kind="grants.decision").count() == 1


def test_the_letter_is_downloaded_by_the_daycare_and_the_municipality_only(
    in_review, daycare, koege, client, django_capture_on_commit_callbacks
):
    application = decide(
        in_review,
        django_capture_on_commit_callbacks,
        outcome=Outcome.APPROVED,
        report_due_on=today() + timedelta(days=90),
    )
    url = reverse("grants:decision_letter", args=[application.pk])
    staff = MembershipFactory(institution=daycare, role="staff").user
    neighbour = leader_of(InstitutionFactory(municipality=koege, name="Troldehøjen"))

    client.force_login(leader_of(daycare))
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert "12.000" not in pdf_text(b"".join(response.streaming_content))  # approved in full

    client.force_login(admin_of(koege))
    assert client.get(url).status_code == 200
    client.force_login(staff)
    assert client.get(url).status_code == 403
    client.force_login(neighbour)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302
