"""Deterministic data at benchmark scale, loaded with COPY.

    .venv/bin/python manage.py bench_generate --scale national --seed 1

Scales (see SCALES): *municipality* (Køge-like: 36 daycares and 49 childminder homes),
*large* (one municipality of 400 daycares and 25,000 children) and *national* (98
municipalities, about 4,500 daycares, 30,000 groups and homes, 300,000 children and
550,000 guardians). *tiny* is for the test that keeps the generator honest.

Everything comes from one `random.Random(seed)` walked in a fixed order, and the rows
made in SQL (feed deliveries, notifications) take their randomness from
`hashtextextended(..., seed)`, so a seed gives the same database every time. Dates are
relative to ANCHOR, a fixed day, not to the day the generator runs.

Rows are written with COPY (bench/loader.py); ids are handed out here, from the table's
highest id on, so references need no round trip. Foreign-key triggers are switched off
while loading (session_replication_role = replica): the rows are made consistent by
construction, and the test checks them against the application's own queries.
"""

from __future__ import annotations

import random
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction

from core.curriculum import Theme
from core.indicators import indicators_changed

from . import names
from .loader import copy_m2m, copy_model
from .scales import SCALES, Scale

ANCHOR = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
ANCHOR_DAY = ANCHOR.date()
BENCH_PASSWORD = "Bench-portal-2026"  # noqa: S105 (generated test users only)
EMAIL_DOMAIN = "bench.example"
# Days the municipality hands no suitcase over and takes none back.
SUITCASE_CLOSURES = [
    (date(ANCHOR_DAY.year - 1, 12, 23), date(ANCHOR_DAY.year, 1, 1), "Jul og nytår"),
    (date(ANCHOR_DAY.year, 7, 6), date(ANCHOR_DAY.year, 7, 24), "Sommerferie"),
    (date(ANCHOR_DAY.year, 12, 23), date(ANCHOR_DAY.year + 1, 1, 1), "Jul og nytår"),
]


def split(total: int, weights: list[float], minimum: int = 0) -> list[int]:
    """Split `total` in proportion to `weights` (at least `minimum` each), adding up
    exactly (largest remainder)."""
    base = minimum * len(weights)
    rest = max(total - base, 0)
    whole = sum(weights) or 1
    raw = [rest * w / whole for w in weights]
    parts = [int(r) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: (raw[i] - parts[i], -i), reverse=True)
    for index in order[: rest - sum(parts)]:
        parts[index] += 1
    return [p + minimum for p in parts]


class Ids:
    """Hands out primary keys from each table's highest id on."""

    def __init__(self):
        self.next: dict[str, int] = {}
        self.models: dict[str, type] = {}

    def take(self, model, count: int = 1) -> int:
        table = model._meta.db_table
        if table not in self.next:
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # noqa: S608
                self.next[table] = cursor.fetchone()[0] + 1
            self.models[table] = model
        first = self.next[table]
        self.next[table] += count
        return first

    def one(self, model) -> int:
        return self.take(model, 1)

    def reset_sequences(self) -> None:
        with connection.cursor() as cursor:
            for table, model in self.models.items():
                column = model._meta.pk.column
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence(%s, %s), GREATEST(%s, 1), true)",
                    [table, column, self.next[table] - 1],
                )


@dataclass
class World:
    """What the generator made, for later sections and for the benchmark to pick from."""

    municipalities: list[int] = field(default_factory=list)
    # institution id -> (municipality id, kind)
    institutions: dict[int, tuple[int, str]] = field(default_factory=dict)
    groups_of: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    staff_of_group: dict[int, list[int]] = field(default_factory=dict)
    leader_of: dict[int, int] = field(default_factory=dict)
    ambassador_of: dict[int, int] = field(default_factory=dict)
    admins_of: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    consultants_of: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    # (guardian id, child id, group id, institution id)
    family_rows: list[tuple[int, int, int, int]] = field(default_factory=list)
    institution_of_group: dict[int, int] = field(default_factory=dict)
    # For rows that name things as the application does (histories keep names).
    group_name: dict[int, str] = field(default_factory=dict)
    institution_street: dict[int, str] = field(default_factory=dict)
    # institution id -> (id, title) of its grant from the municipality's formula pool
    share_grant_of: dict[int, tuple[int, str]] = field(default_factory=dict)
    children_in: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    timings: dict[str, float] = field(default_factory=dict)


# The big tables: their indexes (but the primary key) and unique constraints are dropped
# while loading and built again afterwards, which is several times faster than keeping
# them up to date row by row.
HEAVY_TABLES = [
    "accounts_user",
    "account_emailaddress",
    "institutions_child",
    "institutions_guardianship",
    "messaging_postdelivery",
    "messaging_notification",
    "messaging_thread",
    "messaging_message",
    "messaging_threadread",
    "portal_snapshotresult",
]


