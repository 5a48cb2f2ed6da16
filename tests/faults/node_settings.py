"""Settings of one node of several started by a fault test (a gunicorn or a Celery
worker, see test_many_nodes.py): a worker's settings plus production's cache, so every
node shares one Redis for cache and broker, one PostgreSQL (the test database) and one
media folder (standing in for S3)."""

from tests.faults.worker_settings import *  # noqa: F403
from tests.faults.worker_settings import CACHES, REDIS_URL

CACHES = {
    **CACHES,
    "default": {
        "BACKEND": "core.cache.ResilientRedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "portal",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
    },
}
