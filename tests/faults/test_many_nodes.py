"""The portal as several machines: two gunicorn nodes and two Celery workers on one
PostgreSQL and one Redis (cache and broker) and one media folder (standing in for S3).

Every request of a test goes to the other node than the one before (stricter than a
proxy's round robin): a login, the dashboard's cache, an upload, a PDF report, e-mails
and a scheduled task must all work whichever node answers."""

from __future__ import annotations

import http.client
import io
import re
import secrets
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse
from PIL import Image

from core.models import Notification
from core.tasks import send_digests
from messaging.models import Post
from portal.models import StatusReport
from privacy.notices import notice_read
from tests.accounts.test_login import current_totp_code
from tests.dashboard.helpers import danish, pdf_text
from tests.factories import PASSWORD, ChildFactory, GuardianshipFactory, UserFactory
from tests.messaging.helpers import jpeg

from .http import session_cookie
from .services import Gunicorn, Worker, database_url, wait_until

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]

NODE_SETTINGS = "tests.faults.node_settings"
HOME = reverse("home")
INSIGHT = "messaging.pedagogical_insight"
NO_INSIGHT = "No post with pedagogical insight in the last 30 days."


@dataclass
class Cluster:
    web: list[Gunicorn]
    workers: list[Worker]
    redis: object


@pytest.fixture
def cluster(on_redis, smtp_sink):
    """Two gunicorn nodes and two workers, each a process of its own, sharing one Redis
    (cache and broker), the test database and the media folder."""
    shared = {
        "FAULT_BROKER_URL": on_redis.url,
        "FAULT_SMTP_PORT": str(smtp_sink.port),
        "FAULT_DB_NAME": connection.settings_dict["NAME"],
    }
    web = [
        Gunicorn(
            workers=1,
            threads=4,
            DJANGO_SETTINGS_MODULE=NODE_SETTINGS,
            DATABASE_URL=database_url(connection.settings_dict),
            **shared,
        )
        for _node in "AB"
    ]
    workers = [
        Worker(
            on_redis.url,
            smtp_sink.port,
            settings_module=NODE_SETTINGS,
            LOG_LEVEL="INFO",
            # Production's: a task runs on one worker however long it takes (the fault
            # tests' two seconds hand a long report to the other worker as well).
            FAULT_VISIBILITY_TIMEOUT="3600",
        )
        for _node in "AB"
    ]
    try:
        for worker in workers:
            worker.start()
        with ThreadPoolExecutor(len(web)) as starting:  # both at once: each takes seconds
            list(starting.map(Gunicorn.start, web))
        yield Cluster(web, workers, on_redis)
    finally:
        for node in web:
            node.stop()
        for worker in workers:
            worker.stop()


@dataclass
class Answer:
    node: str
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode(errors="replace")

    @property
    def location(self) -> str:
        return self.headers.get("location", "")


@dataclass
class Rotation:
    """Which node answers next: A, B, A, B... for every browser that shares it."""

    nodes: list[Gunicorn]
    turn: int = 0
    answered_by: list[str] = field(default_factory=list)

    def next(self) -> tuple[str, Gunicorn]:
        index = self.turn % len(self.nodes)
        self.turn += 1
        self.answered_by.append("AB"[index])
        return "AB"[index], self.nodes[index]