def drop_secondary_indexes(tables: list[str]) -> list[str]:
    """Drop the unique constraints and indexes (not primary keys) of `tables`; return the
    statements that create them again."""
    restore = []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid) "
            "FROM pg_constraint c WHERE c.contype = 'u' AND c.conrelid::regclass::text = ANY(%s)",
            [tables],
        )
        constraints = cursor.fetchall()
        for table, name, definition in constraints:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
            restore.append(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        cursor.execute(
            "SELECT i.tablename, i.indexname, i.indexdef FROM pg_indexes i "
            "WHERE i.schemaname = current_schema() AND i.tablename = ANY(%s) "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname "
            "AND c.contype IN ('p', 'x'))",
            [tables],
        )
        for _table, name, definition in cursor.fetchall():
            cursor.execute(f'DROP INDEX "{name}"')
            restore.append(definition)
    return restore


def restore_indexes(statements: list[str]) -> None:
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def _at(days_ago: float, hour: int = 9) -> datetime:
    return ANCHOR - timedelta(days=days_ago) + timedelta(hours=hour - 9)


class Generator:
    def __init__(self, scale: Scale, *, seed: int = 1, stdout=None):
        self.scale = scale
        self.seed = seed
        self.rng = random.Random(f"{scale.name}-{seed}")
        self.ids = Ids()
        self.world = World()
        self.stdout = stdout
        self.password = make_password(BENCH_PASSWORD, salt="benchsalt" + str(seed))
        self.users: list[tuple] = []

    # Helpers ----------------------------------------------------------------------

    def log(self, message: str) -> None:
        if self.stdout is not None:
            self.stdout.write(message)

    def copy(self, model, attnames, rows, *, label: str | None = None) -> int:
        count = copy_model(connection, model, attnames, rows)
        self.world.counts[label or model._meta.label] += count
        return count

    def user(self, email: str, name: str, *, joined: datetime | None = None) -> int:
        pk = self.ids.one(self._user_model)
        self.users.append((pk, email, name, joined or _at(400)))
        return pk

    def person_name(self) -> str:
        return f"{self.rng.choice(names.ADULT_FIRST)} {self.rng.choice(names.SURNAMES)}"

    # The run -----------------------------------------------------------------------

    def run(self) -> World:
        from accounts.models import User

        self._user_model = User
        steps = [
            ("institutions", self.institutions),
            ("people", self.people_rows),
            ("messaging posts", self.posts),
            ("messaging deliveries", self.deliveries),
            ("messaging threads", self.threads),
            ("goals", self.goals),
            ("grants", self.grants),
            ("competence", self.competence),
            ("devices", self.devices),
            ("indicator snapshots", self.snapshots),
        ]
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit = off")
            cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            if cursor.fetchone()[0]:
                cursor.execute("SET LOCAL session_replication_role = replica")
            cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        dropped = drop_secondary_indexes(HEAVY_TABLES)
        for label, step in steps:
            start = time.perf_counter()
            step()
            self.world.timings[label] = round(time.perf_counter() - start, 2)
            self.log(f"  {label}: {self.world.timings[label]:.1f} s")
        start = time.perf_counter()
        restore_indexes(dropped)
        self.world.timings["indexes"] = round(time.perf_counter() - start, 2)
        self.log(f"  indexes: {self.world.timings['indexes']:.1f} s")
        self.ids.reset_sequences()
        return self.world

    # Municipalities, institutions, groups, children, people -------------------------

    def institutions(self) -> None:
        from institutions.models import (
            Child,
            ChildrenCount,
            Group,
            Guardianship,
            Institution,
            Membership,
            Municipality,
            MunicipalRole,
        )

        scale, rng, world = self.scale, self.rng, self.world
        n = scale.municipalities
        # Municipality sizes: a few large ones and a long tail, like Denmark's.
        weights = [1 / (index + 3) ** 0.9 for index in range(n)]
        institutions_in = split(
            scale.institutions, weights, minimum=min(3, scale.institutions // n)
        )
        homes_in = split(scale.homes, weights) if scale.homes else [0] * n
        municipality_rows, institution_rows, group_rows = [], [], []
        municipal_roles, memberships, membership_groups = [], [], []
        rooms_of: dict[int, list[tuple[int, str]]] = {}
        homes_of_municipality: dict[int, list[int]] = defaultdict(list)
        total_rooms = round(scale.institutions * scale.rooms_per_institution)
        room_counts = split(
            total_rooms, [rng.uniform(0.7, 1.3) for _ in range(scale.institutions)], minimum=2
        )
        room_iter = iter(room_counts)
        for m_index in range(n):
            mid = self.ids.one(Municipality)
            code = f"{101 + m_index * 8 % 899:03d}" if n > 1 else "259"
            town = names.TOWNS[m_index % len(names.TOWNS)]
            suffix = "" if m_index < len(names.TOWNS) else f" {m_index // len(names.TOWNS) + 1}"
            municipality_rows.append((mid, f"{town}{suffix} Kommune", code))
            world.municipalities.append(mid)
            slug = f"k{m_index + 1}"
            for _ in range(2):
                uid = self.user(
                    f"admin{len(world.admins_of[mid]) + 1}.{slug}@{EMAIL_DOMAIN}",
                    self.person_name(),
                )
                world.admins_of[mid].append(uid)
                municipal_roles.append((self.ids.one(MunicipalRole), uid, mid, "administrator"))
            for _ in range(3):
                uid = self.user(
                    f"konsulent{len(world.consultants_of[mid]) + 1}.{slug}@{EMAIL_DOMAIN}",
                    self.person_name(),
                )
                world.consultants_of[mid].append(uid)
                municipal_roles.append((self.ids.one(MunicipalRole), uid, mid, "consultant"))
            # Daycares with rooms.
            for i_index in range(institutions_in[m_index]):
                iid = self.ids.one(Institution)
                kind = rng.choices(["integrated", "kindergarten", "nursery"], weights=[60, 22, 18])[
                    0
                ]
                ownership = rng.choices(
                    ["municipal", "self_governing", "private"], weights=[75, 20, 5]
                )[0]
                base = names.INSTITUTION_NAMES[i_index % len(names.INSTITUTION_NAMES)]
                number = i_index // len(names.INSTITUTION_NAMES)
                name = base if number == 0 else f"{base} {number + 1}"
                institution_rows.append(
                    (
                        iid,
                        mid,
                        name,
                        kind,
                        ownership,
                        f"{base.split()[-1]}vej {i_index + 1}",
                        f"{1000 + (m_index * 37 + i_index) % 8999:04d}",
                        town,
                        names.DISTRICTS[i_index % len(names.DISTRICTS)],
                        f"i{iid}@{EMAIL_DOMAIN}",
                        f"{20000000 + iid}",
                        True,
                        _at(900),
                    )
                )
                world.institutions[iid] = (mid, kind)
                world.institution_street[iid] = institution_rows[-1][5]
                rooms = []
                for r_index in range(next(room_iter)):
                    gid = self.ids.one(Group)
                    if kind == "nursery":
                        age = "small"
                    elif kind == "kindergarten":
                        age = "large"
                    else:
                        age = "small" if r_index < 2 else "large"
                    pool = names.ROOMS_SMALL if age == "small" else names.ROOMS_LARGE
                    room_name = pool[r_index % len(pool)]
                    if r_index >= len(pool):
                        room_name += f" {r_index // len(pool) + 1}"
                    group_rows.append((gid, iid, room_name, "room", None, True))
                    world.group_name[gid] = room_name
                    rooms.append((gid, age))
                    world.groups_of[iid].append(gid)
                    world.institution_of_group[gid] = iid
                rooms_of[iid] = rooms
            # The childminding unit and its homes.
            if homes_in[m_index]:
                iid = self.ids.one(Institution)
                institution_rows.append(
                    (
                        iid,
                        mid,
                        f"Dagplejen {town}",
                        "childminding",
                        "municipal",
                        "Rådhuspladsen 1",
                        f"{1000 + m_index % 8999:04d}",
                        town,
                        names.DISTRICTS[0],
                        f"dagpleje{iid}@{EMAIL_DOMAIN}",
                        "",
                        True,
                        _at(900),
                    )
                )
                world.institutions[iid] = (mid, "childminding")
                world.institution_street[iid] = "Rådhuspladsen 1"
                rooms = []
                for h_index in range(homes_in[m_index]):
                    gid = self.ids.one(Group)
                    uid = self.user(f"dagplejer{gid}@{EMAIL_DOMAIN}", self.person_name())
                    group_rows.append((gid, iid, f"Dagplejehjem {h_index + 1}", "home", uid, True))
                    world.group_name[gid] = f"Dagplejehjem {h_index + 1}"
                    mship = self.ids.one(Membership)
                    memberships.append((mship, uid, iid, "childminder", _at(500)))
                    membership_groups.append((mship, gid))
                    world.staff_of_group[gid] = [uid]
                    rooms.append((gid, "home"))
                    world.groups_of[iid].append(gid)
                    world.institution_of_group[gid] = iid
                    homes_of_municipality[mid].append(gid)
                rooms_of[iid] = rooms

        # Staff: a leader per institution, an ambassador in most, staff per room. ------
        for iid, rooms in rooms_of.items():
            leader = self.user(f"leder{iid}@{EMAIL_DOMAIN}", self.person_name())
            world.leader_of[iid] = leader
            memberships.append((self.ids.one(Membership), leader, iid, "leader", _at(600)))
            room_staff = []
            for gid, age in rooms:
                if age == "home":
                    continue
                staff = []
                for _ in range(scale.staff_per_room):
                    uid = self.user(
                        f"p{self.ids.next.get('accounts_user', 0)}@{EMAIL_DOMAIN}",
                        self.person_name(),
                    )
                    mship = self.ids.one(Membership)
                    memberships.append((mship, uid, iid, "staff", _at(500)))
                    membership_groups.append((mship, gid))
                    staff.append(uid)
                world.staff_of_group[gid] = staff
                room_staff.extend(staff)
            if rng.random() < 0.7:
                ambassador = room_staff[0] if room_staff else world.staff_of_group[rooms[0][0]][0]
                world.ambassador_of[iid] = ambassador
                memberships.append(
                    (self.ids.one(Membership), ambassador, iid, "ambassador", _at(300))
                )

        # Children and their families. ------------------------------------------------
        places = [(gid, age) for rooms in rooms_of.values() for gid, age in rooms]
        home_places = [p for p in places if p[1] == "home"]
        room_places = [p for p in places if p[1] != "home"]
        home_children = min(scale.children, sum(rng.randint(2, 5) for _ in home_places))
        per_home = split(home_children, [1.0] * len(home_places)) if home_places else []
        per_room = split(
            scale.children - home_children, [rng.uniform(0.8, 1.2) for _ in room_places]
        )
        child_rows, guardianship_rows = [], []
        family: list[int] = []
        for (gid, age), count in zip(home_places + room_places, per_home + per_room, strict=True):
            iid = world.institution_of_group[gid]
            world.children_in[iid] += count
            for c_index in range(count):
                cid = self.ids.one(Child)
                if age in ("small", "home"):
                    age_days = rng.randint(280, 1090)
                else:
                    age_days = rng.randint(1100, 2150)
                birth = ANCHOR_DAY - timedelta(days=age_days)
                started = birth + timedelta(days=rng.randint(270, 330))
                if started > ANCHOR_DAY:
                    started = ANCHOR_DAY
                child_rows.append(
                    (
                        cid,
                        gid,
                        names.CHILD_FIRST[(cid * 7) % len(names.CHILD_FIRST)],
                        rng.choice(names.SURNAMES),
                        birth,
                        started,
                        None,
                        _at(age_days - 280),
                    )
                )
                if not family or c_index == 0 or rng.random() >= scale.siblings:
                    family = []
                    for _ in range(2 if rng.random() < scale.two_guardians else 1):
                        family.append(
                            self.user(
                                f"f{self.ids.next.get('accounts_user', 0)}@{EMAIL_DOMAIN}",
                                self.person_name(),
                            )
                        )
                for guardian in family:
                    guardianship_rows.append(
                        (self.ids.one(Guardianship), cid, guardian, _at(age_days - 300))
                    )
                    world.family_rows.append((guardian, cid, gid, iid))
        # A parent on each daycare's board.
        first_guardian: dict[int, int] = {}
        for guardian, _cid, _gid, iid in world.family_rows:
            first_guardian.setdefault(iid, guardian)
        for iid, guardian in first_guardian.items():
            memberships.append((self.ids.one(Membership), guardian, iid, "board_member", _at(200)))

        # Children counts on two dates, from the children made. -----------------------
        by_institution: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
        for row in child_rows:
            iid = world.institution_of_group[row[1]]
            years = (ANCHOR_DAY - row[4]).days / 365.25
            by_institution[iid][0 if years < 3 else 1 if years < 6 else 2] += 1
        counts = []
        for iid, (young, old, older) in by_institution.items():
            for when, factor in (
                (date(ANCHOR_DAY.year - 1, 1, 1), 0.97),
                (date(ANCHOR_DAY.year, 1, 1), 1.0),
            ):
                counts.append(
                    (
                        self.ids.one(ChildrenCount),
                        iid,
                        when,
                        round(young * factor),
                        round(old * factor),
                        older,
                    )
                )

        self.copy(Municipality, ["id", "name", "code"], municipality_rows)
        self.copy(
            Institution,
            [
                "id",
                "municipality_id",
                "name",
                "kind",
                "ownership",
                "street",
                "postcode",
                "city",
                "district",
                "email",
                "phone",
                "is_active",
                "created_at",
            ],
            institution_rows,
        )
        self.copy(
            Group,
            ["id", "institution_id", "name", "kind", "childminder_id", "is_active"],
            group_rows,
        )
        self.copy(
            Child,
            [
                "id",
                "group_id",
                "first_name",
                "last_name",
                "birth_date",
                "started_on",
                "left_on",
                "created_at",
            ],
            child_rows,
        )
        self.copy(Guardianship, ["id", "child_id", "guardian_id", "created_at"], guardianship_rows)
        self.copy(
            Membership, ["id", "user_id", "institution_id", "role", "created_at"], memberships
        )
        self.world.counts["institutions.Membership_groups"] += copy_m2m(
            connection, Membership, "groups", membership_groups
        )
        self.copy(
            MunicipalRole,
            ["id", "user_id", "municipality_id", "role", "created_at"],
            [(*row, _at(700)) for row in municipal_roles],
        )
        self.copy(
            ChildrenCount,
            ["id", "institution_id", "counted_on", "aged_0_2", "aged_3_5", "aged_6_plus"],
            counts,
        )

    def people_rows(self) -> None:
        """Write every user made so far, with a verified address; two-factor for the
        roles that need it."""
        from allauth.account.models import EmailAddress
        from allauth.mfa.models import Authenticator

        from accounts.models import User

        password = self.password
        self.copy(
            User,
            [
                "id",
                "password",
                "last_login",
                "is_superuser",
                "email",
                "name",
                "phone",
                "language",
                "is_active",
                "is_staff",
                "date_joined",
            ],
            (
                (pk, password, None, False, email, name, "", "da", True, False, joined)
                for pk, email, name, joined in self.users
            ),
        )
        first = self.ids.take(EmailAddress, len(self.users))
        self.copy(
            EmailAddress,
            ["id", "user_id", "email", "verified", "primary"],
            (
                (first + n, pk, email, True, True)
                for n, (pk, email, _name, _j) in enumerate(self.users)
            ),
        )
        must = [
            *self.world.leader_of.values(),
            *(u for users in self.world.admins_of.values() for u in users),
        ]
        first = self.ids.take(Authenticator, len(must))
        secret = '{"secret": "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"}'  # noqa: S105
        self.copy(
            Authenticator,
            ["id", "user_id", "type", "data", "created_at", "last_used_at"],
            ((first + n, uid, "totp", secret, _at(300), None) for n, uid in enumerate(must)),
        )
        self.users = []

    # Messaging ------------------------------------------------------------------------

    def posts(self) -> None:
        from messaging.models import Post

        scale, rng, world = self.scale, self.rng, self.world
        rows, post_groups = [], []
        self.first_post = self.ids.take(Post, 0)
        themes = list(Theme.values)

        def post(mid, iid, audience, author, days_ago):
            pid = self.ids.one(Post)
            insight = rng.random() < 0.4
            title, body = rng.choice(names.POSTS_INSIGHT if insight else names.POSTS_PRACTICAL)
            at = _at(days_ago, hour=rng.randint(7, 16))
            rows.append(
                (
                    pid,
                    mid,
                    iid,
                    audience,
                    author,
                    "insight" if insight else "practical",
                    rng.sample(themes, rng.randint(1, 2)) if insight else [],
                    title,
                    f"<p>{body}</p>",
                    rng.random() < 0.05,
                    at,
                    None,
                    at,
                    None,
                    at,
                )
            )
            return pid

        for iid, (mid, _kind) in world.institutions.items():
            author = world.leader_of[iid]
            for _ in range(scale.institution_posts):
                post(mid, iid, "institution", author, rng.uniform(0, scale.post_days))
            groups = world.groups_of[iid]
            for _ in range(scale.group_posts):
                gid = rng.choice(groups)
                author = rng.choice(world.staff_of_group.get(gid) or [world.leader_of[iid]])
                pid = post(mid, iid, "groups", author, rng.uniform(0, scale.post_days))
                post_groups.append((pid, gid))
        for mid in world.municipalities:
            for _ in range(scale.municipal_posts):
                post(
                    mid,
                    None,
                    "municipality",
                    world.admins_of[mid][0],
                    rng.uniform(0, scale.post_days),
                )
        self.copy(
            Post,
            [
                "id",
                "municipality_id",
                "institution_id",
                "audience",
                "author_id",
                "kind",
                "themes",
                "title",
                "body",
                "important",
                "publish_at",
                "expires_at",
                "published_at",
                "withdrawn_at",
                "created_at",
            ],
            rows,
        )
        self.world.counts["messaging.Post_groups"] += copy_m2m(
            connection, Post, "groups", post_groups
        )

    def deliveries(self) -> None:
        """Each post in the feed of every guardian it was for (as post_publish does), with
        read receipts; notifications for the recent ones. All in SQL."""
        seed = self.seed
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE TEMP TABLE bench_family ON COMMIT DROP AS "
                "SELECT DISTINCT gs.guardian_id, g.id AS group_id, g.institution_id, "
                "i.municipality_id FROM institutions_guardianship gs "
                "JOIN institutions_child c ON c.id = gs.child_id AND c.left_on IS NULL "
                "JOIN institutions_group g ON g.id = c.group_id "
                "JOIN institutions_institution i ON i.id = g.institution_id"
            )
            read = (
                "CASE WHEN abs(hashtextextended(p.id || ':' || f.guardian_id, %(seed)s)) %% 100 "
                "< 80 THEN p.published_at + make_interval(mins => (abs(hashtextextended("
                "f.guardian_id || ':' || p.id, %(seed)s)) %% 2880)::int) END"
            )
            insert = (
                "INSERT INTO messaging_postdelivery (post_id, guardian_id, published_at, read_at) "
            )
            total = 0
            cursor.execute(
                insert + f"SELECT p.id, f.guardian_id, p.published_at, {read} "  # noqa: S608
                "FROM messaging_post p JOIN (SELECT DISTINCT guardian_id, institution_id "
                "FROM bench_family) f ON f.institution_id = p.institution_id "
                "WHERE p.audience = 'institution' AND p.id >= %(first)s",
                {"seed": seed, "first": self.first_post},
            )
            total += cursor.rowcount
            cursor.execute(
                insert + f"SELECT p.id, f.guardian_id, p.published_at, {read} "  # noqa: S608
                "FROM messaging_post p JOIN messaging_post_groups pg ON pg.post_id = p.id "
                "JOIN (SELECT DISTINCT guardian_id, group_id FROM bench_family) f "
                "ON f.group_id = pg.group_id WHERE p.audience = 'groups' AND p.id >= %(first)s",
                {"seed": seed, "first": self.first_post},
            )
            total += cursor.rowcount
            cursor.execute(
                insert + f"SELECT p.id, f.guardian_id, p.published_at, {read} "  # noqa: S608
                "FROM messaging_post p JOIN (SELECT DISTINCT guardian_id, municipality_id "
                "FROM bench_family) f ON f.municipality_id = p.municipality_id "
                "WHERE p.audience = 'municipality' AND p.id >= %(first)s",
                {"seed": seed, "first": self.first_post},
            )
            total += cursor.rowcount
            self.world.counts["messaging.PostDelivery"] += total
            cursor.execute(
                "INSERT INTO messaging_notification (recipient_id, kind, subject, body, url, key, "
                "created_at, read_at, send_email, email_digest, emailed_at, email_failed_at, "
                "email_error, email_attempts) "
                "SELECT d.guardian_id, 'messaging.post', left(p.title, 200), '', "
                "'/opslag/' || p.id || '/', 'post-' || p.id, d.published_at, d.read_at, true, "
                "false, d.published_at, NULL, '', 1 FROM messaging_postdelivery d "
                "JOIN messaging_post p ON p.id = d.post_id "
                "WHERE p.id >= %(first)s AND p.published_at >= %(since)s",
                {
                    "first": self.first_post,
                    "since": ANCHOR - timedelta(days=self.scale.notification_days),
                },
            )
            self.world.counts["core.Notification"] += cursor.rowcount
            cursor.execute("DROP TABLE bench_family")

    def threads(self) -> None:
        from messaging.models import Message, Thread, ThreadRead

        scale, rng, world = self.scale, self.rng, self.world
        thread_rows, message_rows, read_rows = [], [], []
        seen_guardians: set[int] = set()
        low, high = scale.messages_per_thread
        for guardian, cid, gid, iid in world.family_rows:
            if guardian in seen_guardians:
                continue
            seen_guardians.add(guardian)
            count = 0
            while (
                rng.random() < scale.threads_per_guardian / (1 + scale.threads_per_guardian)
                and count < 6
            ):
                count += 1
                tid = self.ids.one(Thread)
                to_leader = rng.random() < 0.1
                sensitive = to_leader and rng.random() < 0.3
                staff = (
                    [world.leader_of[iid]]
                    if to_leader
                    else (world.staff_of_group.get(gid) or [world.leader_of[iid]])
                )
                started = _at(rng.uniform(0, 240), hour=rng.randint(6, 20))
                at = started
                last_staff = None
                last_staff_at = None
                from_staff = False
                n_messages = rng.randint(low, high)
                for m_index in range(n_messages):
                    from_staff = m_index % 2 == 1
                    author = rng.choice(staff) if from_staff else guardian
                    body = " ".join(rng.sample(names.MESSAGE_SENTENCES, rng.randint(1, 3)))
                    message_rows.append(
                        (self.ids.one(Message), tid, author, body, from_staff, None, at)
                    )
                    if from_staff:
                        last_staff, last_staff_at = author, at
                    if m_index < n_messages - 1:
                        at = at + timedelta(minutes=rng.randint(5, 60 * 30))
                subject = rng.choice(names.THREAD_SUBJECTS)
                thread_rows.append(
                    (
                        tid,
                        iid,
                        guardian,
                        cid,
                        gid,
                        "leader" if to_leader else "group",
                        subject,
                        sensitive,
                        guardian,
                        started,
                        at,
                        last_staff,
                        last_staff_at,
                        not from_staff,
                    )
                )
                # The guardian read it all unless staff answered last and recently.
                read_rows.append(
                    (
                        self.ids.one(ThreadRead),
                        tid,
                        guardian,
                        at if not from_staff or rng.random() < 0.85 else started,
                    )
                )
                if last_staff is not None:
                    read_rows.append((self.ids.one(ThreadRead), tid, last_staff, last_staff_at))
        self.copy(
            Thread,
            [
                "id",
                "institution_id",
                "guardian_id",
                "child_id",
                "group_id",
                "to",
                "subject",
                "sensitive",
                "started_by_id",
                "created_at",
                "last_message_at",
                "answered_by_id",
                "answered_at",
                "awaiting_staff",
            ],
            thread_rows,
        )
        self.copy(
            Message,
            ["id", "thread_id", "author_id", "body", "from_staff", "closure_id", "created_at"],
            message_rows,
        )
        self.copy(ThreadRead, ["id", "thread_id", "user_id", "read_at"], read_rows)

    # Goals ----------------------------------------------------------------------------

    def goals(self) -> None:
        from goals.models import (
            ActionPlan,
            ActionStep,
            CurriculumEvaluation,
            CurriculumTheme,
            Evidence,
            FocusArea,
            ForumDiscussion,
            LocalGoal,
            LocalPlan,
            StrategyItem,
            StrategyPeriod,
        )

        rng, world, scale = self.rng, self.world, self.scale
        year = ANCHOR_DAY.year
        theme_ids = list(
            CurriculumTheme.objects.filter(version=CurriculumTheme.CURRENT).values_list(
                "pk", flat=True
            )
        )
        periods, areas, items = [], [], []
        municipal_goals_of: dict[int, list[int]] = defaultdict(list)
        for mid in world.municipalities:
            pid = self.ids.one(StrategyPeriod)
            periods.append(
                (
                    pid,
                    mid,
                    "Digitalisering i dagtilbud",
                    year - 1,
                    year + 2,
                    "",
                    None,
                    _at(700),
                    _at(700),
                )
            )
            for number, (title, area) in enumerate(names.FOCUS_AREAS, start=1):
                aid = self.ids.one(FocusArea)
                areas.append((aid, pid, number, title, "", area))
                for position, (kind, text) in enumerate(names.STRATEGY_ITEMS[number - 1]):
                    sid = self.ids.one(StrategyItem)
                    items.append((sid, aid, kind, text, None, "", None, position))
                    if kind == "municipal_goal":
                        municipal_goals_of[mid].append(sid)
        plans, goals, goal_themes, goal_municipal = [], [], [], []
        action_plans, steps, evidence, discussions, evaluations = [], [], [], [], []
        low, high = scale.local_goals
        for iid, (mid, _kind) in world.institutions.items():
            leader = world.leader_of[iid]
            owner_pool = [leader, world.ambassador_of.get(iid, leader)]
            plan_id = self.ids.one(LocalPlan)
            plans.append((plan_id, iid, "business_plan", year, None, "", _at(300)))
            for g_index in range(rng.randint(low, high)):
                gid = self.ids.one(LocalGoal)
                title, didactic = names.LOCAL_GOALS[(iid + g_index) % len(names.LOCAL_GOALS)]
                status = rng.choices(["active", "draft", "achieved"], weights=[70, 15, 15])[0]
                goals.append(
                    (
                        gid,
                        iid,
                        title,
                        "",
                        didactic,
                        "",
                        plan_id,
                        status,
                        ANCHOR_DAY + timedelta(days=rng.randint(-60, 200)),
                        leader,
                        _at(250),
                        _at(rng.uniform(0, 200)),
                    )
                )
                for theme in rng.sample(theme_ids, min(len(theme_ids), rng.randint(1, 2))):
                    goal_themes.append((gid, theme))
                if municipal_goals_of[mid]:
                    goal_municipal.append((gid, rng.choice(municipal_goals_of[mid])))
                for a_index in range(rng.randint(1, 2)):
                    apid = self.ids.one(ActionPlan)
                    action_plans.append((apid, gid, f"Handleplan {a_index + 1}", "", _at(240)))
                    for position in range(rng.randint(3, 6)):
                        sid = self.ids.one(ActionStep)
                        state = rng.choices(
                            ["done", "in_progress", "not_started"], weights=[40, 30, 30]
                        )[0]
                        completed = _at(rng.uniform(1, 200)) if state == "done" else None
                        steps.append(
                            (
                                sid,
                                apid,
                                names.STEP_TITLES[(sid) % len(names.STEP_TITLES)],
                                "",
                                rng.choice(owner_pool),
                                ANCHOR_DAY + timedelta(days=rng.randint(-90, 180)),
                                state,
                                position + 1,
                                completed,
                                None,
                                _at(240),
                                _at(100),
                            )
                        )
                        if state == "done" and rng.random() < 0.5:
                            evidence.append(
                                (
                                    self.ids.one(Evidence),
                                    sid,
                                    "text",
                                    "Vi prøvede det af med børnene, og det virkede.",
                                    "",
                                    "",
                                    "",
                                    "",
                                    None,
                                    rng.choice(owner_pool),
                                    completed,
                                )
                            )
            for d_index in range(rng.randint(1, 3)):
                discussions.append(
                    (
                        self.ids.one(ForumDiscussion),
                        iid,
                        ["staff_meeting", "parent_board", "parent_committee"][d_index % 3],
                        "",
                        ANCHOR_DAY - timedelta(days=rng.randint(10, 300)),
                        "Digitale medier i hverdagen",
                        "",
                        "Vi drøftede brugen af tablets.",
                        "",
                        "",
                        leader,
                        _at(100),
                        _at(100),
                    )
                )
            if rng.random() < 0.7:
                evaluations.append(
                    (
                        self.ids.one(CurriculumEvaluation),
                        iid,
                        ANCHOR_DAY - timedelta(days=rng.randint(30, 700)),
                        "Evalueringen viste god brug af digitale medier.",
                        "",
                        "",
                        rng.random() < 0.6,
                        leader,
                        _at(100),
                    )
                )
        self.copy(
            StrategyPeriod,
            [
                "id",
                "municipality_id",
                "title",
                "start_year",
                "end_year",
                "introduction",
                "copied_from_id",
                "created_at",
                "updated_at",
            ],
            periods,
        )
        self.copy(FocusArea, ["id", "period_id", "number", "title", "description", "area"], areas)
        self.copy(
            StrategyItem,
            ["id", "focus_area_id", "kind", "text", "deadline", "timing", "budget_ore", "position"],
            items,
        )
        self.copy(
            LocalPlan,
            ["id", "institution_id", "kind", "year", "adopted_on", "title", "created_at"],
            plans,
        )
        self.copy(
            LocalGoal,
            [
                "id",
                "institution_id",
                "title",
                "children_activity",
                "didactic_considerations",
                "inclusion",
                "plan_id",
                "status",
                "review_on",
                "created_by_id",
                "created_at",
                "updated_at",
            ],
            goals,
        )
        self.world.counts["goals.LocalGoal_themes"] += copy_m2m(
            connection, LocalGoal, "themes", goal_themes
        )
        self.world.counts["goals.LocalGoal_municipal_goals"] += copy_m2m(
            connection, LocalGoal, "municipal_goals", goal_municipal
        )
        self.copy(ActionPlan, ["id", "goal_id", "title", "description", "created_at"], action_plans)
        self.copy(
            ActionStep,
            [
                "id",
                "plan_id",
                "title",
                "description",
                "owner_id",
                "due_on",
                "status",
                "position",
                "completed_at",
                "source_decision_id",
                "created_at",
                "updated_at",
            ],
            steps,
        )
        self.copy(
            Evidence,
            [
                "id",
                "step_id",
                "kind",
                "text",
                "url",
                "file",
                "file_name",
                "content_type",
                "size",
                "added_by_id",
                "added_at",
            ],
            evidence,
        )
        self.copy(
            ForumDiscussion,
            [
                "id",
                "institution_id",
                "forum",
                "forum_other",
                "held_on",
                "topic",
                "participants",
                "reflection",
                "ethics",
                "ownership",
                "recorded_by_id",
                "created_at",
                "updated_at",
            ],
            discussions,
        )
        self.copy(
            CurriculumEvaluation,
            [
                "id",
                "institution_id",
                "evaluated_on",
                "summary",
                "document",
                "document_name",
                "children_perspective",
                "recorded_by_id",
                "created_at",
            ],
            evaluations,
        )

    # Grants ---------------------------------------------------------------------------

    def grants(self) -> None:
        from grants.models import (
            Application,
            ApplicationEvent,
            BudgetLine,
            DigitalBudgetLine,
            EarmarkAllocation,
            Grant,
            Pool,
            Share,
            ShareRun,
        )

        rng, world = self.rng, self.world
        year = ANCHOR_DAY.year
        pools, applications, lines, events, grants, allocations = [], [], [], [], [], []
        runs, shares, budget = [], [], []
        by_municipality: dict[int, list[int]] = defaultdict(list)
        for iid, (mid, _kind) in world.institutions.items():
            by_municipality[mid].append(iid)
        for mid in world.municipalities:
            daycares = by_municipality[mid]
            admin = world.admins_of[mid][0]
            # An applied-for pool, decided in part.
            total = 25_000 * 100 * len(daycares)
            pool_id = self.ids.one(Pool)
            committed = 0
            for iid in daycares:
                if rng.random() >= 0.45:
                    continue
                aid = self.ids.one(Application)
                asked = rng.randint(10, 60) * 1000 * 100
                state = rng.choices(
                    ["submitted", "in_review", "decided", "draft", "reporting"],
                    weights=[20, 15, 45, 10, 10],
                )[0]
                outcome, approved, reason, decided = "", None, "", None
                if state in ("decided", "reporting"):
                    outcome = rng.choices(
                        ["approved", "partly_approved", "rejected"], weights=[60, 25, 15]
                    )[0]
                    if state == "reporting" and outcome == "rejected":
                        outcome = "approved"
                    decided = _at(rng.uniform(20, 60))
                    if outcome == "approved":
                        approved = asked
                    elif outcome == "partly_approved":
                        approved = asked // 2
                        reason = "Puljen rækker ikke til det hele."
                    else:
                        reason = "Ansøgningen falder uden for puljens formål."
                submitted = None if state == "draft" else _at(rng.uniform(61, 90))
                applications.append(
                    (
                        aid,
                        pool_id,
                        iid,
                        rng.choice(names.PROJECTS),
                        "Flere børn skal skabe med digitale medier.",
                        "",
                        asked,
                        True,
                        state,
                        world.leader_of[iid],
                        _at(95),
                        submitted,
                        outcome,
                        approved,
                        reason,
                        decided,
                        admin if decided else None,
                        (ANCHOR_DAY + timedelta(days=180)) if approved else None,
                        "",
                        "",
                        "",
                        _at(5) if state == "reporting" else None,
                    )
                )
                lines.append((self.ids.one(BudgetLine), aid, "Tablets", "devices", asked))
                events.append(
                    (
                        self.ids.one(ApplicationEvent),
                        aid,
                        "",
                        "draft",
                        world.leader_of[iid],
                        "",
                        _at(95),
                    )
                )
                if submitted:
                    events.append(
                        (
                            self.ids.one(ApplicationEvent),
                            aid,
                            "draft",
                            "submitted",
                            world.leader_of[iid],
                            "",
                            submitted,
                        )
                    )
                if approved:
                    committed += approved
                    gid = self.ids.one(Grant)
                    grants.append((gid, pool_id, iid, aid, None, approved, 0, decided, None))
                    allocations.append(
                        (self.ids.one(EarmarkAllocation), gid, "devices", approved, 0)
                    )
            pools.append(
                (
                    pool_id,
                    mid,
                    f"Digitale investeringer {year}",
                    "",
                    "application",
                    max(total, committed),
                    committed,
                    date(year, 1, 1),
                    date(year, 12, 31),
                    date(year, 6, 1),
                    date(year, 9, 1),
                    60_000 * 100,
                    True,
                    ["devices", "learning_materials"],
                    [],
                    _at(200),
                    _at(210),
                )
            )
            # A formula pool shared by number of children, published.
            fpool = self.ids.one(Pool)
            run = self.ids.one(ShareRun)
            per_child = 150 * 100
            fcommitted = 0
            share_rows = []
            for iid in daycares:
                children = max(1, world.children_in[iid])
                amount = children * per_child
                sid = self.ids.one(Share)
                share_rows.append((sid, run, iid, date(year, 1, 1), children, True, amount, 0))
                gid = self.ids.one(Grant)
                grants.append((gid, fpool, iid, None, sid, amount, 0, _at(150), None))
                # A grant without an application is named by its pool (Grant.title).
                world.share_grant_of[iid] = (gid, f"Digitaliseringspulje {year}")
                allocations.append((self.ids.one(EarmarkAllocation), gid, "devices", amount, 0))
                fcommitted += amount
            shares.extend(share_rows)
            pools.append(
                (
                    fpool,
                    mid,
                    f"Digitaliseringspulje {year}",
                    "",
                    "formula",
                    fcommitted,
                    fcommitted,
                    date(year, 1, 1),
                    date(year, 12, 31),
                    None,
                    None,
                    None,
                    True,
                    ["devices", "wifi"],
                    [],
                    _at(160),
                    _at(170),
                )
            )
            runs.append(
                (
                    run,
                    fpool,
                    date(year, 1, 1),
                    "largest_remainder_kroner",
                    0,
                    "devices",
                    "published",
                    _at(155),
                    admin,
                    _at(150),
                    admin,
                )
            )
            for iid in daycares:
                if rng.random() < 0.5:
                    budget.append(
                        (
                            self.ids.one(DigitalBudgetLine),
                            iid,
                            year,
                            "Nye tablets",
                            "devices",
                            rng.randint(5, 30) * 1000 * 100,
                            _at(100),
                        )
                    )
        self.copy(
            Pool,
            [
                "id",
                "municipality_id",
                "name",
                "description",
                "kind",
                "total_ore",
                "committed_ore",
                "period_start",
                "period_end",
                "opens_on",
                "closes_on",
                "max_per_application_ore",
                "partial_funding_allowed",
                "earmarks",
                "eligible_kinds",
                "published_at",
                "created_at",
            ],
            pools,
        )
        self.copy(
            Application,
            [
                "id",
                "pool_id",
                "institution_id",
                "project",
                "purpose",
                "goal_text",
                "amount_asked_ore",
                "partial_funding_helps",
                "state",
                "created_by_id",
                "created_at",
                "submitted_at",
                "outcome",
                "approved_ore",
                "decision_reason",
                "decided_at",
                "decided_by_id",
                "report_due_on",
                "decision_letter",
                "report_text",
                "report_evaluation",
                "reported_at",
            ],
            applications,
        )
        self.copy(
            BudgetLine, ["id", "application_id", "description", "earmark", "amount_ore"], lines
        )
        self.copy(
            ApplicationEvent,
            ["id", "application_id", "from_state", "to_state", "actor_id", "note", "created_at"],
            events,
        )
        self.copy(
            ShareRun,
            [
                "id",
                "pool_id",
                "reference_date",
                "method",
                "wifi_reserve_ore",
                "rest_earmark",
                "status",
                "calculated_at",
                "calculated_by_id",
                "published_at",
                "published_by_id",
            ],
            runs,
        )
        self.copy(
            Share,
            [
                "id",
                "run_id",
                "institution_id",
                "counted_on",
                "children",
                "has_wifi",
                "amount_ore",
                "wifi_ore",
            ],
            shares,
        )
        self.copy(
            Grant,
            [
                "id",
                "pool_id",
                "institution_id",
                "application_id",
                "share_id",
                "amount_ore",
                "returned_ore",
                "created_at",
                "closed_at",
            ],
            grants,
        )
        self.copy(
            EarmarkAllocation, ["id", "grant_id", "earmark", "amount_ore", "spent_ore"], allocations
        )
        self.copy(
            DigitalBudgetLine,
            ["id", "institution_id", "year", "description", "earmark", "amount_ore", "created_at"],
            budget,
        )

    # Competence -----------------------------------------------------------------------

    def competence(self) -> None:
        from competence.models import (
            Comment,
            CompetencePlan,
            Event,
            Meeting,
            MeetingAttendance,
            Network,
            NetworkMember,
            Post,
            Registration,
            UsefulMark,
        )

        rng, world, scale = self.rng, self.world, self.scale
        year = ANCHOR_DAY.year
        plans, events, registrations, networks, members, meetings, attendance = (
            [],
            [],
            [],
            [],
            [],
            [],
            [],
        )
        posts, comments, marks = [], [], []
        by_municipality: dict[int, list[int]] = defaultdict(list)
        for iid, (mid, _kind) in world.institutions.items():
            by_municipality[mid].append(iid)
        themes = list(Theme.values)
        low, high = scale.shared_experiences
        for mid in world.municipalities:
            daycares = by_municipality[mid]
            admin = world.admins_of[mid][0]
            event_id = self.ids.one(Event)
            confirmed = 0
            for iid in daycares:
                if rng.random() < 0.75:
                    staff = [
                        u for g in world.groups_of[iid] for u in world.staff_of_group.get(g, [])
                    ]
                    for user, as_leader in (
                        (world.leader_of[iid], True),
                        (staff[0] if staff else None, False),
                    ):
                        if user is None:
                            continue
                        confirmed += 1
                        registrations.append(
                            (
                                self.ids.one(Registration),
                                event_id,
                                iid,
                                user,
                                as_leader,
                                True,  # the kick-off conference
                                "confirmed",
                                user,
                                _at(120),
                                _at(120),
                                _at(120),
                                None,
                                _at(90) if rng.random() < 0.9 else None,
                            )
                        )
            events.append(
                (
                    event_id,
                    mid,
                    "Kickoff: digitalisering i dagtilbud",
                    "conference",
                    True,
                    _at(91),
                    _at(90.7),
                    "Rådhuset",
                    "",
                    max(confirmed, 1) + 50,
                    confirmed,
                    "",
                    "Ledere og en medarbejder fra hvert dagtilbud",
                    None,
                    _at(130),
                    admin,
                    _at(140),
                )
            )
            nid = self.ids.one(Network)
            networks.append(
                (
                    nid,
                    mid,
                    "Netværk for digitale ambassadører",
                    "",
                    3,
                    "ambassadors",
                    world.consultants_of[mid][0],
                    "",
                    _at(400),
                )
            )
            for iid in daycares:
                members.append((self.ids.one(NetworkMember), nid, iid, _at(390)))
            for m_index in range(3):
                meeting = self.ids.one(Meeting)
                start = _at(300 - m_index * 120, hour=13)
                meetings.append(
                    (
                        meeting,
                        nid,
                        start,
                        start + timedelta(hours=2),
                        "",
                        "",
                        "",
                        None,
                        None,
                        _at(310),
                    )
                )
                for iid in daycares:
                    if rng.random() < 0.7:
                        attendance.append(
                            (
                                self.ids.one(MeetingAttendance),
                                meeting,
                                iid,
                                world.consultants_of[mid][0],
                                start,
                            )
                        )
            for iid in daycares:
                if rng.random() < 0.8:
                    plans.append(
                        (
                            self.ids.one(CompetencePlan),
                            iid,
                            year,
                            rng.randint(5, 50) * 1000 * 100,
                            rng.randint(10, 80),
                            "",
                            _at(100),
                        )
                    )
                author = world.ambassador_of.get(iid, world.leader_of[iid])
                for _ in range(rng.randint(low, high)):
                    pid = self.ids.one(Post)
                    title, body, device = rng.choice(names.EXPERIENCES)
                    at = _at(rng.uniform(0, 400))
                    posts.append(
                        (
                            pid,
                            iid,
                            author,
                            title,
                            body,
                            rng.sample(themes, 2),
                            device,
                            rng.choice(["0_2", "3_5", "0_5"]),
                            at,
                            at,
                        )
                    )
                    for _ in range(rng.randint(0, 2)):
                        other = rng.choice(daycares)
                        commenter = world.leader_of[other]
                        comments.append(
                            (
                                self.ids.one(Comment),
                                pid,
                                commenter,
                                "Tak for idéen, den prøver vi!",
                                at + timedelta(days=2),
                            )
                        )
                        if rng.random() < 0.5:
                            marks.append(
                                (self.ids.one(UsefulMark), pid, commenter, at + timedelta(days=2))
                            )
        # Two comments may come from one leader: one useful mark per person and post.
        marks = list({(m[1], m[2]): m for m in marks}.values())
        self.copy(
            CompetencePlan,
            ["id", "institution_id", "year", "budget_ore", "hours", "notes", "updated_at"],
            plans,
        )
        self.copy(
            Event,
            [
                "id",
                "municipality_id",
                "title",
                "kind",
                "is_kickoff",
                "starts_at",
                "ends_at",
                "place",
                "address",
                "capacity",
                "confirmed_count",
                "programme",
                "audience",
                "registration_closes_on",
                "invitations_sent_at",
                "created_by_id",
                "created_at",
            ],
            events,
        )
        self.copy(
            Registration,
            [
                "id",
                "event_id",
                "institution_id",
                "user_id",
                "as_leader",
                "for_kickoff",
                "status",
                "registered_by_id",
                "created_at",
                "queued_at",
                "confirmed_at",
                "cancelled_at",
                "checked_in_at",
            ],
            registrations,
        )
        self.copy(
            Network,
            [
                "id",
                "municipality_id",
                "name",
                "purpose",
                "cadence",
                "audience",
                "organiser_id",
                "usual_place",
                "created_at",
            ],
            networks,
        )
        self.copy(NetworkMember, ["id", "network_id", "institution_id", "joined_at"], members)
        self.copy(
            Meeting,
            [
                "id",
                "network_id",
                "starts_at",
                "ends_at",
                "place",
                "agenda",
                "minutes",
                "minutes_by_id",
                "minutes_at",
                "created_at",
            ],
            meetings,
        )
        self.copy(
            MeetingAttendance,
            ["id", "meeting_id", "institution_id", "recorded_by_id", "recorded_at"],
            attendance,
        )
        self.copy(
            Post,
            [
                "id",
                "institution_id",
                "author_id",
                "title",
                "body",
                "themes",
                "device",
                "age_group",
                "created_at",
                "updated_at",
            ],
            posts,
            label="competence.Post",
        )
        self.copy(Comment, ["id", "post_id", "author_id", "body", "created_at"], comments)
        self.copy(UsefulMark, ["id", "post_id", "user_id", "created_at"], marks)

    # Indicator snapshots -------------------------------------------------------------

    def snapshots(self) -> None:
        """A year of monthly snapshots per municipality (the trend charts read them), the
        daycares meeting more of their goals as the months go by."""
        from django.apps import apps

        from core.indicators import all_indicators

        try:
            Snapshot = apps.get_model("portal", "Snapshot")
            SnapshotResult = apps.get_model("portal", "SnapshotResult")
        except LookupError:
            return
        rng, world = self.rng, self.world
        codes = [indicator.code for indicator in all_indicators()]
        snapshots, results = [], []
        daycares_of: dict[int, list[int]] = defaultdict(list)
        for iid, (mid, _kind) in world.institutions.items():
            daycares_of[mid].append(iid)
        for mid in world.municipalities:
            for months_ago in range(12, 0, -1):
                year, month = divmod(ANCHOR_DAY.year * 12 + ANCHOR_DAY.month - 1 - months_ago, 12)
                day = date(year, month + 1, 1)
                sid = self.ids.one(Snapshot)
                snapshots.append((sid, mid, day, datetime(year, month + 1, 1, 2, tzinfo=UTC)))
                met = 0.35 + 0.04 * (12 - months_ago)
                for iid in daycares_of[mid]:
                    for code in codes:
                        status = rng.choices(
                            ["met", "at_risk", "not_met"], weights=[met, 0.2, 0.8 - met]
                        )[0]
                        results.append((self.ids.one(SnapshotResult), sid, iid, code, status, ""))
        self.copy(Snapshot, ["id", "municipality_id", "taken_on", "taken_at"], snapshots)
        self.copy(
            SnapshotResult,
            ["id", "snapshot_id", "institution_id", "indicator", "status", "evidence"],
            results,
        )

    # Devices --------------------------------------------------------------------------

    def devices(self) -> None:
        """Devices, Wi-Fi and digital suitcases, as the devices services would write them.

        Per daycare: about one tablet per five children spread over its rooms (a few rooms
        without), a few PCs, phones and a projector for the house, each with its history
        (registered, then a change of status for some); one Wi-Fi site. The childminder
        homes: half have a tablet of their own, the rest are lines of the municipality's
        purchase programme, most of them distributed. Per municipality: a few suitcases
        with their contents, closure days, a published rotation plan for the first half
        of the year and then bookings asked for by the daycares up to a few months past
        ANCHOR, never overlapping (the exclusion constraint checks it while loading),
        with hand-over and return checklists; a short waiting list.

        Its own random stream, so the sections before and after it are unchanged.
        """
        import json

        from devices.demo import SUITCASES
        from devices.models import (
            Booking,
            BookingCheck,
            Device,
            DeviceChange,
            ProgrammeLine,
            PurchaseProgramme,
            RotationPlan,
            RotationSlot,
            Suitcase,
            SuitcaseClosure,
            SuitcaseItem,
            WaitingListEntry,
            WifiChange,
            WifiSite,
        )
        from devices.services.inventory import DEVICE_FIELDS, WIFI_FIELDS

        rng = random.Random(f"{self.scale.name}-{self.seed}-devices")
        world = self.world
        devices, changes, sites, site_changes = [], [], [], []

        def moment(day: date, hour: int = 8) -> datetime:
            return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)

        def history(values: dict) -> dict:
            """A new record's values as changes from nothing (services.inventory._initial)."""
            # The grant is kept by its name under "grant" (its field is grant_id).
            names = ["grant" if name == "grant_id" else name for name in DEVICE_FIELDS]
            return {
                name: [None, values[name]] for name in names if values.get(name) not in (None, "")
            }

        def device(
            iid,
            actor,
            *,
            kind,
            model,
            group=None,
            tag="",
            serial="",
            status="available",
            purchased=None,
            price=None,
            funding="",
            grant=None,
            programme=None,
            notes="",
            action="created",
        ):
            pk = self.ids.one(Device)
            registered = moment(min(purchased + timedelta(days=rng.randint(0, 20)), ANCHOR_DAY))
            if action == "distributed":
                registered = moment(purchased)
            first_status = status
            later = None
            if status != "available" and rng.random() < 0.8:
                # Registered as available; the status changed later.
                first_status = "available"
                later = registered + timedelta(
                    days=rng.randint(1, max(2, (ANCHOR - registered).days))
                )
                later = min(later, ANCHOR)
            values = {
                "kind": kind,
                "model": model,
                "serial_number": serial,
                "asset_tag": tag,
                "group": world.group_name[group] if group else None,
                "status": first_status,
                "purchased_on": purchased.isoformat() if purchased else None,
                "price_ore": price,
                "funding": funding,
                "grant": grant[1] if grant else None,
                "notes": notes,
            }
            changes.append(
                (
                    self.ids.one(DeviceChange),
                    pk,
                    actor,
                    action,
                    json.dumps(history(values)),
                    registered,
                )
            )
            if later is not None:
                changes.append(
                    (
                        self.ids.one(DeviceChange),
                        pk,
                        actor,
                        "changed",
                        json.dumps({"status": [first_status, status]}),
                        later,
                    )
                )
            devices.append(
                (
                    pk,
                    iid,
                    kind,
                    model,
                    serial,
                    tag,
                    group,
                    status,
                    purchased,
                    price,
                    funding,
                    grant[0] if grant else None,
                    programme,
                    notes,
                    registered,
                    later or registered,
                )
            )

        statuses = ["available", "in_use", "in_repair", "lost", "retired"]
        by_municipality: dict[int, list[int]] = defaultdict(list)
        homes_without: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for iid, (mid, kind) in world.institutions.items():
            by_municipality[mid].append(iid)
            actor = world.ambassador_of.get(iid, world.leader_of[iid])
            grant = world.share_grant_of.get(iid)
            counter = {"n": 0}

            def tag(prefix: str, _counter=counter) -> str:
                _counter["n"] += 1
                return "" if rng.random() < 0.15 else f"{prefix}-{_counter['n']:04d}"

            groups = world.groups_of[iid]
            if kind == "childminding":
                for gid in groups:
                    if rng.random() < 0.5:
                        homes_without[mid].append((iid, gid))
                        continue
                    device(
                        iid,
                        actor,
                        kind="tablet",
                        model="iPad Air",
                        group=gid,
                        tag=tag("DP"),
                        purchased=date(2019, 10, 1),
                        price=3_999_00,
                        funding="own_budget",
                        status=rng.choices(statuses, weights=[70, 18, 5, 2, 5])[0],
                        notes="Projekt iPad i dagplejen.",
                    )
            else:
                tablets = max(1, round(world.children_in[iid] / 5))
                weights = [0.0 if rng.random() < 0.08 else rng.uniform(0.8, 1.2) for _ in groups]
                for gid, count in zip(groups, split(tablets, weights), strict=True):
                    for _ in range(count):
                        purchased = ANCHOR_DAY - timedelta(days=rng.randint(30, 6 * 365))
                        by_share = grant is not None and rng.random() < 0.3
                        if by_share:
                            purchased = ANCHOR_DAY - timedelta(days=rng.randint(10, 140))
                        funding = (
                            "development_funds"
                            if by_share
                            else rng.choices(["own_budget", ""], weights=[9, 1])[0]
                        )
                        device(
                            iid,
                            actor,
                            kind="tablet",
                            model=rng.choice(["iPad 9", "iPad 10", "Samsung Galaxy Tab A8"]),
                            group=gid,
                            tag=tag("IP"),
                            serial=f"DMQ{len(devices) + 1:07d}",
                            status=rng.choices(statuses, weights=[70, 18, 5, 2, 5])[0],
                            purchased=purchased,
                            price=rng.choice([2_999, 3_499, 3_999]) * 100,
                            funding=funding,
                            grant=grant if by_share else None,
                        )
                # For the house: PCs, staff phones, a projector, sometimes a whiteboard.
                house = [
                    (
                        "pc",
                        rng.choice(["Lenovo ThinkPad E14", "HP ProBook 450"]),
                        "PC",
                        rng.choice([6_999, 8_499]),
                    )
                    for _ in range(rng.randint(1, 3))
                ]
                house += [
                    ("other", "iPhone SE (personalets telefon)", "TLF", 2_499)
                    for _ in range(rng.randint(1, 2))
                ]
                if rng.random() < 0.6:
                    house.append(("other", "Epson EB-W51 projektor", "PRJ", 4_999))
                if rng.random() < 0.2:
                    house.append(("whiteboard", "SMART Board 6000", "TAV", 24_000))
                for kind_, model, prefix, kroner in house:
                    device(
                        iid,
                        world.leader_of[iid],
                        kind=kind_,
                        model=model,
                        tag=tag(prefix),
                        status=rng.choices(statuses, weights=[75, 12, 5, 2, 6])[0],
                        purchased=ANCHOR_DAY - timedelta(days=rng.randint(30, 5 * 365)),
                        price=kroner * 100,
                        funding="own_budget",
                    )
            # One Wi-Fi site: every daycare had Wi-Fi at the share run.
            coverage = "full" if rng.random() < 0.88 else "partial"
            site = {
                "name": "Legestuen" if kind == "childminding" else "Hovedhuset",
                "address": world.institution_street[iid],
                "coverage": coverage,
                "established_on": date(2013, 8, 1) + timedelta(days=rng.randint(0, 3000)),
                "supplier": rng.choice(["Kommunens it-afdeling", "Net ApS", "Fibia"]),
                "notes": "",
            }
            sid = self.ids.one(WifiSite)
            at = moment(site["established_on"] + timedelta(days=rng.randint(0, 30)))
            sites.append(
                (
                    sid,
                    iid,
                    site["name"],
                    site["address"],
                    coverage,
                    site["established_on"],
                    site["supplier"],
                    "",
                    at,
                )
            )
            initial = {
                name: [None, value.isoformat() if isinstance(value, date) else value]
                for name in WIFI_FIELDS
                if (value := site[name]) not in (None, "")
            }
            site_changes.append((self.ids.one(WifiChange), sid, actor, json.dumps(initial), at))

        # Purchase programmes: the homes without a tablet, most distributed. ----------------
        programmes, lines = [], []
        for mid in world.municipalities:
            homes = homes_without.get(mid)
            if not homes:
                continue
            admin = world.admins_of[mid][0]
            pid = self.ids.one(PurchaseProgramme)
            name = f"{len(homes)} iPads til de resterende dagplejere"
            programmes.append(
                (
                    pid,
                    mid,
                    name,
                    "iPads til de dagplejehjem, der endnu ikke har en.",
                    "tablet",
                    "iPad 10",
                    len(homes),
                    3_499_00,
                    len(homes) * 3_499_00,
                    None,
                    admin,
                    _at(200),
                )
            )
            for iid, gid in homes:
                handed = rng.random() < 0.7
                when = ANCHOR_DAY - timedelta(days=rng.randint(20, 150))
                lines.append(
                    (
                        self.ids.one(ProgrammeLine),
                        pid,
                        gid,
                        1,
                        1 if handed else 0,
                        moment(when) if handed else None,
                    )
                )
                if handed:
                    device(
                        iid,
                        admin,
                        kind="tablet",
                        model="iPad 10",
                        group=gid,
                        purchased=when,
                        price=3_499_00,
                        funding="programme",
                        programme=pid,
                        notes=name,
                        action="distributed",
                    )

        # Suitcases, closures, rotation plans, bookings, waiting lists. -------------------
        suitcases, items, closures, plans, slots, bookings, checks, waits = ([] for _ in range(8))
        participants, plan_suitcases = [], []
        closed: set[date] = set()
        for first, last, _reason in SUITCASE_CLOSURES:
            closed.update(first + timedelta(days=n) for n in range((last - first).days + 1))

        def is_open(day: date) -> bool:
            return day.weekday() < 5 and day not in closed

        def first_open(day: date, limit: date) -> date | None:
            while day <= limit and not is_open(day):
                day += timedelta(days=1)
            return day if day <= limit else None

        def last_open(day: date, limit: date) -> date | None:
            while day >= limit and not is_open(day):
                day -= timedelta(days=1)
            return day if day >= limit else None

        season_start = ANCHOR_DAY - timedelta(days=330)
        season_start += timedelta(days=(7 - season_start.weekday()) % 7)  # a Monday
        turns = 6
        horizon = ANCHOR_DAY + timedelta(days=90)
        for mid in world.municipalities:
            daycares = by_municipality[mid]
            admin = world.admins_of[mid][0]
            houses = [i for i in daycares if world.institutions[i][1] != "childminding"]
            for first, last, reason in SUITCASE_CLOSURES:
                closures.append((self.ids.one(SuitcaseClosure), mid, first, last, reason))
            mine = []
            for s_index in range(min(3 + len(daycares) // 60, 12)):
                name, theme, description, ideas, contents = SUITCASES[s_index % len(SUITCASES)]
                if s_index >= len(SUITCASES):
                    name = f"{name} {s_index // len(SUITCASES) + 1}"
                scid = self.ids.one(Suitcase)
                home = houses[(s_index * 7) % len(houses)] if houses else None
                suitcases.append(
                    (scid, mid, name, theme, description, ideas, home, "active", 2, _at(400))
                )
                contents_ids = []
                for item, quantity in contents:
                    item_id = self.ids.one(SuitcaseItem)
                    items.append((item_id, scid, item, quantity))
                    contents_ids.append((item_id, quantity))
                mine.append((scid, home, contents_ids))
            # The rotation plan: turn t, suitcase s goes to participant (s + t) mod n.
            chosen = rng.sample(daycares, min(len(daycares), max(len(mine), 8)))
            plan = self.ids.one(RotationPlan)
            published = moment(season_start - timedelta(days=21))
            plans.append(
                (
                    plan,
                    mid,
                    f"Kufferter {season_start.year}, første runde",
                    season_start,
                    season_start + timedelta(weeks=4 * turns) - timedelta(days=1),
                    4,
                    "published",
                    published,
                    published,
                    admin,
                    _at(360),
                )
            )
            participants.extend((plan, i) for i in chosen)
            plan_suitcases.extend((plan, s[0]) for s in mine)

            def book(
                scid,
                home,
                contents,
                iid,
                start,
                end,
                *,
                source="request",
                plan_id=None,
                cancelled=False,
                admin=admin,
                published=published,
            ):
                bid = self.ids.one(Booking)
                booker = world.leader_of[iid] if source == "request" else admin
                made = min(moment(start - timedelta(days=rng.randint(10, 60)), 9), ANCHOR)
                if source != "request":
                    made = published
                handler = world.leader_of[home] if home else admin
                status, handed_at, handed_by, returned_on, returned_by = (
                    "booked",
                    None,
                    None,
                    None,
                    None,
                )
                ends, note, flagged = end, "", False
                if cancelled:
                    status = "cancelled"
                elif start <= ANCHOR_DAY:
                    status, handed_at, handed_by = "handed_out", moment(start, 8), handler
                    checks.extend(
                        (self.ids.one(BookingCheck), bid, item, "handover", q, q, 0)
                        for item, q in contents
                    )
                    if end < ANCHOR_DAY:
                        status, returned_on, returned_by = "returned", end, handler
                        if rng.random() < 0.1:
                            early = last_open(end - timedelta(days=1), start)
                            if early is not None:
                                returned_on = ends = early
                        flagged = rng.random() < 0.05
                        for n, (item, q) in enumerate(contents):
                            counted = q - 1 if flagged and n == 0 else q
                            checks.append(
                                (self.ids.one(BookingCheck), bid, item, "return", q, counted, 0)
                            )
                        note = "Der mangler en del." if flagged else ""
                bookings.append(
                    (
                        bid,
                        scid,
                        iid,
                        start,
                        ends,
                        2,
                        end,
                        status,
                        source,
                        plan_id,
                        "",
                        booker,
                        made,
                        handed_at,
                        handed_by,
                        "",
                        returned_on,
                        returned_by,
                        note,
                        flagged,
                        min(made + timedelta(days=3), ANCHOR) if cancelled else None,
                    )
                )
                return bid

            for s_index, (scid, home, contents) in enumerate(mine):
                for turn in range(turns):
                    iid = chosen[(s_index + turn) % len(chosen)]
                    turn_start = season_start + timedelta(weeks=4 * turn)
                    last_day = turn_start + timedelta(weeks=4) - timedelta(days=1 + 2)
                    start = first_open(turn_start, last_day)
                    end = last_open(last_day, turn_start)
                    if start is None or end is None or end < start:
                        continue
                    bid = book(
                        scid, home, contents, iid, start, end, source="rotation", plan_id=plan
                    )
                    slots.append(
                        (self.ids.one(RotationSlot), plan, scid, iid, turn, start, end, bid)
                    )
                # After the season: the daycares book it themselves, a turn at a time.
                free_from = season_start + timedelta(weeks=4 * turns)
                while True:
                    start = free_from + timedelta(weeks=rng.choice([0, 0, 1, 2]))
                    start += timedelta(days=(7 - start.weekday()) % 7)
                    weeks = rng.choice([1, 2, 2, 3, 4])
                    start = first_open(start, start + timedelta(days=6))
                    if start is None:
                        free_from += timedelta(weeks=1)
                        continue
                    if start > horizon:
                        break
                    end = last_open(start + timedelta(weeks=weeks) - timedelta(days=3), start)
                    iid = rng.choice(daycares)
                    cancelled = rng.random() < 0.05
                    book(scid, home, contents, iid, start, end, cancelled=cancelled)
                    if not cancelled:
                        free_from = end + timedelta(days=2 + 1)
                # A short waiting list.
                for iid in rng.sample(daycares, min(len(daycares), rng.randint(0, 2))):
                    waits.append(
                        (
                            self.ids.one(WaitingListEntry),
                            scid,
                            iid,
                            None,
                            None,
                            "Vi vil gerne låne den før sommerferien.",
                            "waiting",
                            None,
                            None,
                            None,
                            None,
                            None,
                            world.leader_of[iid],
                            _at(rng.uniform(1, 40)),
                        )
                    )

        self.copy(
            PurchaseProgramme,
            [
                "id",
                "municipality_id",
                "name",
                "description",
                "device_kind",
                "device_model",
                "units",
                "unit_price_ore",
                "budget_ore",
                "pool_id",
                "created_by_id",
                "created_at",
            ],
            programmes,
        )
        self.copy(
            ProgrammeLine,
            ["id", "programme_id", "group_id", "planned", "distributed", "distributed_at"],
            lines,
        )
        self.copy(
            Device,
            [
                "id",
                "institution_id",
                "kind",
                "model",
                "serial_number",
                "asset_tag",
                "group_id",
                "status",
                "purchased_on",
                "price_ore",
                "funding",
                "grant_id",
                "programme_id",
                "notes",
                "created_at",
                "updated_at",
            ],
            devices,
        )
        self.copy(
            DeviceChange,
            ["id", "device_id", "actor_id", "action", "changes", "created_at"],
            changes,
        )
        self.copy(
            WifiSite,
            [
                "id",
                "institution_id",
                "name",
                "address",
                "coverage",
                "established_on",
                "supplier",
                "notes",
                "updated_at",
            ],
            sites,
        )
        self.copy(WifiChange, ["id", "site_id", "actor_id", "changes", "created_at"], site_changes)
        self.copy(
            Suitcase,
            [
                "id",
                "municipality_id",
                "name",
                "theme",
                "description",
                "ideas",
                "home_base_id",
                "status",
                "handover_days",
                "created_at",
            ],
            suitcases,
        )
        self.copy(SuitcaseItem, ["id", "suitcase_id", "name", "quantity"], items)
        self.copy(
            SuitcaseClosure, ["id", "municipality_id", "starts_on", "ends_on", "reason"], closures
        )
        self.copy(
            RotationPlan,
            [
                "id",
                "municipality_id",
                "name",
                "starts_on",
                "ends_on",
                "weeks_per_turn",
                "status",
                "generated_at",
                "published_at",
                "created_by_id",
                "created_at",
            ],
            plans,
        )
        world.counts["devices.RotationPlan_participants"] += copy_m2m(
            connection, RotationPlan, "participants", participants
        )
        world.counts["devices.RotationPlan_suitcases"] += copy_m2m(
            connection, RotationPlan, "suitcases", plan_suitcases
        )
        self.copy(
            Booking,
            [
                "id",
                "suitcase_id",
                "institution_id",
                "starts_on",
                "ends_on",
                "buffer_days",
                "booked_ends_on",
                "status",
                "source",
                "plan_id",
                "note",
                "created_by_id",
                "created_at",
                "handed_out_at",
                "handed_out_by_id",
                "handover_note",
                "returned_on",
                "returned_by_id",
                "return_note",
                "flagged",
                "cancelled_at",
            ],
            bookings,
        )
        self.copy(
            BookingCheck,
            ["id", "booking_id", "item_id", "stage", "expected", "counted", "broken"],
            checks,
        )
        self.copy(
            RotationSlot,
            [
                "id",
                "plan_id",
                "suitcase_id",
                "institution_id",
                "turn",
                "starts_on",
                "ends_on",
                "booking_id",
            ],
            slots,
        )
        self.copy(
            WaitingListEntry,
            [
                "id",
                "suitcase_id",
                "institution_id",
                "wanted_from",
                "wanted_to",
                "note",
                "status",
                "offered_starts_on",
                "offered_ends_on",
                "offered_at",
                "offer_expires_at",
                "booking_id",
                "created_by_id",
                "created_at",
            ],
            waits,
        )


def generate(scale: Scale | str, *, seed: int = 1, stdout=None, vacuum: bool = True) -> World:
    """Fill the database at `scale`. In one transaction; VACUUM ANALYZE after it."""
    if isinstance(scale, str):
        scale = SCALES[scale]
    generator = Generator(scale, seed=seed, stdout=stdout)
    start = time.perf_counter()
    with transaction.atomic():
        world = generator.run()
        indicators_changed()  # COPY sends no signals
    world.timings["load"] = round(time.perf_counter() - start, 2)
    if vacuum and not connection.in_atomic_block:
        start = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        world.timings["vacuum analyze"] = round(time.perf_counter() - start, 2)
    return world
