"""Every demo role logs in through the real login form and reaches its home page; every page
it can reach from there passes axe (WCAG 2.1 AA) and keeps the Content-Security-Policy."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.utils import translation

from accounts.models import User
from institutions.models import Membership, MunicipalRole
from portal import demo
from tests.browser.conftest import (
    check_accessibility,
    log_in,
    problems_of,
    submit,
    totp_code,
    watch,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The home page section each demo login must see: (place, role label).
EXPECTED_SECTIONS = {
    "admin@koege.example": ("Køge Kommune", MunicipalRole.Role.ADMINISTRATOR.label),
    "konsulent@koege.example": ("Køge Kommune", MunicipalRole.Role.CONSULTANT.label),
    "leder@koege.example": ("Børnehuset Solstrålen", Membership.Role.LEADER.label),
    "ambassador@koege.example": ("Børnehuset Solstrålen", Membership.Role.AMBASSADOR.label),
    "paedagog@koege.example": ("Børnehuset Solstrålen", Membership.Role.STAFF.label),
    "dagplejer@koege.example": ("Dagplejen Køge", Membership.Role.CHILDMINDER.label),
    "foraelder@koege.example": (None, "Your children"),
    "bestyrelse@koege.example": ("Børnehuset Solstrålen", Membership.Role.BOARD_MEMBER.label),
    "leder.troldehoejen@koege.example": ("Troldehøjen", Membership.Role.LEADER.label),
    "admin@solrod.example": ("Solrød Kommune", MunicipalRole.Role.ADMINISTRATOR.label),
}
ROLES = [pytest.param(email, two_factor, id=email) for _label, email, two_factor in demo.LOGINS]
STAFF_EMAIL = "paedagog@koege.example"


def section_heading(email: str) -> str:
    place, label = EXPECTED_SECTIONS[email]
    with translation.override("da"):
        label = translation.gettext(str(label))
    return f"{place}: {label}" if place else label


@pytest.fixture
def seeded(live_server):
    demo.seed()
    return live_server


def check_page(page) -> None:
    """axe, the page's own errors, and the footer's link to the accessibility statement."""
    check_accessibility(page)
    statement = page.locator("footer").get_by_role("link", name="Tilgængelighedserklæring")
    assert statement.count() == 1, f"No link to the accessibility statement on {page.url}"
    assert urlsplit(statement.get_attribute("href")).path == "/tilgaengelighed/"


def reachable_links(page, origin: str) -> list[str]:
    """Paths of the home page's cards, its brief lists and the day's tasks, and of the main
    navigation, same origin only."""
    hrefs = page.eval_on_selector_all(
        "main a.card, main .home-more a, main .today-list a, main .home-glance a, header nav.nav a",
        "links => links.map(a => a.href)",
    )
    paths = []
    for href in hrefs:
        parts = urlsplit(href)
        if f"{parts.scheme}://{parts.netloc}" != origin:
            continue
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if path not in paths:
            paths.append(path)
    return paths


def assert_home(page, email: str) -> None:
    user = User.objects.get(email=email)
    assert page.locator("header .portal-user .user").inner_text().startswith(user.name)
    heading = section_heading(email)
    assert page.get_by_role("heading", name=heading, exact=True).is_visible(), (
        f"{email} does not see the section {heading!r}"
    )


@pytest.mark.parametrize(("email", "two_factor"), ROLES)
def test_role_logs_in_and_every_reachable_page_is_accessible(seeded, page, email, two_factor):
    assert email in EXPECTED_SECTIONS, f"Add {email} to EXPECTED_SECTIONS"
    log_in(page, email, two_factor=two_factor)
    assert_home(page, email)
    check_page(page)
    links = reachable_links(page, seeded.url)
    assert "/" in links, f"{email} has no navigation on the home page"
    for path in [path for path in links if path != "/"]:
        response = page.goto(path)
        assert response.ok, f"{email}: {path} answered {response.status}"
        check_page(page)


def section_tops(page) -> dict[str, float]:
    """Where each section of the home page starts, from the top of the page."""
    return dict(
        page.eval_on_selector_all(
            "main section > h2",
            "hs => hs.map(h => [h.textContent.trim(), h.getBoundingClientRect().top + scrollY])",
        )
    )


NEWS_BEFORE_PLACE = ("News and messages", "Place in daycare")


def test_a_parent_on_a_phone_sees_the_news_before_anything_else(seeded, page):
    page.set_viewport_size({"width": 375, "height": 667})
    log_in(page, "foraelder@koege.example", two_factor=False)
    tops = section_tops(page)
    with translation.override("da"):
        news, place = (translation.gettext(text) for text in NEWS_BEFORE_PLACE)
    assert min(tops, key=tops.get) == news
    assert tops[news] < tops[place]
    # The newest post is on the first screen, without scrolling.
    newest = page.locator("main .home-glance a").first.bounding_box()
    assert newest["y"] + newest["height"] <= 667
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    check_page(page)


@pytest.mark.parametrize(
    ("email", "two_factor", "first"),
    [
        ("paedagog@koege.example", False, ("Families at %(name)s", "Børnehuset Solstrålen")),
        ("leder@koege.example", True, ("Today", None)),
        ("admin@koege.example", True, ("Status of the strategy: %(name)s", "Køge Kommune")),
    ],
)
def test_each_role_finds_what_it_does_most_first(seeded, page, email, two_factor, first):
    page.set_viewport_size({"width": 1280, "height": 800})
    log_in(page, email, two_factor=two_factor)
    text, name = first
    with translation.override("da"):
        heading = translation.gettext(text) % {"name": name} if name else translation.gettext(text)
    tops = section_tops(page)
    assert min(tops, key=tops.get) == heading, tops


def test_the_leaders_home_page_is_short_the_rest_one_click_away(seeded, page):
    page.set_viewport_size({"width": 1280, "height": 800})
    log_in(page, "leder@koege.example", two_factor=True)
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 2500, height
    assert page.locator("main .today-list li").count() >= 3
    assert page.locator("main table").count() == 0
    brief = page.locator("main .home-more a")
    assert brief.count() >= 20
    check_page(page)


def test_every_role_keeps_the_content_security_policy(seeded, new_context):
    """The same pages in browsers that enforce the CSP: nothing is blocked, nothing fails."""
    blocked, errors = [], []
    for _label, email, two_factor in demo.LOGINS:
        page = new_context(bypass_csp=False).new_page()
        log_in(page, email, two_factor=two_factor)
        for path in dict.fromkeys(["/", *reachable_links(page, seeded.url)]):
            page.goto(path)
            page.wait_for_load_state("load")
        problems = problems_of(page)
        blocked += [f"{email}: {problem}" for problem in problems.csp_violations]
        errors += [f"{email}: {problem}" for problem in problems.all()]
        page.context.close()
    assert not blocked, "The Content-Security-Policy blocked:\n" + "\n".join(blocked)
    assert not errors, "\n".join(errors)


def test_the_csp_check_sees_what_the_policy_blocks(browser):
    """The check is not vacuous: an inline script under the portal's policy is reported."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.route(
            "http://csp.invalid/",
            lambda route: route.fulfill(
                content_type="text/html",
                headers={"Content-Security-Policy": "script-src 'self'"},
                body="<!DOCTYPE html><title>t</title><script>document.title = 'ran'</script>",
            ),
        )
        watch(page)
        page.goto("http://csp.invalid/")
        page.wait_for_load_state("load")
        assert page.title() == "t"
        assert problems_of(page).csp_violations
    finally:
        context.close()


