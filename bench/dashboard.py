"""Benchmark of the compliance dashboard at the size of a large municipality.

    DATABASE_URL=postgres://... .venv/bin/python bench/dashboard.py [daycares]

Makes a throwaway municipality with 400 daycares (groups, ambassadors, a year of monthly
snapshots), measures the dashboard page, the indicator drill-down, the exports and the
nightly snapshot (queries and time, median of 5), and rolls everything back.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

from accounts.models import User  # noqa: E402
from institutions.models import (  # noqa: E402
    Group,
    Institution,
    Membership,
    Municipality,
    MunicipalRole,
)
from portal.dashboard.demo import seed_history  # noqa: E402
from portal.dashboard.snapshots import snapshot_take  # noqa: E402


class Rollback(Exception):
    pass


def build(count: int) -> tuple[Municipality, User]:
    municipality = Municipality.objects.create(name="Benchmark Kommune", code="998")
    districts = ["Nord", "Syd", "Øst", "Vest", "Midt"]
    institutions = Institution.objects.bulk_create(
        Institution(
            municipality=municipality,
            name=f"Dagtilbud {n:03d}",
            kind=["integrated", "nursery", "kindergarten"][n % 3],
            ownership=["municipal", "self_governing"][n % 2],
            district=districts[n % len(districts)],
        )
        for n in range(count)
    )
    Group.objects.bulk_create(
        Group(institution=i, name=f"Stue {g}") for i in institutions for g in range(4)
    )
    people = User.objects.bulk_create(
        User(email=f"bench{n}@example.org", name=f"Ambassadør {n}") for n in range(count)
    )
    Membership.objects.bulk_create(
        Membership(institution=i, user=u, role="ambassador")
        for n, (i, u) in enumerate(zip(institutions, people, strict=True))
        if n % 2 == 0
    )
    admin = User.objects.create(email="bench-admin@example.org", name="Bench Admin")
    # A consultant: no two-factor step in the way of the test client.
    MunicipalRole.objects.create(user=admin, municipality=municipality, role="consultant")
    return municipality, admin


def measure(label: str, call, runs: int = 5) -> None:
    response = call()  # warm
    status = getattr(response, "status_code", 200)
    assert status == 200, f"{label}: {status}"
    times, counts = [], []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            call()
            times.append((time.perf_counter() - start) * 1000)
        counts.append(len(queries.captured_queries))
    print(f"{label:<42} {statistics.median(times):8.1f} ms  {max(counts):3d} queries")


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 400
    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    try:
        with transaction.atomic():
            municipality, admin = build(count)
            seed_history([municipality])
            client = Client()
            client.force_login(admin)
            dashboard = reverse("indicators:municipality", args=[municipality.pk])
            print(f"{count} daycares, {municipality.indicator_snapshots.count()} snapshots")
            measure("dashboard page", lambda: client.get(dashboard))
            measure(
                "dashboard page, filtered and sorted",
                lambda: client.get(dashboard + "?district=Nord&sort=institutions.ambassador_named"),
            )
            measure(
                "indicator drill-down",
                lambda: client.get(
                    reverse("indicators:indicator", args=[municipality.pk, "goals.local_goal"])
                ),
            )
            measure(
                "export CSV",
                lambda: client.get(reverse("indicators:export_csv", args=[municipality.pk])),
            )
            measure(
                "export XLSX",
                lambda: client.get(reverse("indicators:export_xlsx", args=[municipality.pk])),
                runs=3,
            )
            measure("nightly snapshot", lambda: snapshot_take(municipality=municipality), runs=3)
            raise Rollback
    except Rollback:
        pass


if __name__ == "__main__":
    main()
