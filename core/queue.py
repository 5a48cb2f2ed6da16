"""Queue Celery tasks only after the surrounding transaction commits, through an outbox.

A task queued inside a transaction that later rolls back would act on rows that never
existed; one queued before commit could run before its rows are visible. And a task
must not be lost when Redis is down: the outbox (outbox/, which hands itself in here with
`use_outbox` when it starts) writes the task in the same transaction, publishes it after
commit, and deletes the row once the broker has it. If the broker does not answer, the
request goes on and the row waits for the relay (see outbox/relay.py).

Tasks are named by their Celery name ("grants.send_decision"): a service asks for work
without importing the module that does it, so tasks may call services freely.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial

from celery import Task, current_app
from django.conf import settings
from django.db import transaction

logger = logging.getLogger("portal")
_told_inline = False
# Writes (task name, args, kwargs) to the outbox in the current transaction.
Store = Callable[[str, list, dict], None]
_store: Store | None = None


def use_outbox(store: Store) -> None:
    """Send every task queued from now on through `store`."""
    global _store
    _store = store


def enqueue(task: str | Task, *args, **kwargs) -> None:
    """Send the task named `task` with JSON-serialisable arguments once the transaction
    commits."""
    global _told_inline
    name = task if isinstance(task, str) else task.name
    app = current_app if isinstance(task, str) else task.app
    if app.conf.task_always_eager:
        # Tasks run inline, in this process: there is no broker to miss.
        if not settings.REDIS_URL and not _told_inline:
            # Development without Redis: say so once, the first time it matters.
            _told_inline = True
            logger.warning("REDIS_URL is not set: background tasks run inline, in this process.")
        transaction.on_commit(partial(_run_inline, app, name, args, kwargs))
        return
    if _store is None:
        transaction.on_commit(partial(app.send_task, name, args=args, kwargs=kwargs))
        return
    _store(name, list(args), kwargs)


def _run_inline(app, name: str, args: tuple, kwargs: dict) -> None:
    if name not in app.tasks:
        # Outside a worker the apps' tasks modules are imported only when asked for.
        app.loader.import_default_modules()
    app.tasks[name].apply_async(args=args, kwargs=kwargs)
