"""Load: fifty people at once against gunicorn, as in production, without a single error.

The suite runs it for LOAD_SECONDS (default 20); `LOAD_SECONDS=60 LOAD_RECORD=1` runs the
full minute and writes the result to bench/results/reliability-load.md.
"""

from __future__ import annotations

import os
import time
from datetime import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

from institutions.models import Membership
from tests.factories import GuardianshipFactory, MembershipFactory

from .http import Load, percentile, session_cookie
from .services import Gunicorn, database_url

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]

USERS = 50
SECONDS = float(os.environ.get("LOAD_SECONDS", "20"))


def test_fifty_people_at_once_get_their_pages_without_errors(world):
    institution = world.institution
    child = world.objects["child"]
    staff = [
        MembershipFactory(institution=institution, role=Membership.Role.STAFF).user
        for _ in range(USERS // 2)
    ]
    guardians = [GuardianshipFactory(child=child).guardian for _ in range(USERS - len(staff))]
    staff_pages = [
        "/",
        reverse("institutions:detail", args=[institution.pk]),
        reverse("institutions:children", args=[institution.pk]),
        reverse("messaging:notifications"),
    ]
    guardian_pages = ["/", reverse("messaging:feed"), reverse("messaging:inbox")]
    people = [(session_cookie(u), staff_pages) for u in staff] + [
        (session_cookie(u), guardian_pages) for u in guardians
    ]
    server = Gunicorn(
        workers=2,
        threads=8,
        DJANGO_SETTINGS_MODULE="portal.settings.test",
        DATABASE_URL=database_url(connection.settings_dict),
    ).start()
    load = Load(server.port, people, timeout=60)
    try:
        load.start()
        time.sleep(SECONDS)
        answers = load.stop()
    finally:
        load.stop()
        server.stop()

    errors = [a for a in answers if a.status != 200]
    seconds = [a.seconds for a in answers]
    result = {
        "people": USERS,
        "seconds": SECONDS,
        "requests": len(answers),
        "errors": len(errors),
        "per_second": round(len(answers) / SECONDS, 1),
        "p50_ms": round(percentile(seconds, 0.5) * 1000),
        "p95_ms": round(percentile(seconds, 0.95) * 1000),
        "max_ms": round(max(seconds) * 1000),
    }
    if os.environ.get("LOAD_RECORD"):
        record(result)
    assert not errors, (result, errors[:3], server.output()[-2000:])
    assert len(answers) >= USERS, result


def record(result: dict) -> None:
    folder = Path(settings.BASE_DIR) / "bench" / "results"
    folder.mkdir(parents=True, exist_ok=True)
    lines = [
        "# Load: fifty people at once against gunicorn",
        "",
        f"Measured {datetime.now():%Y-%m-%d %H:%M} with "
        "`LOAD_SECONDS=60 LOAD_RECORD=1 .venv/bin/pytest tests/faults/test_load.py`:",
        "gunicorn with 2 workers × 8 threads, 25 staff and 25 guardians each asking for",
        "their pages in turn without pause, on a shared 2-core machine.",
        "",
        "| " + " | ".join(result) + " |",
        "|" + "---|" * len(result),
        "| " + " | ".join(str(v) for v in result.values()) + " |",
        "",
    ]
    (folder / "reliability-load.md").write_text("\n".join(lines))
