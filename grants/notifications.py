"""The decision letter attached to the decision e-mail (see messaging/attachments.py).

The notification's key names the application ("grants-decision-12"); the letter is the
PDF stored when the decision was made, so the e-mail carries the same letter the daycare
downloads from the portal.
"""

from __future__ import annotations

import re

from messaging.attachments import Attachment, attachment_provider

from .models import Application

_KEY = re.compile(r"^grants-decision-(\d+)$")


@attachment_provider("grants.decision")
def decision_letter(notification) -> list[Attachment]:
    match = _KEY.match(notification.key)
    if match is None:
        return []
    application = Application.objects.filter(pk=int(match.group(1))).first()
    if application is None or not application.decision_letter:
        return []
    with application.decision_letter.open("rb") as letter:
        content = letter.read()
    return [Attachment(f"afgoerelse-{application.pk}.pdf", content, "application/pdf")]
