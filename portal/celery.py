"""The Celery application.

Tasks are found in each app's tasks.py, carry explicit names, take ids and primitives
(JSON only), and are queued through `core.queue.enqueue`, which waits for the current
transaction to commit. Without REDIS_URL the settings make tasks run inline.
"""

from __future__ import annotations

import importlib
import os

from celery import Celery
from celery.signals import worker_process_init
from django.conf import settings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.development")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.update(
    task_serializer="json",
    result_serializer="json",
    accept_content=["json"],
    task_ignore_result=True,
    # A task that overruns is stopped; the soft limit lets it clean up first.
    task_soft_time_limit=240,
    task_time_limit=300,
    # Only idempotent tasks set acks_late=True; a lost worker then hands them back.
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,
    broker_connection_retry_on_startup=True,
    # A task whose worker died unacknowledged is handed out again after this long.
    # (Settings may override these, e.g. tests that kill a worker and wait for the retry.)
    broker_transport_options={
        "visibility_timeout": 3600,
        "socket_connect_timeout": 2,
        **getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {}),
    },
    # Redis down: publishing fails fast and the task waits in the outbox (core/queue.py).
    broker_connection_timeout=2,
    timezone="Europe/Copenhagen",
    # Beat reports each tick (core/health.py) for /readyz and its container health check.
    beat_scheduler="core.health:HeartbeatScheduler",
    # The project's log format (core/observability.py) in workers too: JSON with the request
    # id, user and task on every line.
    worker_hijack_root_logger=False,
    enable_utc=True,
)

# Periodic work, defined in code so every deployment runs the same schedule. Each app
# lists its own in `<app>/schedule.py` as SCHEDULE = {"<task name>": {...}}.
app.conf.beat_schedule = {}
for _app_name in settings.INSTALLED_APPS:
    try:
        _module = importlib.import_module(f"{_app_name}.schedule")
    except ModuleNotFoundError as _exc:
        if _exc.name != f"{_app_name}.schedule":
            raise
        continue
    app.conf.beat_schedule.update(_module.SCHEDULE)

app.autodiscover_tasks()


@worker_process_init.connect(weak=False)
def _trace_worker_process(**kwargs):
    # Each forked worker process starts its own exporter (its thread does not survive fork).
    if settings.OTEL_ENABLED:
        from core.observability import setup_tracing

        setup_tracing("dagtilbudsportalen-worker")
