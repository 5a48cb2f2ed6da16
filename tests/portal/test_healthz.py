"""GET /healthz: 200 when PostgreSQL and Redis answer, 503 naming what is down."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.urls import reverse

from tests.smtp import free_port

pytestmark = pytest.mark.django_db

HEALTHZ = reverse("healthz")


def test_all_is_well_when_the_database_and_redis_answer(client, settings):
    settings.REDIS_URL = settings.TEST_REDIS_URL

    response = client.get(HEALTHZ)

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "redis": "ok"}}
    assert "no-cache" in response["Cache-Control"]


def test_redis_not_answering_is_a_503_that_names_redis(client, settings):
    settings.REDIS_URL = f"redis://127.0.0.1:{free_port()}/0"

    response = client.get(HEALTHZ)

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "down"
    assert body["down"] == ["redis"]
    assert body["checks"]["database"] == "ok"


def test_without_redis_configured_the_check_says_tasks_run_inline(client, settings):
    settings.REDIS_URL = ""

    response = client.get(HEALTHZ)

    assert response.status_code == 200
    assert "inline" in response.json()["checks"]["redis"]


def test_the_health_check_needs_no_login(client):
    assert client.get(HEALTHZ).status_code == 200


PROBE = """
import json
import django
django.setup()
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
response = Client().get("/healthz")
print(json.dumps({"status": response.status_code, "body": response.json()}))
"""


def test_a_database_that_does_not_answer_is_a_503_that_names_the_database():
    # A real server process whose DATABASE_URL points at a port where nothing listens.
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.test",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{free_port()}/portal",
    }
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert answer["status"] == 503
    assert answer["body"]["down"] == ["database"]
    assert answer["body"]["checks"]["database"] == "down"
