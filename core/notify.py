"""The one entry point every app uses to tell people things.

    notify(recipients=[leader], kind="goals.step_due",
           template="goals/notifications/step_due", context={...}, url=step_url,
           key=f"step-due-{step.pk}-{due:%Y%m%d}")

For each recipient it renders `<template>_subject.txt` and `<template>_body.txt` in that
person's language, stores an in-app notification, and (unless email=False) e-mails it as
the person chose for that kind of notification (see EmailPreference): at once, in the
daily digest, or not at all. E-mails are queued after the transaction commits. A `key`
makes the call idempotent: a recipient is told about the same key once only. `object_id`
names the object the notification is about, for the kinds that attach a file made from
it to the e-mail (see core/attachments.py).

`urgent=True` (an important post) e-mails at once even people who chose the digest; it
never overrides "no e-mail". The notifications are written with bulk inserts, so telling
ten thousand guardians costs a handful of queries, not one per person.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Iterable

from django.db import connection, transaction
from django.template.loader import get_template, render_to_string
from django.utils import timezone, translation

from core.queue import enqueue

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
    if len(notification_ids) <= DIRECT_QUEUE_LIMIT:
        for pk in notification_ids:
            enqueue("messaging.send_notification_email", pk)
        return
    for start in range(0, len(notification_ids), QUEUE_BATCH):
        enqueue(
            "messaging.queue_notification_emails", notification_ids[start : start + QUEUE_BATCH]
        )


def _already_told(key: str, recipient_ids: list[int]) -> set[int]:
    # An array parameter, not IN (%s, %s, ...): ten thousand placeholders cost more to
    # bind than the query costs to run.
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT recipient_id FROM {Notification._meta.db_table} "  # noqa: S608
            "WHERE key = %s AND recipient_id = ANY(%s::bigint[])",
            [key, recipient_ids],
        )
        return {row[0] for row in cursor.fetchall()}


INSERT_BATCH = 5000


def _insert(rows: list[Notification]) -> list[Notification]:
    """Insert the notifications, a statement per INSERT_BATCH, without Django compiling a
    row at a time. A concurrent call with the same key may have told someone meanwhile:
    they are skipped (the unique key), and only the rows inserted here are returned,
    with their ids, in order."""
    now = timezone.now()
    table = Notification._meta.db_table
    created = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), INSERT_BATCH):
            batch = rows[start : start + INSERT_BATCH]
            first = batch[0]
            cursor.execute(
                f"INSERT INTO {table} (recipient_id, kind, subject, body, url, key, object_id, "  # noqa: S608
                "created_at, send_email, email_digest, email_error, email_attempts) "
                "SELECT r, %s, s, b, %s, %s, %s, %s, w, d, '', 0 FROM unnest(%s::bigint[], "
                "%s::text[], %s::text[], %s::boolean[], %s::boolean[]) AS t(r, s, b, w, d) "
                "ORDER BY r ON CONFLICT DO NOTHING RETURNING id, recipient_id",
                [
                    first.kind,
                    first.url,
                    first.key,
                    first.object_id,
                    now,
                    [n.recipient_id for n in batch],
                    [n.subject for n in batch],
                    [n.body for n in batch],
                    [n.send_email for n in batch],
                    [n.email_digest for n in batch],
                ],
            )
            ids = {recipient: pk for pk, recipient in cursor.fetchall()}
            for notification in batch:
                pk = ids.get(notification.recipient_id)
                if pk is not None:
                    notification.pk = pk
                    notification.created_at = now
                    notification._state.adding = False
                    notification._state.db = connection.alias
                    created.append(notification)
    created.sort(key=lambda n: n.pk)
    return created


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
    object_id: int | None = None,
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
    told = _already_told(key, list(people))
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
                object_id=object_id,
                send_email=wanted,
                email_digest=wanted and chosen == EmailPreference.Frequency.DIGEST and not urgent,
            )
        )
    created = _insert(rows)
    if email:
        queue_emails([n.pk for n in created if n.send_email and not n.email_digest])
    return created
