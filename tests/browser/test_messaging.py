"""Done means, in a real browser: a pedagogue posts to a room with a photo; a guardian
reads it at home and starts a conversation; a colleague answers from the shared inbox; the
guardian's e-mail arrives at the SMTP server once; the guardian, with one child in a
kindergarten and one in an after-school club, sees both in one feed and one inbox."""

from __future__ import annotations

import io
import re
import time
from urllib.parse import urlsplit

import pytest
from PIL import Image

from core.models import Notification
from institutions.models import Child
from messaging.models import Post, PostDelivery, Thread
from portal import demo
from tests.browser.conftest import check_accessibility, log_in
from tests.smtp import body_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PEDAGOGUE = "paedagog@koege.example"
COLLEAGUE = "medhjaelper@koege.example"  # Nanna Friis, staff in the same daycare
PARENT = "foraelder@koege.example"
LEADER = "leder@koege.example"
TITLE = "Vi bygger huler i skoven"
SUBJECT = "Spørgsmål om hulerne"


@pytest.fixture
def seeded(live_server, settings):
    settings.PORTAL_BASE_URL = live_server.url
    demo.seed()
    return live_server


@pytest.fixture
def photo(tmp_path):
    path = tmp_path / "huler.jpg"
    image = Image.new("RGB", (1600, 1200), (60, 120, 40))
    out = io.BytesIO()
    image.save(out, format="JPEG")
    path.write_bytes(out.getvalue())
    return path


