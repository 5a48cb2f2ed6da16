"""Queue Celery tasks only after the surrounding transaction commits, through an outbox.

A task queued inside a transaction that later rolls back would act on rows that never
existed; one queued before commit could run before its rows are visible. And a task
must not be lost when Redis is down: the outbox (outbox/, which hands itself in here with
`use_outbox` when it starts) writes the task in the same transaction, publishes it after
commit, and deletes the row once the broker has it. If the broker does not answer, the
request goes on and the row waits for the relay (see outbox/relay.py).

Tasks are named by their Celery name ("grants.send_decision"): a service asks for work
without importing the module that does it, so tasks may call services freely.

Without a broker (development without REDIS_URL) tasks run inline, in the process that
queued them. A long task a person waits for in the browser, such as a PDF report, is
marked `inline_in_background=True` on its decorator: inline, it runs on a background
thread after the commit, one at a time, so the request that asked for it answers at once
and the page can show its progress, as it does with a worker
(settings.TASKS_INLINE_IN_BACKGROUND; off in tests, which run tasks in the request).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Executor, ThreadPoolExecutor
from functools import partial

from celery import Task, current_app
from django.conf import settings
from django.db import connections, transaction

logger = logging.getLogger("portal")
_told_inline = False
# Writes (task name, args, kwargs) to the outbox in the current transaction.
Store = Callable[[str, list, dict], None]
_store: Store | None = None
_background: Executor | None = None
_background_lock = threading.Lock()


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
    task = app.tasks[name]
    if getattr(task, "inline_in_background", False) and settings.TASKS_INLINE_IN_BACKGROUND:
        _background_executor().submit(_run_in_background, task, args, kwargs)
        return
    task.apply_async(args=args, kwargs=kwargs)


def _background_executor() -> Executor:
    """One thread, like a worker with one process: long tasks queue behind each other
    rather than take every core from the pages."""
    global _background
    with _background_lock:
        if _background is None:
            _background = ThreadPoolExecutor(max_workers=1, thread_name_prefix="inline-task")
        return _background


def _run_in_background(task: Task, args: tuple, kwargs: dict) -> None:
    try:
        task.apply_async(args=args, kwargs=kwargs)
    except Exception:
        # The task records its own failure where the person sees it (a report's state).
        logger.exception("Background task %s failed.", task.name)
    finally:
        # The thread outlives the request: give back its database connection now.
        connections.close_all()
