"""The one entry point every app uses to tell people things.

    notify(recipients=[leader], kind="goals.step_due",
           template="goals/notifications/step_due", context={...}, url=step_url,
           key=f"step-due-{step.pk}-{due:%Y%m%d}")

For each recipient it renders `<template>_subject.txt` and `<template>_body.txt` in that
person's language, stores an in-app notification, and (unless email=False) queues an
e-mail that a Celery task sends after the transaction commits. A `key` makes the call
idempotent: a recipient is told about the same key once only.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from portal.queue import enqueue

from .models import Notification


def _render(template: str, context: dict, language: str) -> tuple[str, str]:
    with translation.override(language):
        subject = render_to_string(f"{template}_subject.txt", context)
        body = render_to_string(f"{template}_body.txt", context)
    # A subject is one line; templates may end with a newline.
    return " ".join(subject.split())[:200], body.strip()


@transaction.atomic
def notify(
    *,
    recipients: Iterable,
    kind: str,
    template: str,
    context: dict | None = None,
    url: str = "",
    key: str = "",
    email: bool = True,
) -> list[Notification]:
    """Tell each recipient; returns the notifications created (none for repeated keys)."""
    context = context or {}
    key = key or f"{kind}-{uuid.uuid4().hex}"
    created: list[Notification] = []
    seen: set[int] = set()
    for recipient in recipients:
        if recipient.pk in seen or not recipient.is_active:
            continue
        seen.add(recipient.pk)
        subject, body = _render(template, {**context, "recipient": recipient}, recipient.language)
        notification, was_created = Notification.objects.get_or_create(
            recipient=recipient,
            key=key,
            defaults={
                "kind": kind,
                "subject": subject,
                "body": body,
                "url": url,
                "send_email": email and bool(recipient.email),
            },
        )
        if was_created:
            created.append(notification)
    if email:
        from .tasks import send_notification_email

        for notification in created:
            if notification.send_email:
                enqueue(send_notification_email, notification.pk)
    return created
