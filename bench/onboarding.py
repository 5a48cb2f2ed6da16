"""Benchmark of the onboarding workbook at the size of Denmark's largest municipality.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench_onboarding \\
        .venv/bin/python -m bench onboarding [--scale large|municipality|tiny] [--seed 1]

Migrates the database it is given, makes a throwaway municipality, writes its workbook
(at the large scale about 400 daycares, 2,500 staff, 25,000 children and 46,000 guardian
rows) and times, as the administrator's requests do them:

1. checking the upload: reading every sheet, checking every cell and row, comparing with
   the portal, storing the preview (`workbook_check`);
2. importing it in one transaction (`workbook_import`), apart from
3. queueing the invitations (writing them and the task that sends them).

Then most people accept their invitations (not timed), and the next month's workbook
(renamed daycares, children moved between groups and daycares, newcomers, leavers, staff
who come and go) is checked and imported again: the re-import, whose goal is under a
minute. Everything is rolled back at the end: no e-mail is sent (the sending task is
queued after a commit that never comes).
"""

from __future__ import annotations

import io
import random
import time
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from openpyxl import Workbook

from . import names

SCALES = {
    # daycares, childminding units, homes per unit, staff, children
    "tiny": (4, 1, 4, 20, 120),
    "municipality": (36, 1, 49, 420, 2985),
    "large": (400, 1, 350, 2500, 25_000),
}
GUARDIANS_PER_CHILD = 1.84
ANCHOR = date(2026, 9, 1)


@dataclass
class Rows:
    daycares: list = field(default_factory=list)
    groups: list = field(default_factory=list)
    staff: list = field(default_factory=list)
    children: list = field(default_factory=list)
    guardians: list = field(default_factory=list)


def generate(scale: str, seed: int) -> Rows:
    """The rows of the municipality's first workbook."""
    daycare_count, units, homes, staff_count, child_count = SCALES[scale]
    rng = random.Random(seed)
    rows = Rows()
    kinds = ["integreret", "vuggestue", "børnehave", "integreret"]
    rooms: list[tuple[str, str]] = []
    for n in range(daycare_count):
        key = f"D{1000 + n}"
        name = f"{names.INSTITUTION_NAMES[n % len(names.INSTITUTION_NAMES)]} {n + 1}"
        rows.daycares.append(
            [key, name, kinds[n % 4], "kommunal", f"Skolevej {n + 1}", "4600", "Køge",
             names.DISTRICTS[n % len(names.DISTRICTS)], "", ""]
        )  # fmt: skip
        for r in range(rng.randint(4, 6)):
            room = f"{key}-{r + 1}"
            pool = names.ROOMS_SMALL if r % 2 else names.ROOMS_LARGE
            rows.groups.append([room, key, f"{pool[r % len(pool)]} {r + 1}", "stue"])
            rooms.append((key, room))
    for u in range(units):
        key = f"U{100 + u}"
        rows.daycares.append([key, f"Dagplejen {u + 1}", "dagpleje", "kommunal", "", "", "", "",
                              "", ""])  # fmt: skip
        for h in range(homes):
            home = f"{key}-{h + 1}"
            rows.groups.append([home, key, f"Dagplejehjem {h + 1}", "dagplejehjem"])
            rooms.append((key, home))
    daycare_keys = [row[0] for row in rows.daycares]
    for n in range(staff_count):
        daycare = daycare_keys[n % len(daycare_keys)]
        role = "leder" if n < len(daycare_keys) else rng.choice(["pædagog", "medhjælper"])
        if daycare.startswith("U") and n >= len(daycare_keys):
            role = "dagplejer"
        first, last = rng.choice(names.ADULT_FIRST), rng.choice(names.SURNAMES)
        rows.staff.append(
            [f"M{n}", f"{first} {last}", f"m{n}.{seed}@medarbejder.example", role, daycare]
        )
    guardian = 0
    previous: list[str] = []
    for n in range(child_count):
        daycare, group = rooms[n % len(rooms)]
        born = ANCHOR - timedelta(days=rng.randint(200, 5 * 365))
        first, last = rng.choice(names.CHILD_FIRST), rng.choice(names.SURNAMES)
        key = f"B{n}"
        rows.children.append([key, first, last, born, daycare, group, born + timedelta(days=330)])
        if previous and rng.random() < 0.05:
            parents = previous  # a sibling: the same guardians
        else:
            count = 2 if rng.random() < GUARDIANS_PER_CHILD - 1 else 1
            parents = [f"F{guardian + i}" for i in range(count)]
            guardian += count
        for parent in parents:
            rows.guardians.append(
                [parent, f"Forælder {parent}", f"{parent.lower()}.{seed}@familie.example", key]
            )
        previous = parents
    return rows


