"""What the load test asks for: the pages, the URLs of each and who asks.

Targets are picked from the generated database in a fixed way (every k-th row), in the
largest municipality where a page belongs to one. Each person gets a real session,
written as the login view would write it (and marked as two-factor authenticated, which
the TOTP step would do for leaders and administrators), so the pages are measured as
their users see them.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.db import connection
from django.urls import NoReverseMatch, reverse

PER_PAGE = 40
SEARCH_WORDS = ["tablet", "robot", "mikroskop", "lydbøger", "film", "eventyr"]


@dataclass
class Page:
    name: str
    label: str
    # (url, user id or None for anonymous)
    requests: list[tuple[str, int | None]] = field(default_factory=list)
    note: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


def _ids(sql: str, params=(), limit: int = PER_PAGE) -> list:
    """Up to `limit` rows of `sql` spread evenly over all its rows (deterministic)."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if len(rows) <= limit:
        return rows
    step = len(rows) / limit
    return [rows[int(i * step)] for i in range(limit)]


def _url(name: str, *args) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def largest_municipality() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT municipality_id FROM institutions_institution GROUP BY municipality_id "
            "ORDER BY count(*) DESC, municipality_id LIMIT 1"
        )
        return cursor.fetchone()[0]


def pick_pages() -> list[Page]:
    municipality = largest_municipality()
    pages = [Page("login", "Login page", [(reverse("account_login"), None)])]

    guardians = [
        row[0]
        for row in _ids(
            "SELECT DISTINCT guardian_id FROM messaging_postdelivery ORDER BY guardian_id"
        )
    ]
    pages.append(
        Page(
            "baseline",
            "Baseline: base layout, logged in",
            [("/bench/baseline/", g) for g in guardians],
        )
    )
    pages.append(Page("feed", "Guardian feed", [(reverse("messaging:feed"), g) for g in guardians]))
    with_threads = _ids("SELECT DISTINCT guardian_id FROM messaging_thread ORDER BY guardian_id")
    pages.append(
        Page("inbox", "Guardian inbox", [(reverse("messaging:inbox"), g) for (g,) in with_threads])
    )
    threads = _ids("SELECT id, guardian_id FROM messaging_thread ORDER BY id")
    pages.append(
        Page(
            "thread",
            "One thread (guardian)",
            [(reverse("messaging:thread", args=[t]), g) for t, g in threads],
        )
    )
    leaders = _ids(
        "SELECT m.institution_id, m.user_id FROM institutions_membership m "
        "JOIN institutions_institution i ON i.id = m.institution_id "
        "WHERE m.role = 'leader' AND i.municipality_id = %s ORDER BY m.institution_id",
        [municipality],
    )
    pages.append(
        Page(
            "goal_board",
            "Leader's goal board",
            [(reverse("goals:board", args=[i]), u) for i, u in leaders],
        )
    )
    pages.extend(_devices_pages(municipality, leaders))
    admins = [
        row[0]
        for row in _ids(
            "SELECT user_id FROM institutions_municipalrole WHERE municipality_id = %s "
            "AND role = 'administrator' ORDER BY user_id",
            [municipality],
        )
    ]
    pools = [
        row[0]
        for row in _ids(
            "SELECT id FROM grants_pool WHERE municipality_id = %s ORDER BY id", [municipality]
        )
    ]
    pages.append(
        Page(
            "grant_pool",
            "Grant pool (administrator)",
            [(reverse("grants:pool", args=[p]), a) for p in pools for a in admins],
            note="The municipality's applied-for and formula pools.",
        )
    )
    dashboard = _url("indicators:municipality", municipality)
    pages.append(
        Page(
            "dashboard",
            "Municipality dashboard",
            [(dashboard, a) for a in admins] if dashboard else [],
            note=f"{_count_daycares(municipality)} daycares",
        )
    )
    staff = [row[1] for row in leaders]
    search = reverse("competence:posts", args=[municipality])
    pages.append(
        Page(
            "search",
            "Knowledge-sharing search",
            [(f"{search}?q={w}", u) for w in SEARCH_WORDS for u in staff[:8]],
        )
    )
    return pages


def _count_daycares(municipality: int) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM institutions_institution WHERE municipality_id = %s "
            "AND kind IN ('nursery', 'kindergarten', 'integrated', 'childminding')",
            [municipality],
        )
        return cursor.fetchone()[0]


def _devices_pages(municipality: int, leaders: list) -> list[Page]:
    """A leader's inventory of their own daycare, and a suitcase's calendar for the month
    of ANCHOR (the generated year's bookings are around it) seen by leaders, who may book."""
    from .generate import ANCHOR_DAY

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*)::float / greatest(count(DISTINCT d.institution_id), 1) "
            "FROM devices_device d JOIN institutions_institution i ON i.id = d.institution_id "
            "WHERE i.municipality_id = %s",
            [municipality],
        )
        per_daycare = cursor.fetchone()[0]
    suitcases = _ids(
        "SELECT id FROM devices_suitcase WHERE municipality_id = %s ORDER BY id", [municipality]
    )
    month = ANCHOR_DAY.strftime("%Y-%m")
    bookers = [u for _i, u in leaders[:8]]
    return [
        Page(
            "devices_list",
            "Devices list (leader)",
            [(reverse("devices:institution", args=[i]), u) for i, u in leaders],
            note=f"{per_daycare:.0f} devices per daycare",
        ),
        Page(
            "suitcase_calendar",
            "Suitcase calendar (leader)",
            [
                (f"{reverse('devices:suitcase_calendar', args=[s])}?maaned={month}", u)
                for (s,) in suitcases
                for u in bookers
            ],
            note=f"{len(suitcases)} suitcases, the month of {month}",
        ),
    ]


def make_sessions(user_ids: set[int]) -> dict[int, str]:
    """A logged-in session per user, as after a password and TOTP login."""
    from importlib import import_module

    from django.conf import settings

    from accounts.middleware import LAST_SEEN_KEY, TWO_FACTOR_OK_KEY
    from accounts.models import User

    store = import_module(settings.SESSION_ENGINE).SessionStore
    keys = {}
    for user in User.objects.filter(pk__in=user_ids):
        session = store()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session[TWO_FACTOR_OK_KEY] = True
        session[LAST_SEEN_KEY] = int(time.time())
        session.create()
        keys[user.pk] = session.session_key
    return keys


def targets() -> dict:
    """Every page with its requests as (url, session key or None)."""
    pages = pick_pages()
    users = {u for page in pages for _url, u in page.requests if u is not None}
    sessions = make_sessions(users)
    return {
        "pages": [
            {
                "name": page.name,
                "label": page.label,
                "note": page.note,
                "requests": [(url, sessions.get(u) if u else None) for url, u in page.requests],
            }
            for page in pages
        ]
    }
