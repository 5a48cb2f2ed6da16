"""A real Celery worker for tests: tasks go through the outbox to the test Redis, on a
queue of the test's own, and a worker in a thread of this process takes them only when
the test starts it, so a test can look at the portal while a task still waits."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import kombu.pools
import redis
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.conf import settings
from django.db import connections

from portal.celery import app


def _forget_broker_connections() -> None:
    # Eager tasks in earlier tests opened a producer pool on the old broker URL; drop it
    # (what Celery itself does after a fork) so publishing uses the broker set now.
    app._pool = None
    app.amqp._producer_pool = None
    kombu.pools.reset()


def _close_worker_connections(**kwargs) -> None:
    # The worker thread opens its own database connection; close it after each task so
    # the test database can be flushed and dropped.
    connections.close_all()


@contextmanager
def tasks_through_redis() -> Iterator[str]:
    """While open, enqueue() publishes to the test Redis instead of running tasks inline.
    Yields the queue's name; nothing takes from it until `worker(queue)` runs."""
    broker = redis.Redis.from_url(settings.TEST_REDIS_URL)
    broker.flushdb()
    queue = f"test-{uuid.uuid4().hex}"
    keys = ("broker_url", "task_always_eager", "task_default_queue")
    saved = {key: app.conf[key] for key in keys}
    app.conf.update(
        broker_url=settings.TEST_REDIS_URL, task_always_eager=False, task_default_queue=queue
    )
    _forget_broker_connections()
    try:
        yield queue
    finally:
        app.conf.update(saved)
        _forget_broker_connections()
        broker.flushdb()


@contextmanager
def worker(queue: str) -> Iterator[object]:
    """A worker (solo pool, in a thread) taking the tasks of `queue` until closed."""
    task_postrun.connect(_close_worker_connections)
    try:
        with start_worker(app, perform_ping_check=False, pool="solo", queues=[queue]) as w:
            yield w
    finally:
        task_postrun.disconnect(_close_worker_connections)
