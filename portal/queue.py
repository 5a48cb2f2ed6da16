"""Queue Celery tasks only after the surrounding transaction commits.

A task queued inside a transaction that later rolls back would act on rows that never
existed; one queued before commit could run before its rows are visible.
"""

from __future__ import annotations

import logging
from functools import partial

from celery import Task
from django.conf import settings
from django.db import transaction

logger = logging.getLogger("portal")
_told_inline = False


def enqueue(task: Task, *args, **kwargs) -> None:
    """Send `task` with JSON-serialisable arguments once the transaction commits."""
    global _told_inline
    if not settings.REDIS_URL and settings.CELERY_TASK_ALWAYS_EAGER and not _told_inline:
        # Development without Redis: say so once, the first time it matters.
        _told_inline = True
        logger.warning("REDIS_URL is not set: background tasks run inline, in this process.")
    transaction.on_commit(partial(task.apply_async, args=args, kwargs=kwargs))
