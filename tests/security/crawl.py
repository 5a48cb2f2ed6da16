"""Every role walks the portal as a person would: it opens every page the authorization
matrix lets it open, then follows every internal link, picture, fragment and search form
on those pages, and presses every button (posts every form) on them. Each GET runs in a
savepoint that is rolled back, with the rows it wrote counted; each POST runs in one too,
logged in afresh, so pressing a button (log out, switch language, mark as read) changes
nothing for the pages after it.

A page is read for links once per role and page type (URL pattern), and of its links one
per page type they lead to is followed: of a list's fifty children the first is opened.
One id per URL pattern keeps the walk of all roles to a minute or two."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from django.db import connection, transaction
from django.db.models import Max
from django.test import Client
from django.urls import Resolver404, resolve

from core.models import AuditEntry
from tests.conftest import ROLES
from tests.security.discovery import HTMX, MATRIX, PAGES, UNCOUNTED
from tests.security.forms import attributes

HOST = "testserver"
# Paths that are not pages of the portal: the design system's files.
SKIPPED_PREFIXES = ("/static/",)
REDIRECTS = (301, 302, 303, 307, 308)


@dataclass
class Target:
    """Somewhere a page sends the person: GET a link, GET a fragment, or POST a form."""

    method: str  # get, post
    path: str  # path and query
    htmx: bool = False
    data: dict[str, str] = field(default_factory=dict)


class _LinkParser(HTMLParser):
    def __init__(self, page_path: str):
        super().__init__(convert_charrefs=True)
        self.page_path = page_path
        self.targets: list[Target] = []
        self._form: Target | None = None

    def _url(self, url: str | None) -> str | None:
        """The path and query of an internal URL, or None for anything else."""
        if url is None:
            return None
        url = url.strip()
        if not url or url.startswith(("#", "mailto:", "tel:", "javascript:", "data:")):
            return None
        parts = urlsplit(urljoin("http://" + HOST + self.page_path, url))
        if parts.scheme not in ("http", "https") or parts.netloc != HOST:
            return None
        if parts.path.startswith(SKIPPED_PREFIXES):
            return None
        return parts.path + (f"?{parts.query}" if parts.query else "")

    def handle_starttag(self, tag, attrs):
        a = attributes(attrs)
        if tag in ("a", "area") and (path := self._url(a.get("href"))):
            self.targets.append(Target("get", path))
        media = tag in ("img", "audio", "video", "source", "track")
        if media and (path := self._url(a.get("src"))):
            self.targets.append(Target("get", path))
        if (path := self._url(a.get("hx-get"))) and tag != "form":
            self.targets.append(Target("get", path, htmx=True))
        if tag == "form":
            method = (a.get("method") or "get").lower()
            action = a.get("hx-post") or a.get("action") or self.page_path
            path = self._url(action)
            if path is None:
                self._form = None
                return
            self._form = Target(method, path, htmx=bool(a.get("hx-post")))
            self.targets.append(self._form)
        elif tag != "form" and (path := self._url(a.get("hx-post"))):
            self.targets.append(Target("post", path, htmx=True))
        if self._form is None or not a.get("name"):
            return
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "reset", "image", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self._form.data.setdefault(a["name"], a.get("value") or "")
        elif tag == "select":
            self._form.data.setdefault(a["name"], "")

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None


def targets_on(html: str, page_path: str) -> list[Target]:
    parser = _LinkParser(page_path)
    parser.feed(html)
    return parser.targets


def page_type(path: str) -> str:
    """The URL pattern's name: one page type, whatever its ids and query."""
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return urlsplit(path).path
    return match.view_name


@dataclass
class Visit:
    role: str
    method: str
    path: str
    htmx: bool
    status: int  # after following redirects inside the portal
    content_type: str
    found_on: str  # the page the link is on ("" for a page of the matrix)
    writes: dict[str, int] = field(default_factory=dict)  # rows a GET wrote, per table
    audited: list[str] = field(default_factory=list)  # the actions of its audit entries
    html: str = ""  # kept for full pages and fragments read for links


