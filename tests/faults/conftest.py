"""Fixtures of the fault tests: private services the tests start, break and mend."""

from __future__ import annotations

import pytest

from portal.celery import app

from .services import RedisServer, forget_broker_connections


@pytest.fixture
def redis_server():
    server = RedisServer().start()
    yield server
    server.remove()


@pytest.fixture
def on_redis(redis_server, settings):
    """The portal as production runs it: Redis as cache and broker (sessions and login
    throttling stay in PostgreSQL, as production's settings keep them)."""
    settings.REDIS_URL = redis_server.url
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": redis_server.url,
            "KEY_PREFIX": "portal",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        },
    }
    saved = {key: app.conf[key] for key in ("broker_url", "task_always_eager")}
    app.conf.update(broker_url=redis_server.url, task_always_eager=False)
    forget_broker_connections()
    yield redis_server
    app.conf.update(saved)
    forget_broker_connections()
