"""A Redis cache that keeps the portal answering while Redis is down.

Redis holds only what can be rebuilt (cached sessions sit in PostgreSQL too, counters
for login throttling). When it does not answer, a read is a miss and a write is skipped,
so pages keep working from PostgreSQL; a warning is logged at most once a minute.
"""

from __future__ import annotations

import logging
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger("portal")
DOWN = (RedisConnectionError, RedisTimeoutError)
_last_warning = 0.0


def _warn(exc: Exception) -> None:
    global _last_warning
    now = time.monotonic()
    if now - _last_warning > 60:
        _last_warning = now
        logger.warning("Redis cache unreachable, carrying on without it: %s", exc)


def _miss(default):
    def wrap(method):
        def guarded(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except DOWN as exc:
                _warn(exc)
                return default() if callable(default) else default

        guarded.__name__ = method.__name__
        return guarded

    return wrap


class ResilientRedisCacheClient(RedisCacheClient):
    add = _miss(False)(RedisCacheClient.add)
    set = _miss(None)(RedisCacheClient.set)
    touch = _miss(False)(RedisCacheClient.touch)
    delete = _miss(False)(RedisCacheClient.delete)
    get_many = _miss(dict)(RedisCacheClient.get_many)
    has_key = _miss(False)(RedisCacheClient.has_key)
    set_many = _miss(list)(RedisCacheClient.set_many)
    delete_many = _miss(None)(RedisCacheClient.delete_many)
    clear = _miss(False)(RedisCacheClient.clear)

    def get(self, key, default):
        try:
            return super().get(key, default)
        except DOWN as exc:
            _warn(exc)
            return default

    def incr(self, key, delta):
        try:
            return super().incr(key, delta)
        except DOWN as exc:
            _warn(exc)
            # Django's incr() raises ValueError for a missing key; so does this.
            raise ValueError(f"Key {key!r} not found (Redis down).") from exc


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ResilientRedisCacheClient