@dataclass
class Crawl:
    visits: list[Visit] = field(default_factory=list)

    def gets(self) -> list[Visit]:
        return [v for v in self.visits if v.method == "get"]

    def posts(self) -> list[Visit]:
        return [v for v in self.visits if v.method == "post"]

    def pages(self) -> list[Visit]:
        return [v for v in self.visits if v.html]


def _counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_xact_user_tables "
            "WHERE relname <> ALL(%s)",
            [list(UNCOUNTED)],
        )
        return dict(cursor.fetchall())


def _written(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    return {t: n - before.get(t, 0) for t, n in after.items() if n != before.get(t, 0)}


def _last_audit_entry() -> int:
    return AuditEntry.objects.aggregate(last=Max("pk"))["last"] or 0


class _Walker:
    def __init__(self, role: str, user, crawl: Crawl):
        self.role = role
        self.user = user
        self.crawl = crawl
        self.client = Client()
        if self.user is not None:
            self.client.force_login(self.user)
        self.seen: set[tuple[str, str, bool]] = set()
        self.read_types: set[tuple[str, str, bool]] = set()
        self.tried_types: set[tuple[str, str, bool]] = set()
        self.queue: list[tuple[Target, str]] = []

    def _get(self, target: Target) -> tuple[int, str, str, dict[str, int], list[str]]:
        """GET, following redirects inside the portal; rolled back, writes counted."""
        path, headers = target.path, (HTMX if target.htmx else {})
        before, last_entry = _counts(), _last_audit_entry()
        with transaction.atomic():
            for _hop in range(4):
                response = self.client.get(path, **headers)
                location = response.get("Location", "")
                if response.status_code not in REDIRECTS or not location:
                    break
                parts = urlsplit(urljoin("http://" + HOST + path, location))
                if parts.netloc != HOST:
                    break
                path = parts.path + (f"?{parts.query}" if parts.query else "")
            html = ""
            if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
                html = response.content.decode()
            writes = _written(before, _counts())
            audited = []
            if writes.get(AuditEntry._meta.db_table):
                audited = list(
                    AuditEntry.objects.filter(pk__gt=last_entry).values_list("action", flat=True)
                )
            transaction.set_rollback(True)
        return response.status_code, response.get("Content-Type", ""), html, writes, audited

    def _post(self, target: Target) -> tuple[int, str]:
        client = Client()
        with transaction.atomic():
            if self.user is not None:
                client.force_login(self.user)
            response = client.post(target.path, target.data, **(HTMX if target.htmx else {}))
            transaction.set_rollback(True)
        return response.status_code, response.get("Content-Type", "")

    def visit(self, target: Target, found_on: str) -> None:
        key = (target.method, target.path, target.htmx)
        kind = (target.method, page_type(target.path), target.htmx)
        # Pages of the matrix are all opened; of the links, one per page type.
        if key in self.seen or (found_on and kind in self.tried_types):
            return
        self.seen.add(key)
        if found_on:
            self.tried_types.add(kind)
        if target.method == "post":
            status, content_type = self._post(target)
            self.crawl.visits.append(
                Visit(self.role, "post", target.path, target.htmx, status, content_type, found_on)
            )
            return
        status, content_type, html, writes, audited = self._get(target)
        read = bool(html) and kind not in self.read_types
        if read:
            self.read_types.add(kind)
            for found in targets_on(html, target.path):
                self.queue.append((found, target.path))
        self.crawl.visits.append(
            Visit(
                self.role,
                "get",
                target.path,
                target.htmx,
                status,
                content_type,
                found_on,
                writes,
                audited,
                html if read else "",
            )
        )

    def walk(self, starts: list[str]) -> None:
        self.queue = [(Target("get", path), "") for path in starts]
        while self.queue:
            target, found_on = self.queue.pop(0)
            self.visit(target, found_on)


def matrix_starts(world, role: str) -> list[str]:
    """The pages the authorization matrix lets `role` open."""
    return [MATRIX[n].path(world) for n in PAGES if MATRIX[n].expected[role] == 200]


def crawl(world, roles=ROLES) -> Crawl:
    """Every role of the matrix world, from every page the matrix lets it open."""
    result = Crawl()
    for role in roles:
        _Walker(role, world.user(role), result).walk(matrix_starts(world, role))
    return result
