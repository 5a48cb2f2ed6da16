"""Publish what the outbox holds: tasks that did not reach the broker when committed."""

from __future__ import annotations

import logging
from datetime import timedelta
from functools import partial

from celery import current_app
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .models import OutboxMessage

logger = logging.getLogger("portal")

# A row younger than this is still being published by the process that wrote it.
GRACE = timedelta(seconds=30)
BATCH = 500


def publish(message: OutboxMessage) -> None:
    """Hand one task to the broker, once, without Celery's own retries (the outbox retries)."""
    app = current_app
    # The request id of the request that queued it, also when the relay sends it later.
    headers = {"request_id": message.request_id} if message.request_id else {}
    task = app.tasks.get(message.task)
    if task is not None:
        task.apply_async(args=message.args, kwargs=message.kwargs, retry=False, headers=headers)
    else:
        app.send_task(
            message.task, args=message.args, kwargs=message.kwargs, retry=False, headers=headers
        )


def relay(*, grace: timedelta = GRACE, limit: int = BATCH) -> int:
    """Publish waiting tasks, oldest first; returns how many reached the broker.

    Stops at the first failure (the broker is still down): the rest stay for next time.
    Rows are locked while published, so two relays never publish the same row at once.
    """
    sent = 0
    cutoff = timezone.now() - grace
    with transaction.atomic():
        waiting = list(
            OutboxMessage.objects.select_for_update(skip_locked=True)
            # A row with a failed attempt is no longer anyone's to publish.
            .filter(Q(created_at__lte=cutoff) | Q(attempts__gt=0))
            .order_by("id")[:limit]
        )
        done = []
        for message in waiting:
            try:
                publish(message)
            except Exception as exc:
                logger.warning("Outbox: the broker refused %s: %s", message, exc)
                OutboxMessage.objects.filter(pk=message.pk).update(
                    attempts=message.attempts + 1, last_error=str(exc)[:300]
                )
                break
            done.append(message.pk)
            sent += 1
        OutboxMessage.objects.filter(pk__in=done).delete()
    if sent:
        logger.info("Outbox: %d waiting task(s) published.", sent)
    return sent


def waiting_count() -> int:
    return OutboxMessage.objects.count()


# What core.queue.enqueue hands over (see OutboxConfig.ready): the task is written in the
# caller's transaction and published after commit.
_broker_was_down = False


def store(task: str, args: list, kwargs: dict) -> None:
    """Write the task to the outbox in the current transaction; publish it after commit."""
    message = OutboxMessage.objects.create(task=task, args=args, kwargs=kwargs)
    transaction.on_commit(partial(publish_committed, message))


def publish_committed(message: OutboxMessage) -> None:
    """After commit: hand the task to the broker, or leave it in the outbox for the relay."""
    global _broker_was_down
    try:
        publish(message)
    except Exception as exc:
        _broker_was_down = True
        logger.warning("Broker unreachable; %s stays in the outbox: %s", message, exc)
        try:
            OutboxMessage.objects.filter(pk=message.pk).update(
                attempts=1, last_error=str(exc)[:300]
            )
        except Exception:
            logger.exception("Could not record the failed publication of %s", message)
        return
    try:
        OutboxMessage.objects.filter(pk=message.pk).delete()
        if _broker_was_down:
            # The broker is back: send what waited while it was away.
            _broker_was_down = False
            relay()
    except Exception:
        # Published but not crossed off: the relay publishes it again, and tasks are
        # idempotent, so at worst it runs twice and does its work once.
        logger.exception("Could not remove %s from the outbox", message)