def wait_for(condition, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def to_parent(mailbox, subject: str) -> list:
    # A long encoded subject is folded onto a second header line: compare the words.
    return [m for m in mailbox.messages if m["To"] == PARENT and m["Subject"].strip() == subject]


def test_post_read_thread_answered_from_the_shared_inbox_and_one_email(
    seeded, new_context, mailbox, photo
):
    alma = Child.objects.select_related("group__institution").get(
        first_name="Alma", last_name="Dahl"
    )
    room, daycare = alma.group, alma.group.institution

    # The pedagogue posts to Alma's room with a photo of Alma (her guardian consented).
    staff = new_context(bypass_csp=True).new_page()
    log_in(staff, PEDAGOGUE, two_factor=False)
    check_accessibility(staff)
    staff.locator(f"main a.card[href='/institutioner/{daycare.pk}/opslag/']").click()
    staff.wait_for_url(f"**/institutioner/{daycare.pk}/opslag/")
    check_accessibility(staff)
    staff.locator("main a[href$='/opslag/nyt/']").click()
    staff.wait_for_url("**/opslag/nyt/")
    check_accessibility(staff)
    staff.get_by_label("Udvalgte grupper").check()
    staff.locator(f"input[name=groups][value='{room.pk}']").check()
    staff.get_by_label("Indblik i vores pædagogiske arbejde").check()
    staff.get_by_label("Natur, udeliv og science").check()
    staff.fill("#id_title", TITLE)
    staff.fill("#id_body", "Børnene bygger huler af grene.\n\nDe øver samarbejde og sprog.")
    staff.set_input_files("#id_image", str(photo))
    staff.fill("#id_image_description", "Børn bygger en hule af grene")
    # Who is in the photo is a required step: mark the children, or say there are none.
    staff.locator(f"input[name=pictured][value='{alma.pk}']").check()
    assert not staff.get_by_label("Ingen børn på fotoet").is_checked()
    staff.locator("main form .button-primary[type=submit]").click()
    post = None

    def published():
        nonlocal post
        post = Post.objects.filter(title=TITLE, published_at__isnull=False).first()
        return post is not None

    assert wait_for(published)
    staff.wait_for_url(f"**/opslag/{post.pk}/")
    assert staff.locator(".alert-success").is_visible()
    check_accessibility(staff)
    assert list(post.images.get().pictured.all()) == [alma]

    # The guardian reads it at home: one feed with the daycare's and the SFO's posts.
    parent = new_context(bypass_csp=True).new_page()
    log_in(parent, PARENT, two_factor=False)
    parent.locator("header nav.nav").get_by_role("link", name="Nyheder").click()
    parent.wait_for_url("**/opslag/")
    check_accessibility(parent)
    feed = parent.locator("main")
    assert feed.get_by_role("heading", name=TITLE).is_visible()
    assert feed.get_by_role("heading", name="Husk regntøj til fredagens tur").is_visible()
    assert "SFO Ellebæk" in feed.inner_text() and daycare.name in feed.inner_text()
    thumbnail = feed.get_by_role("img", name="Børn bygger en hule af grene")
    assert thumbnail.evaluate("img => img.complete && img.naturalWidth > 0")
    feed.get_by_role("link", name=TITLE).click()
    parent.wait_for_url(f"**/opslag/{post.pk}/")
    check_accessibility(parent)
    assert "De øver samarbejde og sprog." in parent.locator("main").inner_text()
    assert PostDelivery.objects.get(post=post, guardian__email=PARENT).read_at is not None

    # ... and starts a conversation with the staff of Alma's room.
    parent.locator("header nav.nav").get_by_role("link", name="Beskeder").click()
    parent.wait_for_url("**/beskeder/")
    check_accessibility(parent)
    inbox = parent.locator("main").inner_text()
    assert "SFO Ellebæk" in inbox and daycare.name in inbox  # one inbox for both children
    parent.locator("main a[href='/beskeder/ny/']").click()
    parent.wait_for_url("**/beskeder/ny/")
    check_accessibility(parent)
    parent.select_option("#id_child", str(alma.pk))
    parent.get_by_label("Personalet i gruppen").check()
    parent.fill("#id_subject", SUBJECT)
    parent.fill("#id_body", "Skal Alma have ekstra tøj med til skovturen?")
    parent.locator("main form .button-primary[type=submit]").click()
    parent.wait_for_url(re.compile(r"/beskeder/\d+/$"))
    thread = Thread.objects.get(subject=SUBJECT)
    assert (thread.institution, thread.group) == (daycare, room)
    check_accessibility(parent)

    # A colleague answers from the shared inbox.
    colleague = new_context(bypass_csp=True).new_page()
    log_in(colleague, COLLEAGUE, two_factor=False)
    colleague.locator(f"main a.card[href='/institutioner/{daycare.pk}/beskeder/']").click()
    colleague.wait_for_url(f"**/institutioner/{daycare.pk}/beskeder/")
    check_accessibility(colleague)
    row = colleague.locator("main tr", has_text=SUBJECT)
    assert "Venter på svar" in row.inner_text()
    row.get_by_role("link", name=SUBJECT).click()
    colleague.wait_for_url(f"**/beskeder/{thread.pk}/")
    check_accessibility(colleague)
    colleague.fill("#id_body", "Ja, gerne et ekstra par strømper. Hilsen Nanna")
    colleague.locator("main form .button-primary[type=submit]").click()
    colleague.wait_for_url(f"**/beskeder/{thread.pk}/")
    colleague.goto(f"/institutioner/{daycare.pk}/beskeder/")
    assert "Besvaret af Nanna Friis" in colleague.locator("main tr", has_text=SUBJECT).inner_text()
    check_accessibility(colleague)

    # The guardian's e-mail about the answer arrives once, with the link to the thread.
    answer_subject = f"Ny besked: {SUBJECT}"
    assert wait_for(lambda: to_parent(mailbox, answer_subject))
    time.sleep(1)
    (answer,) = to_parent(mailbox, answer_subject)
    text = body_text(answer)
    assert "Nanna Friis" in text and "ekstra par strømper" in text
    assert f"{seeded.url}/beskeder/{thread.pk}/" in text
    # So did the e-mail about the post, once.
    assert len(to_parent(mailbox, f"{TITLE} ({daycare.name})")) == 1

    # The guardian opens the link and reads the answer.
    parent.goto(f"/beskeder/{thread.pk}/")
    assert "ekstra par strømper" in parent.locator("main").inner_text()
    check_accessibility(parent)


def test_a_guardian_cannot_open_another_familys_thread_or_another_groups_post(seeded, page):
    parent_threads = Thread.objects.filter(guardian__email=PARENT)
    other_thread = Thread.objects.exclude(guardian__email=PARENT).first()
    other_post = (
        Post.objects.filter(title__startswith="Forældremøde i")
        .exclude(deliveries__guardian__email=PARENT)
        .first()
    )
    assert parent_threads.exists() and other_thread and other_post
    log_in(page, PARENT, two_factor=False)

    for path in (f"/beskeder/{other_thread.pk}/", f"/opslag/{other_post.pk}/"):
        response = page.goto(path)
        assert response.status == 404, path
        check_accessibility(page)


def test_a_notification_pressed_in_the_list_is_read_and_leads_to_what_it_is_about(seeded, page):
    log_in(page, LEADER, two_factor=True)
    page.goto("/notifikationer/")
    check_accessibility(page)
    entry = page.locator(".notification-list form").first
    pk = int(entry.get_attribute("action").rstrip("/").rsplit("/", 1)[1])
    notification = Notification.objects.get(pk=pk)
    assert notification.read_at is None and notification.url

    entry.get_by_role("button").click()
    page.wait_for_url(lambda url: urlsplit(url).path == urlsplit(notification.url).path)
    notification.refresh_from_db()
    assert notification.read_at is not None
