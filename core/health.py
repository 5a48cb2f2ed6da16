"""Heartbeats of the background parts, kept in Redis, for the readiness check (/readyz)
and the health checks of the worker and beat containers (`manage.py health`).

- Each Celery worker writes `portal:heartbeat:worker:<hostname>` every WORKER_EVERY
  seconds from a thread of its main process, started when the worker is ready.
- Beat writes `portal:heartbeat:beat` at each tick of its scheduler
  (`HeartbeatScheduler`, set as Celery's beat scheduler), at least every 30 seconds.
Each key expires by itself, so a stopped part is soon missing, not stale.
"""

from __future__ import annotations

import logging
import threading
import time

from celery.beat import PersistentScheduler
from django.conf import settings

logger = logging.getLogger("portal")

WORKER_EVERY = 15
# A part whose last beat is older than this is not ready.
STALE_AFTER = 90
WORKER_KEY = "portal:heartbeat:worker:"
BEAT_KEY = "portal:heartbeat:beat"


def _redis():
    import redis

    return redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2)


def beat_now(key: str) -> None:
    try:
        _redis().set(key, f"{time.time():.3f}", ex=STALE_AFTER * 2)
    except Exception as exc:  # Redis down: the readiness check says so itself
        logger.warning("Heartbeat %s not written: %s", key, exc)


def last_beats() -> dict[str, float]:
    """Seconds since each part's last heartbeat: {"beat": 3.1, "worker:celery@web1": 9.0}."""
    client = _redis()
    now = time.time()
    result = {}
    keys = [BEAT_KEY, *client.scan_iter(match=f"{WORKER_KEY}*", count=100)]
    for key in keys:
        key = key.decode() if isinstance(key, bytes) else key
        value = client.get(key)
        if value is not None:
            result[key.removeprefix("portal:heartbeat:")] = round(now - float(value), 1)
    return result


def start_worker_heartbeat(hostname: str) -> threading.Thread:
    def run():
        while True:
            beat_now(WORKER_KEY + hostname)
            time.sleep(WORKER_EVERY)

    thread = threading.Thread(target=run, name="portal-heartbeat", daemon=True)
    thread.start()
    return thread


def connect_worker_signals() -> None:
    from celery import signals

    @signals.worker_ready.connect(weak=False)
    def on_ready(sender=None, **kwargs):
        start_worker_heartbeat(sender.hostname)


class HeartbeatScheduler(PersistentScheduler):
    """Celery beat's file-backed scheduler that also reports each tick."""

    _last = 0.0

    def tick(self, *args, **kwargs):
        interval = super().tick(*args, **kwargs)
        if time.monotonic() - self._last >= 10:
            self._last = time.monotonic()
            beat_now(BEAT_KEY)
        return min(interval, 30)
