"""Letters to the family: each step's letter and the task that prints it."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from core.notify import notify
from core.views import absolute_url

from ..models import Letter


def letter_make(*, letter_id: int) -> bool:
    """Print the letter (PDF), store it, and send it to the parent with the e-mail.

    Idempotent: a stored letter is kept, and the notification has one key per letter, so
    a retried task tells nobody twice. A paper sign-up's letters are printed and posted
    by the municipality (its page lists them). Returns True if a PDF was made.
    """
    from ..letters import render_letter

    letter = (
        Letter.objects.select_related(
            "signup__municipality", "signup__parent", "offer__institution", "offer__group"
        )
        .filter(pk=letter_id)
        .first()
    )
    if letter is None:
        return False
    made = False
    if not letter.pdf:
        pdf = render_letter(letter)
        letter.pdf.save(letter.filename, ContentFile(pdf), save=False)
        updated = Letter.objects.filter(pk=letter.pk, pdf="").update(
            pdf=letter.pdf.name, made_at=timezone.now()
        )
        if updated:
            made = True
        else:  # another worker stored one a moment ago: keep that one
            letter.pdf.storage.delete(letter.pdf.name)
            letter.refresh_from_db(fields=["pdf", "made_at"])
    signup = letter.signup
    if signup.parent_id:
        notify(
            recipients=[signup.parent],
            kind=f"admissions.{letter.kind}",
            template="admissions/notifications/letter",
            context={"letter": letter, "signup": signup, "offer": letter.offer},
            url=absolute_url(reverse("admissions:signup", args=[signup.pk])),
            key=f"admissions:letter:{letter.pk}",
            object_id=letter.pk,
        )
    return made
