"""The invitation e-mail: the one mail sent to someone without an account yet."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from .models import Invitation


def invitation_email_send(*, invitation_id: int, connection=None) -> bool:
    """Send the invitation's e-mail, unless it was accepted or withdrawn; `connection`
    sends several over one SMTP connection."""
    invitation = (
        Invitation.objects.select_related("municipality", "institution", "child", "invited_by")
        .filter(pk=invitation_id, accepted_at=None, revoked_at=None)
        .first()
    )
    if invitation is None:
        return False
    context = {
        "invitation": invitation,
        "url": settings.PORTAL_BASE_URL.rstrip("/")
        + reverse("institutions:invitation_accept", args=[invitation.token]),
        "place": invitation.institution or invitation.municipality,
    }
    with translation.override(invitation.language):
        subject = " ".join(
            render_to_string("institutions/email/invitation_subject.txt", context).split()
        )
        text = render_to_string("institutions/email/invitation.txt", context)
        html = render_to_string("institutions/email/invitation.html", context)
    message = EmailMultiAlternatives(
        subject=subject, body=text, to=[invitation.email], connection=connection
    )
    message.attach_alternative(html, "text/html")
    message.send()
    Invitation.objects.filter(pk=invitation.pk).update(sent_at=timezone.now())
    return True
