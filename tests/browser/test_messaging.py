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
from tests.browser.conftest import check_accessibility, log_in, problems_of
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
    # The text in the editor (the text area is its fallback without script).
    assert staff.locator("#id_body").is_hidden()
    staff.locator(".editor-area").click()
    staff.keyboard.type("Børnene bygger huler af grene.")
    staff.keyboard.press("Enter")
    staff.keyboard.type("De øver samarbejde og sprog.")
    staff.set_input_files("#id_image", str(photo))
    staff.fill("#id_image_description", "Børn bygger en hule af grene")
    # Who is in the photo is a required step: mark the children, or say there are none.
    # They are listed by group, beside the photo chosen.
    preview = staff.locator("figure.pictured-preview img")
    assert preview.is_visible() and preview.evaluate("img => img.naturalWidth") == 1600
    staff.locator(".pictured-group summary", has_text=room.name).click()
    staff.locator(f"input[name=pictured][value='{alma.pk}']").check()
    assert "1 valgt" in staff.locator(".pictured-group", has_text=room.name).inner_text()
    assert not staff.get_by_label("Ingen børn på fotoet").is_checked()
    staff.locator("main form .button-primary[type=submit]").click()
    post = None

    def published():
        nonlocal post
        post = Post.objects.filter(title=TITLE, published_at__isnull=False).first()
        return post is not None

    assert wait_for(published)
    staff.wait_for_url(f"**/opslag/{post.pk}/")
    # Published while the pedagogue waited: told so, not 'when it is published'.
    assert staff.locator(".alert-success").inner_text().strip() == (
        "Opslaget er offentliggjort. Familierne kan se det nu."
    )
    check_accessibility(staff)
    assert list(post.images.get().pictured.all()) == [alma]
    assert post.body == "<p>Børnene bygger huler af grene.</p><p>De øver samarbejde og sprog.</p>"

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
    row = colleague.locator("main .thread-item", has_text=SUBJECT)
    assert "Venter på svar" in row.inner_text()
    row.get_by_role("link", name=SUBJECT).click()
    colleague.wait_for_url(f"**/beskeder/{thread.pk}/")
    check_accessibility(colleague)
    colleague.fill("#id_body", "Ja, gerne et ekstra par strømper. Hilsen Nanna")
    colleague.locator("main form .button-primary[type=submit]").click()
    colleague.wait_for_url(f"**/beskeder/{thread.pk}/")
    colleague.goto(f"/institutioner/{daycare.pk}/beskeder/")
    answered = colleague.locator("main .thread-item", has_text=SUBJECT).inner_text()
    assert "Besvaret af Nanna Friis" in answered
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


def test_a_parent_on_a_phone_sees_whether_the_staff_answered(seeded, page):
    """At 375 px the inbox is a list of cards: the status of each conversation is on the
    screen, and no page of the family's daily round scrolls sideways."""
    page.set_viewport_size({"width": 375, "height": 667})
    log_in(page, PARENT, two_factor=False)
    page.locator("header button.js-menu-open").click()
    page.locator(".mobile-drawer").get_by_role("link", name="Beskeder").click()
    page.wait_for_url("**/beskeder/")
    answered = Thread.objects.get(guardian__email=PARENT, answered_by__isnull=False)
    waiting = Thread.objects.get(guardian__email=PARENT, awaiting_staff=True)
    for thread, status in (
        (answered, f"Besvaret af {answered.answered_by.name}"),
        (waiting, "Venter på svar"),
    ):
        text = page.locator("main .thread-item", has_text=thread.subject).get_by_text(status)
        assert text.is_visible()
        box = text.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 375, (status, box)
    for path in ("/beskeder/", "/opslag/", f"/beskeder/{answered.pk}/", "/fotosamtykke/", "/"):
        page.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, path
        check_accessibility(page)


def new_post_form(page) -> Child:
    alma = Child.objects.select_related("group__institution").get(
        first_name="Alma", last_name="Dahl"
    )
    log_in(page, PEDAGOGUE, two_factor=False)
    page.goto(f"/institutioner/{alma.group.institution_id}/opslag/nyt/")
    page.get_by_label("Hele institutionen").check()
    page.get_by_label("Praktisk information").check()
    return alma


