"""Queue Celery tasks only after the surrounding transaction commits.

A task queued inside a transaction that later rolls back would act on rows that never
existed; one queued before commit could run before its rows are visible.
"""

from __future__ import annotations

from functools import partial

from celery import Task
from django.db import transaction


def enqueue(task: Task, *args, **kwargs) -> None:
    """Send `task` with JSON-serialisable arguments once the transaction commits."""
    transaction.on_commit(partial(task.apply_async, args=args, kwargs=kwargs))
