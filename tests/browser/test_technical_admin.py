"""Technical support in a real browser: into the technical admin through the portal's own
login (password, then the code), and a look at a child that the family then finds
under "Mine data" as technical support's, with the reason given."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from allauth.mfa.models import Authenticator

from institutions.models import Child
from portal import demo
from tests.browser.conftest import check_accessibility, log_in, submit, totp_code
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SUPPORT = "support@dagtilbudsportalen.example"
REASON = "Sag 2026-118: forælderen ser ikke barnets stue"


def technical_staff():
    staff = UserFactory(email=SUPPORT, name="Sigrid Support", is_staff=True, is_superuser=True)
    staff.set_password(demo.DEMO_PASSWORD)
    staff.save()
    Authenticator.objects.create(
        user=staff, type=Authenticator.Type.TOTP, data={"secret": demo.DEMO_TOTP_SECRET}
    )
    return staff


def enter_the_admin(page, path: str = "/teknisk-admin/") -> None:
    """Open an admin page as a stranger and log in where the portal sends you."""
    page.goto(path)
    assert urlsplit(page.url).path == "/konto/login/"
    page.fill("#id_login", SUPPORT)
    page.fill("#id_password", demo.DEMO_PASSWORD)
    submit(page)
    code = page.locator("input[name=code]")
    code.wait_for()
    code.fill(totp_code(demo.DEMO_TOTP_SECRET))
    submit(page)
    page.wait_for_url(lambda url: urlsplit(url).path == path)


def test_staff_log_in_with_password_and_code_through_the_portal_and_reach_the_admin(
    live_server, page
):
    technical_staff()

    page.goto("/teknisk-admin/")
    # The portal's own login page, not Django's form.
    assert urlsplit(page.url).path == "/konto/login/"
    assert page.locator("#login-form").count() == 0
    check_accessibility(page)
    enter_the_admin(page)

    assert page.get_by_role("heading", name="Teknisk support").is_visible()
    assert page.get_by_text("Dagtilbudsportalen: teknisk administration").is_visible()


def test_a_family_sees_under_my_data_that_technical_support_looked_and_why(
    live_server, new_context
):
    demo.seed()
    technical_staff()
    child = Child.objects.filter(guardianships__guardian__email="foraelder@koege.example").first()
    support = new_context(bypass_csp=True).new_page()
    change = f"/teknisk-admin/institutions/child/{child.pk}/change/"

    enter_the_admin(support, "/teknisk-admin/institutions/child/")
    assert child.first_name not in support.locator("#result_list").inner_text()
    support.goto(change)
    assert "/begrundelse/" in support.url
    assert child.first_name not in support.locator("#content").inner_text()
    support.fill("input[name=reason]", REASON)
    support.locator("input[type=submit]").click()
    support.wait_for_url(lambda url: urlsplit(url).path == change)
    assert child.first_name in support.locator("#content").inner_text()

    family = new_context(bypass_csp=True).new_page()
    log_in(family, "foraelder@koege.example", two_factor=False)
    family.goto("/mine-data/")
    row = family.locator("main table tbody tr").filter(has_text="Teknisk support").first
    assert row.is_visible()
    assert f"Teknisk support af portalen: {REASON}" in row.inner_text()
    assert child.first_name in row.inner_text()
    assert "Sigrid" not in family.locator("main").inner_text()
    check_accessibility(family)
