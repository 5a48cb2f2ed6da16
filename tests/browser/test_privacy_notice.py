"""A parent's first login: the municipality's privacy notice, read and confirmed once."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from portal import demo
from privacy.models import PrivacyNoticeSeen
from tests.browser.conftest import DEMO_PASSWORD, check_accessibility, submit

PARENT = "foraelder@koege.example"


@pytest.fixture
def seeded(live_server, settings):
    settings.PORTAL_BASE_URL = live_server.url
    demo.seed()
    return live_server


def log_in_with_password(page) -> None:
    page.goto("/konto/login/")
    page.fill("#id_login", PARENT)
    page.fill("#id_password", DEMO_PASSWORD)
    submit(page)


def test_a_parent_reads_the_notice_at_the_first_login_and_not_again(seeded, page):
    log_in_with_password(page)

    page.wait_for_url("**/privatliv/*/?next=*")
    page.get_by_role("heading", level=1, name="Privatlivspolitik for Køge Kommune").wait_for()
    main = page.locator("main")
    assert "Du er logget ind som" in main.inner_text()
    assert "Loggede succesfuldt" not in page.content()
    assert main.get_by_role("heading", name="Klage til Datatilsynet").is_visible()
    assert main.get_by_role("heading", name="Hvor længe oplysningerne gemmes").is_visible()
    check_accessibility(page)
    assert not PrivacyNoticeSeen.objects.exists()  # seeing it is not confirming it

    main.get_by_role("button", name="Jeg har læst det").click()

    page.wait_for_url(lambda url: urlsplit(url).path == "/")
    assert PrivacyNoticeSeen.objects.filter(user__email=PARENT).count() == 1
    page.locator("form[action='/konto/logout/'] button:visible").first.click()
    page.wait_for_url(lambda url: urlsplit(url).path != "/")

    log_in_with_password(page)

    page.wait_for_url(lambda url: urlsplit(url).path == "/")
    assert "Privatlivspolitik for" not in page.locator("main").inner_text()