def test_a_pedagogue_formats_a_post_with_the_keyboard_under_the_strict_policy(seeded, strict_page):
    """Bold, a list and a link from the editor's labelled buttons, by keyboard alone,
    with the portal's Content-Security-Policy in force; the server keeps them."""
    page = strict_page
    new_post_form(page)
    toolbar = page.get_by_role("toolbar", name="Tekstens formatering")
    for name in ("Fed", "Kursiv", "Punktopstilling", "Nummereret liste", "Link"):
        assert toolbar.get_by_role("button", name=name, exact=True).is_visible()
    editor = page.get_by_role("textbox", name="Tekst")
    assert editor.is_visible() and page.locator("#id_body").is_hidden()

    page.fill("#id_title", "Huler i skoven")
    page.locator("#id_title").focus()
    page.keyboard.press("Tab")  # the toolbar is one stop: its first button
    assert page.evaluate("document.activeElement.textContent.trim()") == "Fed"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('role')") == "textbox"
    page.keyboard.type("Vi bygger huler")
    page.keyboard.press("Shift+Control+ArrowLeft")  # select "huler"
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")  # Fed: the text is bold, the editor has the focus again
    bold = toolbar.get_by_role("button", name="Fed")
    assert bold.get_attribute("aria-pressed") == "true"
    page.keyboard.press("End")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")  # Fed off for what comes next
    assert bold.get_attribute("aria-pressed") == "false"
    page.keyboard.press("Enter")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")  # Punktopstilling
    page.keyboard.press("Enter")
    page.keyboard.type("regntøj")
    page.keyboard.press("Enter")
    page.keyboard.type("støvler")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")  # an empty item ends the list
    page.keyboard.type("Kommunens side")
    page.keyboard.press("Shift+Home")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("End")  # Link is the last but one; End is the last
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("Enter")
    address = page.get_by_label("Linkets adresse")
    assert page.evaluate("document.activeElement.id") == "post-editor-url"
    address.type("javascript:alert(1)")
    page.keyboard.press("Enter")
    assert page.get_by_text("Skriv en adresse, der starter med https://").is_visible()
    address.fill("koege.dk")
    page.keyboard.press("Enter")

    page.locator("main form .button-primary[type=submit]").click()
    page.wait_for_url(re.compile(r"/opslag/\d+/$"))
    post = Post.objects.get(title="Huler i skoven")
    assert post.body == (
        "<p>Vi bygger <strong>huler</strong></p><ul><li>regntøj</li><li>støvler</li></ul>"
        '<p><a href="https://koege.dk" rel="noopener noreferrer nofollow">Kommunens side</a></p>'
    )
    main = page.locator("main")
    assert main.locator("strong", has_text="huler").is_visible()
    assert main.get_by_role("link", name="Kommunens side").get_attribute("href") == (
        "https://koege.dk"
    )
    problems = problems_of(page).all()
    assert not problems, "\n".join(problems)


def test_without_script_the_text_area_takes_plain_text(seeded, new_context):
    page = new_context(bypass_csp=False, java_script_enabled=False).new_page()
    new_post_form(page)
    assert page.locator("#id_body").is_visible()
    assert page.locator(".editor-area").count() == 0
    page.fill("#id_title", "Uden script")
    page.fill("#id_body", "Første afsnit med <b> som tegn.\n\nAndet afsnit.")
    page.locator("main form .button-primary[type=submit]").click()
    page.wait_for_url(re.compile(r"/opslag/\d+/$"))
    assert Post.objects.get(title="Uden script").body == (
        "<p>Første afsnit med &lt;b&gt; som tegn.</p><p>Andet afsnit.</p>"
    )


def test_publishing_shows_that_it_works_and_sends_the_post_once(seeded, strict_page):
    """A slow publication (photos, many families) shows progress at once; a second press
    while it works sends nothing more."""
    page = strict_page
    new_post_form(page)
    page.fill("#id_title", "Langsomt opslag")
    page.locator(".editor-area").click()
    page.keyboard.type("Tekst")
    sent = []

    def slow(route):
        sent.append(route.request.method)
        time.sleep(1)
        route.continue_()

    page.route("**/opslag/nyt/", slow)
    # What the page shows the moment the form is sent (kept across the navigation), and a
    # second press a moment later, while the first is on its way.
    page.evaluate(
        """() => {
            const form = document.querySelector("main form");
            const button = form.querySelector(".button-primary[type=submit]");
            document.addEventListener("submit", (event) => {
                const seen = JSON.parse(sessionStorage.getItem("seen") || "[]");
                seen.push({
                    prevented: event.defaultPrevented,
                    busy: form.getAttribute("aria-busy"),
                    label: button.textContent.trim(),
                    disabled: button.getAttribute("aria-disabled"),
                    status: form.querySelector("[role=status]").textContent,
                });
                sessionStorage.setItem("seen", JSON.stringify(seen));
                if (seen.length === 1) {
                    setTimeout(() => button.click(), 50);
                }
            });
        }"""
    )
    page.locator("main form .button-primary[type=submit]").click()
    page.wait_for_url(re.compile(r"/opslag/\d+/$"))
    first, second = page.evaluate("JSON.parse(sessionStorage.getItem('seen'))")
    assert first == {
        "prevented": False,
        "busy": "true",
        "label": "Offentliggør …",
        "disabled": "true",
        "status": "Offentliggør …",
    }
    assert second["prevented"] is True
    assert sent == ["POST"]
    assert Post.objects.filter(title="Langsomt opslag").count() == 1


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