@dataclass
class Browser:
    """One person's browser, its requests answered by the node whose turn it is. It keeps
    its cookies like a browser does (they belong to the host, whatever the port)."""

    rotation: Rotation
    cookies: dict[str, str] = field(default_factory=dict)

    def request(self, method: str, path: str, body: bytes = b"", content_type: str = ""):
        name, node = self.rotation.next()
        headers = {"Host": "127.0.0.1"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if content_type:
            headers["Content-Type"] = content_type
        conn = http.client.HTTPConnection("127.0.0.1", node.port, timeout=60)
        try:
            conn.request(method, path, body=body or None, headers=headers)
            response = conn.getresponse()
            data = response.read()
            for header, value in response.getheaders():
                if header.lower() == "set-cookie":
                    for cookie, morsel in SimpleCookie(value).items():
                        if morsel.value and morsel["max-age"] != "0":
                            self.cookies[cookie] = morsel.value
                        else:
                            self.cookies.pop(cookie, None)
            return Answer(
                name, response.status, {k.lower(): v for k, v in response.getheaders()}, data
            )
        finally:
            conn.close()

    def get(self, path: str) -> Answer:
        return self.request("GET", path)

    def form_token(self, path: str) -> str:
        page = self.get(path)
        assert page.status == 200, (path, page.status, page.text[:300])
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        assert match, page.text[:300]
        return match.group(1)

    def post(self, path: str, fields: dict, files: dict | None = None, token: str = "") -> Answer:
        fields = {**fields, "csrfmiddlewaretoken": token or self.cookies["csrftoken"]}
        if not files:
            return self.request(
                "POST",
                path,
                urlencode(fields, doseq=True).encode(),
                "application/x-www-form-urlencoded",
            )
        boundary = secrets.token_hex(16)
        out = io.BytesIO()
        for name, values in fields.items():
            for value in values if isinstance(values, list) else [values]:
                out.write(f"--{boundary}\r\n".encode())
                out.write(f'Content-Disposition: form-data; name="{name}"\r\n\r\n'.encode())
                out.write(f"{value}\r\n".encode())
        for name, (filename, content, content_type) in files.items():
            out.write(f"--{boundary}\r\n".encode())
            out.write(
                f'Content-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                f"Content-Type: {content_type}\r\n\r\n".encode()
            )
            out.write(content + b"\r\n")
        out.write(f"--{boundary}--\r\n".encode())
        return self.request(
            "POST", path, out.getvalue(), f"multipart/form-data; boundary={boundary}"
        )


def logged_in(rotation: Rotation, user) -> Browser:
    name, _, value = session_cookie(user).partition("=")
    return Browser(rotation, cookies={name: value})


def errors(page: str) -> str:
    found = re.search(r'class="alert alert-error error-summary".*?</div>', page, re.S)
    return re.sub(r"<[^>]+>|\s+", " ", found.group(0)) if found else page[:500]


def took_part(worker: Worker, task: str) -> int:
    """How many of `task` the worker ran (its log: "Task <name>[<id>] succeeded")."""
    return len(re.findall(rf"Task {re.escape(task)}\[[\w-]+\] succeeded", worker.output()))


def test_a_login_on_one_node_is_a_session_on_the_other_and_logging_out_ends_it_on_both(
    cluster, world
):
    leader = world.users["leader"]
    notice_read(user=leader, municipality=world.municipality)
    rotation = Rotation(cluster.web)
    browser = Browser(rotation)

    token = browser.form_token(reverse("account_login"))  # A
    password = browser.post(  # B: the token node A gave
        reverse("account_login"), {"login": leader.email, "password": PASSWORD}, token=token
    )
    assert password.status == 302, password.text[:500]
    assert password.location.startswith(reverse("mfa_authenticate"))
    token = browser.form_token(reverse("mfa_authenticate"))  # A
    code = browser.post(reverse("mfa_authenticate"), {"code": current_totp_code()}, token=token)
    assert code.status == 302, code.text[:500]  # B

    home = [browser.get(HOME), browser.get(HOME)]
    assert [(a.node, a.status) for a in home] == [("A", 200), ("B", 200)]
    assert all(leader.name in a.text for a in home)
    session = browser.cookies[settings.SESSION_COOKIE_NAME]

    token = browser.form_token(reverse("account_logout"))  # A
    out = browser.post(reverse("account_logout"), {}, token=token)  # B
    assert out.status == 302, out.text[:500]

    # The copy of the session cookie a shared computer kept is let in by neither node.
    kept = Browser(rotation, cookies={settings.SESSION_COOKIE_NAME: session})
    after = [kept.get(HOME), kept.get(HOME)]
    assert [(a.node, a.status) for a in after] == [("A", 302), ("B", 302)]
    assert all(a.location.startswith(reverse("account_login")) for a in after)
    assert rotation.answered_by == ["A", "B"] * 5


def test_a_post_with_a_photo_on_one_node_shows_on_the_others_dashboard_and_mails_each_family_once(
    cluster, world, mailbox
):
    koege, daycare, room = world.municipality, world.institution, world.objects["room"]
    # A room of families: one e-mail each, sent by whichever worker takes it.
    guardians = [world.users["guardian"]]
    for number in range(11):
        child = ChildFactory(group=room, first_name=f"Barn{number}")
        guardians.append(
            GuardianshipFactory(
                child=child, guardian=UserFactory(email=f"forælder{number}@example.org")
            ).guardian
        )
    rotation = Rotation(cluster.web)
    staff = logged_in(rotation, world.users["staff"])
    consultant = logged_in(rotation, world.users["consultant"])
    drill_down = reverse("indicators:indicator", args=[koege.pk, INSIGHT])

    token = staff.form_token(reverse("messaging:post_create", args=[daycare.pk]))  # A
    before = consultant.get(drill_down)  # B: evaluates and caches in Redis
    assert before.status == 200
    assert danish(NO_INSIGHT) in before.text
    assert [k for k in cluster.redis.client().keys("portal:*") if b"matrix" in k]

    photo = jpeg(width=1200, height=800)
    created = staff.post(  # A: the write and the upload
        reverse("messaging:post_create", args=[daycare.pk]),
        {
            "audience": "groups",
            "groups": [room.pk],
            "kind": "insight",
            "themes": ["nature"],
            "title": "Blade i skoven",
            "body": "Vi samler blade.",
            "image_description": "Børn samler blade",
            "pictured": [world.objects["child"].pk],
        },
        files={
            "image": ("blade.jpg", photo.read(), "image/jpeg"),
            "files": ("madplan.pdf", b"%PDF-1.4\n% madplan\n", "application/pdf"),
        },
        token=token,
    )
    assert (created.node, created.status) == ("A", 302), errors(created.text)
    post = Post.objects.get()
    # A worker publishes it (messaging.publish_post); the save moves the cache's version on.
    assert wait_until(lambda: Post.objects.filter(published_at__isnull=False).exists(), 60)

    after = consultant.get(drill_down)  # B: the new state at once, not the cached one
    assert after.status == 200
    evidence = danish("%(count)d posts with pedagogical insight in the last 30 days") % {"count": 1}
    assert evidence in after.text
    assert after.text.count(danish(NO_INSIGHT)) == before.text.count(danish(NO_INSIGHT)) - 1

    page = staff.get(reverse("messaging:post", args=[post.pk]))  # A
    assert page.status == 200 and "Blade i skoven" in page.text
    image_url = re.search(r"/opslag/foto/\d+/[\w-]+/", page.text).group(0)
    file_url = reverse("messaging:post_file", args=[post.attachments.get().pk])
    image, attachment = staff.get(image_url), staff.get(file_url)  # B, A
    assert (image.node, image.status) == ("B", 200)
    assert Image.open(io.BytesIO(image.body)).format == "JPEG"
    assert (attachment.node, attachment.status) == ("A", 200)
    assert attachment.body == b"%PDF-1.4\n% madplan\n"
    assert rotation.answered_by == ["A", "B"] * 3 + ["A"]

    # Each family is told once, by the two workers between them.
    addresses = sorted(g.email for g in guardians)
    mailbox.wait_for(len(addresses), timeout=60)
    time.sleep(3)
    received = sorted(m["To"] for m in mailbox.messages)
    assert received == addresses, [w.output()[-2000:] for w in cluster.workers]
    sent = [took_part(w, "messaging.send_notification_email") for w in cluster.workers]
    assert sum(sent) == len(addresses) and all(sent), sent


def test_a_report_asked_for_on_one_node_is_made_by_a_worker_and_downloaded_from_the_other(
    cluster, world
):
    rotation = Rotation(cluster.web)
    leader = logged_in(rotation, world.users["leader"])
    daycare = world.institution

    token = leader.form_token(reverse("reports:institution", args=[daycare.pk]))  # A
    asked = leader.post(reverse("reports:institution_request", args=[daycare.pk]), {}, token=token)
    assert asked.status == 302, asked.text[:500]
    report = StatusReport.objects.get()
    status = reverse("reports:status", args=[report.pk])
    download = reverse("reports:download", args=[report.pk])

    assert wait_until(lambda: download in leader.get(status).text, timeout=90), [
        w.output()[-2000:] for w in cluster.workers
    ]
    if rotation.turn % 2 == 0:
        leader.get(status)  # the download goes to the other node than the one asked
    pdf = leader.get(download)
    assert pdf.node == "B"
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    assert daycare.name in pdf_text(pdf.body)
    made = [took_part(w, "portal.make_status_report") for w in cluster.workers]
    assert sorted(made) == [0, 1]


def test_a_scheduled_task_sent_by_two_beats_at_once_sends_each_digest_once(cluster, world, mailbox):
    """Production runs one beat. Were a second one started by mistake, both would send
    the same tick's task: each worker runs one, and still nobody gets two digests."""
    people = [UserFactory(email=f"modtager{n}@example.org") for n in range(8)]
    for person in people:
        for number in range(2):
            Notification.objects.create(
                recipient=person,
                key=f"nyhed-{number}",
                kind="tests.greeting",
                subject=f"Nyhed {number}",
                body="Der er nyt.",
                send_email=True,
                email_digest=True,
            )

    for _beat in range(2):
        send_digests.apply_async()

    mailbox.wait_for(len(people), timeout=60)
    time.sleep(4)
    received = sorted(m["To"] for m in mailbox.messages)
    assert received == sorted(p.email for p in people), [
        w.output()[-2000:] for w in cluster.workers
    ]
    # Each worker ran one of the two ticks, and each queued a digest for everyone: the
    # second digest of each person found the first sent (DigestEmail) and sent nothing.
    ticks = [took_part(w, "messaging.send_digests") for w in cluster.workers]
    assert ticks == [1, 1], [w.output()[-2000:] for w in cluster.workers]
    digests = sum(took_part(w, "messaging.send_digest") for w in cluster.workers)
    assert digests == 2 * len(people)
    assert not Notification.objects.filter(emailed_at=None).exists()
