"""The administrator invites a new leader from the browser; the leader accepts from the
e-mail, sets up two-factor login and lands on the home page. And a bad import stores
nothing and names the row."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from allauth.mfa.models import Authenticator
from django.utils import translation

from accounts.models import User
from institutions.models import Group, Institution, Invitation, Membership
from portal import demo
from tests.browser.conftest import (
    check_accessibility,
    confirm_privacy_notice,
    is_privacy_notice,
    log_in,
    submit,
    totp_code,
)
from tests.smtp import body_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ADMIN = "admin@koege.example"
DAYCARE = "Mælkebøtten"
NEW_LEADER = "ny.leder@koege.example"
NEW_PASSWORD = "Blaabaergroed-i-maj-77"


@pytest.fixture
def seeded(live_server, settings):
    # Links in e-mails point at the portal the browser talks to.
    settings.PORTAL_BASE_URL = live_server.url
    demo.seed()
    return live_server


def test_administrator_invites_a_leader_who_sets_up_two_factor_and_lands_home(
    seeded, new_context, page, mailbox
):
    daycare = Institution.objects.get(name=DAYCARE, municipality__code=demo.KOEGE_CODE)
    log_in(page, ADMIN, two_factor=True)

    # Home → institutions → the daycare → staff and roles → invite.
    page.locator("main a.card[href$='/institutioner/']").first.click()
    page.locator("main table").get_by_role("link", name=DAYCARE, exact=True).click()
    page.wait_for_url(f"**/institutioner/{daycare.pk}/")
    check_accessibility(page)
    page.locator(f"main a[href='/institutioner/{daycare.pk}/personale/']").click()
    page.wait_for_url(f"**/institutioner/{daycare.pk}/personale/")
    check_accessibility(page)
    page.locator("main a[href$='/personale/inviter/']").click()
    page.wait_for_url(f"**/institutioner/{daycare.pk}/personale/inviter/")
    check_accessibility(page)

    page.fill("#id_name", "Nanna Leth")
    page.fill("#id_email", NEW_LEADER)
    page.select_option("#id_role", Membership.Role.LEADER.value)
    submit(page)
    page.wait_for_url(f"**/institutioner/{daycare.pk}/personale/")
    assert page.locator(".alert-success").is_visible()
    check_accessibility(page)
    invitation = Invitation.objects.get(email=NEW_LEADER)
    assert (invitation.institution, invitation.role) == (daycare, Membership.Role.LEADER)

    # The invitation e-mail went out over SMTP and holds the link.
    messages = mailbox.wait_for(1)
    sent = [m for m in messages if NEW_LEADER in m["To"]]
    assert len(sent) == 1, [m["To"] for m in messages]
    link = re.search(r"https?://\S+/invitation/[^/\s]+/", body_text(sent[0]))
    assert link, body_text(sent[0])
    assert link.group(0).startswith(seeded.url)

    # The new leader opens the link in a browser of their own.
    leader = new_context(bypass_csp=True).new_page()
    leader.goto(link.group(0))
    check_accessibility(leader)
    leader.fill("#id_password1", NEW_PASSWORD)
    leader.fill("#id_password2", NEW_PASSWORD)
    submit(leader)

    # Leaders must use two-factor login: the portal leads straight to setting it up (the
    # password was just chosen, so it does not ask for it again).
    leader.wait_for_url(lambda url: "/invitation/" not in url)
    # First the municipality's privacy notice, read once (tests/browser/test_privacy_notice.py).
    assert is_privacy_notice(leader.url), leader.url
    check_accessibility(leader)
    confirm_privacy_notice(leader)
    leader.wait_for_url(lambda url: not is_privacy_notice(url))
    assert urlsplit(leader.url).path == "/konto/2fa/totp/activate/", (
        f"After choosing a password the new leader was led to {leader.url}"
    )
    check_accessibility(leader)
    secret = leader.locator("#authenticator_secret").input_value()
    assert re.fullmatch(r"[A-Z2-7]{16,}=*", secret), secret
    leader.fill("input[name=code]", totp_code(secret))
    submit(leader)
    leader.wait_for_url(lambda url: "/totp/activate/" not in url)
    check_accessibility(leader)

    leader.goto("/")
    assert urlsplit(leader.url).path == "/"
    user = User.objects.get(email=NEW_LEADER)
    assert leader.locator("header .portal-user .user").inner_text().startswith(user.name)
    with translation.override("da"):
        heading = f"{DAYCARE}: {translation.gettext('Leader')}"
        today = translation.gettext("Today")
    # A leader's home page opens with the day's tasks; the daycare's pages follow in brief.
    assert leader.get_by_role("heading", level=2, name=today, exact=True).is_visible()
    assert (
        leader.locator("main .home-more")
        .get_by_role("heading", level=3, name=heading, exact=True)
        .is_visible()
    )
    check_accessibility(leader)

    assert Membership.objects.filter(
        user=user, institution=daycare, role=Membership.Role.LEADER
    ).exists()
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None


BAD_CSV = (
    "navn;type;ejerform;adresse;postnummer;by;distrikt;e-mail;telefon\n"
    "Børnehuset Blåmejsen;integreret;kommunal;Mejsevej 1;4600;Køge;Køge Nord;;\n"
    "Vuggestuen Rødkløver;vuggestue;selvejende;Kløvervej 2;4600;Køge;Køge Syd;;\n"
    "Børnehaven Ukendt;rumstation;kommunal;Månevej 3;4600;Køge;Køge Syd;;\n"
)


def test_import_with_one_bad_row_names_the_row_and_stores_nothing(seeded, page, tmp_path):
    before = (Institution.objects.count(), Group.objects.count())
    log_in(page, ADMIN, two_factor=True)
    page.locator("main a.card[href$='/import/']").click()
    page.wait_for_url("**/import/")
    check_accessibility(page)

    upload = tmp_path / "institutioner.csv"
    upload.write_text(BAD_CSV, encoding="utf-8")
    page.locator("input[name=kind][value=institutions]").check()
    page.set_input_files("#id_file", str(upload))
    submit(page)

    errors = page.locator("#import-errors")
    errors.wait_for()
    with translation.override("da"):
        row = translation.gettext("Row %(row)s") % {"row": 4}
    items = errors.locator("li").all_inner_texts()
    assert len(items) == 1, items
    assert items[0].startswith(f"{row}:"), items
    assert "rumstation" in items[0]
    check_accessibility(page)

    assert (Institution.objects.count(), Group.objects.count()) == before
    assert not Institution.objects.filter(
        name__in=["Børnehuset Blåmejsen", "Vuggestuen Rødkløver", "Børnehaven Ukendt"]
    ).exists()