def next_month(rows: Rows, seed: int) -> Rows:
    """A month later: some daycares renamed, children moved between groups and to other
    daycares, the oldest leave for school, newcomers (some siblings of children there),
    staff who leave and staff who start."""
    rng = random.Random(seed + 1)
    month = Rows(
        daycares=[list(r) for r in rows.daycares],
        groups=[list(r) for r in rows.groups],
        staff=[list(r) for r in rows.staff],
        children=[list(r) for r in rows.children],
        guardians=[list(r) for r in rows.guardians],
    )
    for row in rng.sample(month.daycares, max(1, len(month.daycares) // 40)):
        row[1] = f"{row[1]} (ny)"
    groups_of: dict[str, list[str]] = {}
    for group in month.groups:
        groups_of.setdefault(group[1], []).append(group[0])
    children = month.children
    leaving = set(rng.sample(range(len(children)), len(children) // 25))
    moving = rng.sample([i for i in range(len(children)) if i not in leaving], len(children) // 50)
    for i in moving[: len(moving) // 2]:
        row = children[i]
        row[5] = rng.choice(groups_of[row[4]])
    daycares = [r[0] for r in month.daycares if not r[0].startswith("U")]
    for i in moving[len(moving) // 2 :]:
        row = children[i]
        row[4] = rng.choice(daycares)
        row[5] = groups_of[row[4]][0]
    left_keys = {children[i][0] for i in leaving}
    month.children = [r for r in children if r[0] not in left_keys]
    month.guardians = [r for r in month.guardians if r[3] not in left_keys]
    known = list(month.guardians)
    for n in range(len(children) // 25):
        key = f"N{n}"
        daycare = rng.choice(daycares)
        born = ANCHOR - timedelta(days=rng.randint(200, 400))
        month.children.append(
            [key, rng.choice(names.CHILD_FIRST), "Ny", born, daycare, groups_of[daycare][0], None]
        )
        if rng.random() < 0.2:  # a younger sibling: guardians the portal knows
            parent = rng.choice(known)
            month.guardians.append([parent[0], parent[1], parent[2], key])
        else:
            for p in range(2):
                month.guardians.append(
                    [f"NF{n}-{p}", f"Ny forælder {n}", f"nf{n}-{p}.{seed}@familie.example", key]
                )
    gone = set(rng.sample(range(len(month.staff)), len(month.staff) // 25))
    month.staff = [r for i, r in enumerate(month.staff) if i not in gone or r[3] == "leder"]
    for n in range(len(rows.staff) // 25):
        month.staff.append(
            [f"NM{n}", f"Ny medarbejder {n}", f"nm{n}.{seed}@medarbejder.example", "pædagog",
             rng.choice(daycares)]
        )  # fmt: skip
    return month


def workbook_bytes(municipality, rows: Rows) -> bytes:
    """The workbook as a municipality's system writes it (openpyxl, write-only)."""
    from institutions.onboarding.sheets import SHEETS

    book = Workbook(write_only=True)
    data = {
        "Kommune": [[municipality.code, municipality.name]],
        "Dagtilbud": rows.daycares,
        "Grupper": rows.groups,
        "Medarbejdere": rows.staff,
        "Børn": rows.children,
        "Forældre": rows.guardians,
    }
    for sheet in SHEETS:
        ws = book.create_sheet(sheet.name)
        ws.append([c.title for c in sheet.columns])
        for row in data[sheet.name]:
            ws.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _accept_most(municipality, share: float, seed: int) -> int:
    """Most people accept their invitation (bulk, as if over the weeks after): accounts,
    roles and custody with the ids the invitations carried."""
    from accounts.models import User
    from institutions.models import Guardianship, Invitation, Membership

    rng = random.Random(seed + 2)
    pending = list(
        Invitation.objects.filter(municipality=municipality, accepted_at=None).order_by("pk")
    )
    chosen = [i for i in pending if rng.random() < share]
    emails = sorted({i.email for i in chosen})
    User.objects.bulk_create(
        [User(email=e, name=e.split("@")[0]) for e in emails],
        batch_size=2000,
        ignore_conflicts=True,
    )
    users = dict(User.objects.filter(email__in=emails).values_list("email", "pk"))
    Membership.objects.bulk_create(
        [
            Membership(
                user_id=users[i.email],
                institution_id=i.institution_id,
                role=i.role,
                external_key=i.external_key,
            )
            for i in chosen
            if i.institution_id
        ],
        batch_size=2000,
    )
    Guardianship.objects.bulk_create(
        [
            Guardianship(
                child_id=i.child_id, guardian_id=users[i.email], external_key=i.external_key
            )
            for i in chosen
            if i.child_id
        ],
        batch_size=2000,
    )
    now = timezone.now()
    Invitation.objects.filter(pk__in=[i.pk for i in chosen]).update(accepted_at=now)
    return len(chosen)


class _Rollback(Exception):
    pass


def run(scale: str = "large", seed: int = 1, out=print) -> dict:
    """Time the onboarding at `scale`; returns the figures (seconds) and counts."""
    from django.test import RequestFactory

    from institutions.models import Municipality, MunicipalRole
    from institutions.onboarding import services
    from institutions.onboarding.views import log_written

    figures: dict = {}
    start = time.perf_counter()
    first = generate(scale, seed)
    month = next_month(first, seed)
    figures["counts"] = {
        "daycares": len(first.daycares),
        "groups": len(first.groups),
        "staff": len(first.staff),
        "children": len(first.children),
        "guardian rows": len(first.guardians),
    }
    out(f"Rows generated in {time.perf_counter() - start:.1f} s: {figures['counts']}")
    try:
        with transaction.atomic():
            from accounts.models import User

            municipality = Municipality.objects.create(name="Benchmark Kommune", code="997")
            admin = User.objects.create(email="bench-onboarding@example.org", name="Admin")
            MunicipalRole.objects.create(
                user=admin, municipality=municipality, role="administrator"
            )
            request = RequestFactory().post("/")
            request.user = admin
            for label, rows in (("first", first), ("next month", month)):
                data = workbook_bytes(municipality, rows)
                out(f"{label}: workbook of {len(data) / 1e6:.1f} MB")
                upload = SimpleUploadedFile("kommunen.xlsx", data)
                t0 = time.perf_counter()
                checked = services.workbook_check(
                    actor=admin, municipality=municipality, upload=upload
                )
                t1 = time.perf_counter()
                written = services.workbook_import(actor=admin, workbook=checked)
                logged = time.perf_counter()
                log_written(request, municipality, written)  # as the page does
                t2 = time.perf_counter()
                checked.refresh_from_db()
                figures[label] = {
                    "check": round(t1 - t0, 1),
                    "check_read": checked.timings.get("read"),
                    "check_compare": checked.timings.get("compare"),
                    "import": checked.timings["import"],
                    "queue": checked.timings["queue"],
                    "log": round(t2 - logged, 1),
                    "import_and_queue": round(logged - t1, 1),
                    "total": round(t2 - t0, 1),
                    "invitations": checked.invitations_total,
                    "summary": checked.summary,
                }
                out(
                    f"{label}: check {t1 - t0:.1f} s (read {checked.timings.get('read')} s, "
                    f"compare {checked.timings.get('compare')} s), import "
                    f"{checked.timings['import']} s, queue {checked.timings['queue']} s "
                    f"({checked.invitations_total:,} invitations), log of the children "
                    f"{t2 - logged:.1f} s; total {t2 - t0:.1f} s"
                )
                if label == "first":
                    accepted = _accept_most(municipality, 0.8, seed)
                    out(f"(then {accepted:,} of the invitations were accepted)")
            raise _Rollback
    except _Rollback:
        pass
    return figures


def main(args) -> int:
    import django

    django.setup()
    call_command("migrate", verbosity=0)
    figures = run(args.scale, args.seed)
    s = figures["next month"]["summary"]
    print(
        "Re-import changes: "
        f"{s['children']['moved']} moved group, {s['children']['transferred']} moved daycare, "
        f"{s['children']['new']} new, {s['children']['left']} left; staff "
        f"{s['staff']['removed']} left, {s['invitations']['total']} invited."
    )
    return 0
