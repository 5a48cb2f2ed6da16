"""The decision letter: a PDF made by WeasyPrint in a task after the decision commits,
stored, sent to the daycare by notify(), and downloadable only by those who may see the
application. It carries the municipality's letterhead and complaint guidance, keeps the
signature with the closing paragraph and breaks no word with a hyphen. The PDF's text is
read back with pypdf."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse

from core.models import Notification
from core.pdf import html_to_pdf
from grants import services
from grants.letters import decision_letter_html
from grants.models import Application, Earmark
from institutions.letterhead import PLACES, default_complaints, letterhead_update
from institutions.models import Letterhead
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
from tests.pdf import broken_words, page_of, page_texts
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


# The letterhead, the complaint guidance and the layout ------------------------------

LONG_LINE = "Kompetenceudviklingsforløb og dagtilbudsudviklingskonsulentbistand til pædagogerne"


@pytest.fixture
def letterhead(koege):
    return Letterhead.objects.create(
        municipality=koege,
        department="Dagtilbud",
        address="Torvet 1\n4600 Køge",
        phone="56 67 67 67",
        email="dagtilbud@koege.example",
    )


def test_the_letter_carries_the_letterhead_and_the_default_complaint_guidance(
    in_review, letterhead, django_capture_on_commit_callbacks
):
    application = decide(
        in_review,
        django_capture_on_commit_callbacks,
        outcome=Outcome.REJECTED,
        reason="Projektet ligger uden for puljens formål.",
    )

    text = letter_text(application)
    for part in ("Køge Kommune", "Dagtilbud", "Torvet 1", "4600 Køge"):
        assert part in text
    assert "Telefon 56 67 67 67" in text
    assert "E-mail dagtilbud@koege.example" in text
    assert f"Sag: ansøgning nr. {application.pk}" in text
    assert "Klagevejledning" in text
    assert "kan I klage til Køge Kommune" in text
    assert "senest 4 uger efter" in text
    assert "ikke indbringes for en anden myndighed" in text
    # The closing sends questions to the contact details at the top.
    assert "Telefonnummer og e-mailadresse står øverst i brevet" in text


def test_the_municipalitys_own_guidance_is_printed_instead_of_the_default(
    in_review, koege, letterhead, django_capture_on_commit_callbacks
):
    own = "Klag til Børne- og Ungeudvalget senest 14 dage efter afgørelsen.\n\nSkriv til os."
    letterhead_update(
        actor=admin_of(koege),
        municipality=koege,
        department="Dagtilbud",
        address="Torvet 1\n4600 Køge",
        phone="56 67 67 67",
        email="dagtilbud@koege.example",
        grants_complaints=own,
        places_complaints=default_complaints(koege, PLACES),
    )

    application = decide(
        in_review,
        django_capture_on_commit_callbacks,
        outcome=Outcome.REJECTED,
        reason="Projektet ligger uden for puljens formål.",
    )

    text = letter_text(application)
    assert "Klag til Børne- og Ungeudvalget senest 14 dage efter afgørelsen. Skriv til os." in text
    assert "senest 4 uger efter" not in text


def test_a_letter_without_contact_details_names_the_municipality_to_ask(
    in_review, django_capture_on_commit_callbacks
):
    application = decide(
        in_review,
        django_capture_on_commit_callbacks,
        outcome=Outcome.REJECTED,
        reason="Projektet ligger uden for puljens formål.",
    )

    text = letter_text(application)
    assert "er I velkomne til at kontakte Køge Kommune" in text
    assert "Telefon" not in text
    assert "Klagevejledning" in text


def _rejected_with_lines(koege, daycare, count: int) -> Application:
    pool = make_pool(koege, name="Forsøg med digitale læremidler")
    lines = [(LONG_LINE, Earmark.LEARNING_MATERIALS, 500)] * count
    return make_application(
        pool,
        daycare,
        asked_kr=500 * count,
        lines=lines,
        state=State.DECIDED,
        outcome=Outcome.REJECTED,
        reason="Puljen prioriterer indkøb af læremidler frem for konsulentbistand.",
    )


def _with_rows(html: str, count: int) -> str:
    """The letter's HTML with only the first `count` budget lines: the closing moves down
    one row at a time, so some count puts the page break just where the closing starts."""
    rows = re.findall(r"<tr><td>.*?</tr>", html)
    for row in rows[count:]:
        html = html.replace(row, "", 1)
    return html


def test_the_signature_stays_on_the_page_of_the_closing_paragraph(koege, daycare, letterhead):
    application = _rejected_with_lines(koege, daycare, 40)
    html = decision_letter_html(application)
    closing = "Har I spørgsmål til afgørelsen"
    signature = application.decided_by.name

    def pdf(count: int) -> bytes:
        return html_to_pdf(_with_rows(html, count)).content

    # The fewest lines that push the closing paragraph onto the second page.
    low, high = 1, 40
    assert page_of(pdf(low), closing) == 1 and page_of(pdf(high), closing) > 1
    while high - low > 1:
        middle = (low + high) // 2
        if page_of(pdf(middle), closing) == 1:
            low = middle
        else:
            high = middle
    for count in (low, high, high + 1):
        letter = pdf(count)
        assert page_of(letter, signature) == page_of(letter, closing), (
            f"with {count} budget lines the signature left the closing paragraph"
        )
        assert page_of(letter, "Med venlig hilsen") == page_of(letter, signature)


def test_no_word_is_broken_by_a_hyphen_in_the_narrow_columns(koege, daycare, letterhead):
    letterhead.address = "Dagtilbudsafdelingen, Rådhuspladsens Administrationsbygning\n4600 Køge"
    letterhead.save()
    application = _rejected_with_lines(koege, daycare, 3)
    html = decision_letter_html(application)

    letter = html_to_pdf(html).content

    assert broken_words(letter, html) == []
    text = plain(" ".join(page_texts(letter)))
    assert "Kompetenceudviklingsforløb og dagtilbudsudviklingskonsulentbistand" in text
    assert "Rådhuspladsens Administrationsbygning" in text
