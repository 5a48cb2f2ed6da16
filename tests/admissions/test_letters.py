"""Each step is confirmed by a message and a PDF letter: the letter is printed after the
step commits, stored with the sign-up, and e-mailed to the parent as an attachment. Every
letter carries the municipality's letterhead; those that decide about a place carry its
complaint guidance too."""

from __future__ import annotations

import pytest
from django.utils import translation
from django.utils.formats import date_format

from admissions import services
from admissions.letters import letter_html
from admissions.models import Letter
from core.models import Notification
from core.pdf import html_to_pdf
from institutions.models import Letterhead
from tests.admissions.helpers import koege, make_daycare, offer, sign_up, with_places
from tests.factories import UserFactory
from tests.grants.helpers import assert_tagged_pdf
from tests.pdf import broken_words, page_texts, pdf_text, plain

pytestmark = pytest.mark.django_db


def letter_text(letter: Letter) -> str:
    letter.refresh_from_db()
    with letter.pdf.open("rb") as handle:
        return pdf_text(handle.read())


def test_the_offer_letter_names_the_place_and_the_deadline_and_is_mailed(
    mailbox, django_capture_on_commit_callbacks
):
    municipality = koege()
    daycare = make_daycare(municipality, "Solstrålen")
    group = with_places(daycare, "Mariehønen")
    parent = UserFactory(name="Mette Forælder", email="mette@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        signup = sign_up(municipality, [daycare], parent=parent, name="Ida")
    mailbox.wait_for(1)
    mailbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        made = offer(daycare, signup, group)

    letter = Letter.objects.get(signup=signup, kind=Letter.Kind.OFFER)
    text = letter_text(letter)
    assert "Tilbud om plads" in text
    assert "Ida Hansen" in text
    assert "Solstrålen" in text and "Mariehønen" in text
    assert "Side 1 af" in text
    notification = Notification.objects.get(recipient=parent, kind="admissions.offer")
    assert "Ida" in notification.subject
    (message,) = mailbox.wait_for(1)
    assert message["To"] == "mette@example.org"
    attachments = [part for part in message.walk() if part.get_filename()]
    assert [a.get_filename() for a in attachments] == [letter.filename]
    assert attachments[0].get_content_type() == "application/pdf"
    assert_tagged_pdf(attachments[0].get_content())
    with translation.override("da"):
        assert date_format(made.deadline, "j. F Y") in text


def test_the_sign_up_letter_gives_the_guarantee_date_and_the_places(
    django_capture_on_commit_callbacks,
):
    municipality = koege()
    daycares = [make_daycare(municipality, n, leader=False) for n in ("Solstrålen", "Uglen")]
    with django_capture_on_commit_callbacks(execute=True):
        signup = sign_up(municipality, daycares, name="Ida")

    text = letter_text(Letter.objects.get(signup=signup))
    assert "Bekræftelse af opskrivning" in text
    assert "Pladsgaranti" in text or "garanteret" in text
    assert "Nummer 1 af 1" in text


def test_the_letter_task_is_idempotent(django_capture_on_commit_callbacks):
    municipality = koege()
    daycare = make_daycare(municipality, "Solstrålen", leader=False)
    with django_capture_on_commit_callbacks(execute=True):
        signup = sign_up(municipality, [daycare])
    letter = Letter.objects.get(signup=signup)
    stored = letter.pdf.name

    assert services.letter_make(letter_id=letter.pk) is False
    letter.refresh_from_db()
    assert letter.pdf.name == stored
    assert Notification.objects.filter(recipient=signup.parent).count() == 1


def test_a_paper_sign_up_gets_its_letter_for_the_post_and_no_e_mail(
    mailbox, django_capture_on_commit_callbacks
):
    municipality = koege()
    daycare = make_daycare(municipality, "Solstrålen", leader=False)
    from datetime import timedelta

    from tests.admissions.helpers import next_month, today

    with django_capture_on_commit_callbacks(execute=True):
        signup = services.signup_create(
            actor=None,
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

    text = letter_text(Letter.objects.get(signup=signup))
    assert "Hans Jensen" in text and "Torvet 1" in text
    assert not Notification.objects.exists()


# The letterhead and the complaint guidance ------------------------------------------


def _letterhead(municipality) -> Letterhead:
    return Letterhead.objects.create(
        municipality=municipality,
        department="Pladsanvisningen",
        address="Torvet 1\n4600 Køge",
        phone="56 67 67 67",
        email="pladsanvisning@koege.example",
    )


def test_the_offer_and_the_declined_place_carry_the_letterhead_and_the_complaint_guidance(
    django_capture_on_commit_callbacks,
):
    municipality = koege()
    _letterhead(municipality)
    daycare = make_daycare(municipality, "Solstrålen")
    group = with_places(daycare, "Mariehønen")
    with django_capture_on_commit_callbacks(execute=True):
        signup = sign_up(municipality, [daycare], name="Ida")
    with django_capture_on_commit_callbacks(execute=True):
        made = offer(daycare, signup, group)
    with django_capture_on_commit_callbacks(execute=True):
        services.offer_decline(actor=signup.parent, offer=made)

    for kind in (Letter.Kind.OFFER, Letter.Kind.DECLINED):
        text = letter_text(Letter.objects.get(signup=signup, kind=kind))
        for part in ("Køge Kommune", "Pladsanvisningen", "Torvet 1", "4600 Køge"):
            assert part in text
        assert "Telefon 56 67 67 67" in text
        assert "E-mail pladsanvisning@koege.example" in text
        assert "Klagevejledning" in text
        assert "kan I klage til Køge Kommune" in text
        assert "senest 4 uger efter" in text
        assert "dagtilbudslovens § 26, stk. 1" in text
        assert "Folketingets Ombudsmand" in text
    # Confirming a sign-up decides nothing: the letterhead, but no complaint guidance.
    confirmation = letter_text(Letter.objects.get(signup=signup, kind=Letter.Kind.SIGNED_UP))
    assert "Pladsanvisningen" in confirmation
    assert "Klagevejledning" not in confirmation


def test_the_municipalitys_own_guidance_for_places_is_printed(
    django_capture_on_commit_callbacks,
):
    municipality = koege()
    _letterhead(municipality)
    Letterhead.objects.filter(municipality=municipality).update(
        places_complaints="Ring til pladsanvisningen inden 4 uger, hvis I er uenige."
    )
    daycare = make_daycare(municipality, "Solstrålen")
    group = with_places(daycare, "Mariehønen")
    with django_capture_on_commit_callbacks(execute=True):
        signup = sign_up(municipality, [daycare], name="Ida")
    with django_capture_on_commit_callbacks(execute=True):
        offer(daycare, signup, group)

    text = letter_text(Letter.objects.get(signup=signup, kind=Letter.Kind.OFFER))
    assert "Ring til pladsanvisningen inden 4 uger, hvis I er uenige." in text
    assert "Folketingets Ombudsmand" not in text


def test_no_word_of_the_offer_letter_is_broken_by_a_hyphen(django_capture_on_commit_callbacks):
    municipality = koege()
    letterhead = _letterhead(municipality)
    letterhead.address = "Børne- og Ungeforvaltningens Pladsanvisningskontor\nTorvet 1\n4600 Køge"
    letterhead.save()
    daycare = make_daycare(municipality, "Naturbørnehaveafdelingen Skovbrynsstjernen")
    group = with_places(daycare, "Regnbuefamiliegruppen")
    with django_capture_on_commit_callbacks(execute=True):
        signup = sign_up(municipality, [daycare], name="Ida")
    with django_capture_on_commit_callbacks(execute=True):
        offer(daycare, signup, group)
    letter = Letter.objects.get(signup=signup, kind=Letter.Kind.OFFER)
    html = letter_html(letter)

    pdf = html_to_pdf(html).content

    assert broken_words(pdf, html) == []
    assert "Pladsanvisningskontor" in plain(" ".join(page_texts(pdf)))
