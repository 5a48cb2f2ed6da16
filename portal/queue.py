"""Queue Celery tasks only after the surrounding transaction commits, through an outbox.

A task queued inside a transaction that later rolls back would act on rows that never
existed; one queued before commit could run before its rows are visible. And a task
must not be lost when Redis is down: `enqueue` writes it to the outbox table in the same
transaction, publishes it after commit, and deletes the row once the broker has it. If
the broker does not answer, the request goes on and the row waits for the relay (see
outbox/relay.py), which runs every minute and when the broker answers again.
"""

from __future__ import annotations

import logging
from functools import partial

from celery import Task
from django.conf import settings
from django.db import transaction

logger = logging.getLogger("portal")
_told_inline = False
_broker_was_down = False


def enqueue(task: Task, *args, **kwargs) -> None:
    """Send `task` with JSON-serialisable arguments once the transaction commits."""
    global _told_inline
    if task.app.conf.task_always_eager:
        # Tasks run inline, in this process: there is no broker to miss.
        if not settings.REDIS_URL and not _told_inline:
            # Development without Redis: say so once, the first time it matters.
            _told_inline = True
            logger.warning("REDIS_URL is not set: background tasks run inline, in this process.")
        transaction.on_commit(partial(task.apply_async, args=args, kwargs=kwargs))
        return
    from outbox.models import OutboxMessage

    message = OutboxMessage.objects.create(task=task.name, args=list(args), kwargs=kwargs)
    transaction.on_commit(partial(_publish, message))


def _publish(message) -> None:
    """After commit: hand the task to the broker, or leave it in the outbox for the relay."""
    global _broker_was_down
    from outbox.models import OutboxMessage
    from outbox.relay import publish, relay

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