def test_login_and_two_factor_pages_are_accessible(seeded, page, strict_page):
    log_in(page, "leder@koege.example", two_factor=True, check=check_page)
    # Another person: a two-factor code is accepted once only.
    log_in(strict_page, "admin@koege.example", two_factor=True)
    problems = problems_of(strict_page).all()
    assert not problems, "\n".join(problems)


def test_wrong_password_and_wrong_code_are_reported_accessibly(seeded, page):
    page.goto("/konto/login/")
    page.fill("#id_login", "leder@koege.example")
    page.fill("#id_password", "not the password")
    submit(page)
    page.locator(".alert-error").wait_for()
    check_page(page)
    page.fill("#id_password", demo.DEMO_PASSWORD)
    submit(page)
    page.locator("input[name=code]").wait_for()
    wrong = f"{(int(totp_code(demo.DEMO_TOTP_SECRET)) + 1) % 1_000_000:06d}"
    page.fill("input[name=code]", wrong)
    submit(page)
    page.locator(".form-error-message, .alert-error").first.wait_for()
    check_page(page)


def test_public_pages_are_accessible_and_keep_the_csp(seeded, page, strict_page):
    for path in ["/konto/login/", "/konto/password/reset/", "/tilgaengelighed/", "/privatliv/"]:
        assert page.goto(path).ok
        check_page(page)
        assert strict_page.goto(path).ok
        strict_page.wait_for_load_state("load")
    problems = problems_of(strict_page).all()
    assert not problems, "\n".join(problems)


def test_the_accessibility_check_fails_on_a_violation(browser):
    """The check is not vacuous: an unlabelled field and an image without text fail it."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.set_content(
            '<html lang="da"><title>t</title><main><img src="data:,">'
            '<input type="text"></main></html>'
        )
        with pytest.raises(AssertionError) as failure:
            check_accessibility(page)
    finally:
        context.close()
    assert "image-alt" in str(failure.value)
    assert "label" in str(failure.value)


def test_accessibility_statement_is_linked_from_the_footer(seeded, page):
    page.goto("/konto/login/")
    page.locator("footer").get_by_role("link", name="Tilgængelighedserklæring").click()
    page.wait_for_url("**/tilgaengelighed/")
    assert page.get_by_role("heading", level=1).is_visible()
    check_page(page)


def test_language_switch_changes_to_english_and_back(seeded, page):
    log_in(page, STAFF_EMAIL, two_factor=False)
    assert page.locator("html").get_attribute("lang") == "da"
    page.locator("footer").get_by_role("button", name="English").click()
    page.wait_for_function("document.documentElement.lang === 'en'")
    assert urlsplit(page.url).path == "/"
    assert page.get_by_role("heading", level=1).inner_text().startswith("Welcome")
    check_page(page)
    assert User.objects.get(email=STAFF_EMAIL).language == "en"

    page.locator("footer").get_by_role("button", name="Dansk").click()
    page.wait_for_function("document.documentElement.lang === 'da'")
    with translation.override("da"):
        welcome = translation.gettext("Welcome, %(name)s") % {"name": ""}
    assert page.get_by_role("heading", level=1).inner_text().startswith(welcome.strip(", "))
    assert User.objects.get(email=STAFF_EMAIL).language == "da"


def test_mobile_menu_opens_the_navigation_drawer(seeded, page):
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, STAFF_EMAIL, two_factor=False)
    drawer = page.locator(".mobile-drawer")
    assert not drawer.is_visible()
    menu = page.locator("button.js-menu-open")
    assert menu.is_visible()
    menu.click()
    drawer.wait_for(state="visible")
    check_page(page)
    link = drawer.locator("nav a.nav-link").last
    assert link.is_visible()
    target = urlsplit(link.get_attribute("href")).path
    link.click()
    page.wait_for_url(lambda url: urlsplit(url).path == target)
    assert not page.locator(".mobile-drawer").is_visible()
