"""The decision letter attached to the decision e-mail (see core/attachments.py).

The notification names the application by its id; the letter is the PDF stored when the
decision was made, so the e-mail carries the same letter the daycare downloads from the
portal.
"""

from __future__ import annotations

from core.attachments import Attachment, attachment_provider

from .models import Application


@attachment_provider("grants.decision")
def decision_letter(application_id: int, notification) -> list[Attachment]:
    application = Application.objects.filter(pk=application_id).first()
    if application is None or not application.decision_letter:
        return []
    with application.decision_letter.open("rb") as letter:
        content = letter.read()
    return [Attachment(f"afgoerelse-{application.pk}.pdf", content, "application/pdf")]
