"""The one entry point every app uses to tell people things.

    notify(recipients=[leader], kind="goals.step_due",
           template="goals/notifications/step_due", context={...}, url=step_url,
           key=f"step-due-{step.pk}-{due:%Y%m%d}")

For each recipient it renders `<template>_subject.txt` and `<template>_body.txt` in that
person's language, stores an in-app notification, and (unless email=False) e-mails it as
the person chose for that kind of notification (see EmailPreference): at once, in the
daily digest, or not at all. E-mails are queued after the transaction commits. A `key`
makes the call idempotent: a recipient is told about the same key once only.

`urgent=True` (an important post) e-mails at once even people who chose the digest; it
never overrides "no e-mail". The notifications are written with bulk inserts, so telling
ten thousand guardians costs a handful of queries, not one per person.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Iterable

from django.db import transaction
from django.template.loader import get_template, render_to_string
from django.utils import translation

from portal.queue import enqueue

from .models import EmailPreference, Notification

# Above this many e-mails, one task per batch queues the per-notification tasks, so the
# transaction that notified does not wait for thousands of broker round trips.
DIRECT_QUEUE_LIMIT = 20
QUEUE_BATCH = 500


def category_for(kind: str) -> str:
    """The e-mail setting that governs notifications of `kind`."""
    if kind.startswith("messaging.post"):
        return EmailPreference.Category.POSTS
    if kind.startswith("messaging.message"):
        return EmailPreference.Category.MESSAGES
    return EmailPreference.Category.OTHER


def _render(template: str, context: dict, language: str) -> tuple[str, str]:
    with translation.override(language):
        subject = render_to_string(f"{template}_subject.txt", context)
        body = render_to_string(f"{template}_body.txt", context)
    # A subject is one line; templates may end with a newline.
    return " ".join(subject.split())[:200], body.strip()


@functools.lru_cache(maxsize=256)
def _personal(template: str) -> bool:
    """Whether the notification's text names its recipient (else it is the same for
    everyone who reads one language, and rendered once per language)."""
    return any(
        "recipient" in get_template(f"{template}_{part}.txt").template.source
        for part in ("subject", "body")
    )


def _frequencies(user_ids: list[int], category: str) -> dict[int, str]:
    return dict(
        EmailPreference.objects.filter(user_id__in=user_ids, category=category).values_list(
            "user_id", "frequency"
        )
    )


def queue_emails(notification_ids: list[int]) -> None:
    """Queue the e-mails of these notifications, after the transaction commits."""
    from .tasks import queue_notification_emails, send_notification_email

    if len(notification_ids) <= DIRECT_QUEUE_LIMIT:
        for pk in notification_ids:
            enqueue(send_notification_email, pk)
        return
    for start in range(0, len(notification_ids), QUEUE_BATCH):
        enqueue(queue_notification_emails, notification_ids[start : start + QUEUE_BATCH])


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
    urgent: bool = False,
) -> list[Notification]:
    """Tell each recipient; returns the notifications created (none for repeated keys)."""
    context = context or {}
    key = key or f"{kind}-{uuid.uuid4().hex}"
    people: dict[int, object] = {}
    for recipient in recipients:
        if recipient.is_active and recipient.pk not in people:
            people[recipient.pk] = recipient
    if not people:
        return []
    told = set(
        Notification.objects.filter(key=key, recipient_id__in=list(people)).values_list(
            "recipient_id", flat=True
        )
    )
    new = [person for pk, person in people.items() if pk not in told]
    if not new:
        return []
    frequency = _frequencies([p.pk for p in new], category_for(kind)) if email else {}
    rows = []
    personal = _personal(template)
    rendered: dict[str, tuple[str, str]] = {}
    for person in new:
        if personal or person.language not in rendered:
            texts = _render(template, {**context, "recipient": person}, person.language)
            if not personal:
                rendered[person.language] = texts
        else:
            texts = rendered[person.language]
        subject, body = texts
        chosen = frequency.get(person.pk, EmailPreference.Frequency.IMMEDIATE)
        wanted = email and bool(person.email) and chosen != EmailPreference.Frequency.OFF
        rows.append(
            Notification(
                recipient=person,
                kind=kind,
                subject=subject,
                body=body,
                url=url,
                key=key,
                send_email=wanted,
                email_digest=wanted and chosen == EmailPreference.Frequency.DIGEST and not urgent,
            )
        )
    # A concurrent call with the same key may have told someone meanwhile: skip them.
    Notification.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    created = list(
        Notification.objects.filter(key=key, recipient_id__in=[p.pk for p in new]).order_by("id")
    )
    for notification in created:
        notification.recipient = people[notification.recipient_id]
    if email:
        queue_emails([n.pk for n in created if n.send_email and not n.email_digest])
    return created
