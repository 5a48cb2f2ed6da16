"""Real-browser fixtures: Debian's Chromium driven by Playwright, axe-core for WCAG checks.

One browser is launched per session; every test gets its own context (cookies, storage).
Contexts for the accessibility checks bypass the Content-Security-Policy so axe can be
injected; the CSP itself is checked separately, in contexts that keep it.
"""

from __future__ import annotations

import time
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.conf import settings

from portal.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FAILING_IMPACTS = {"serious", "critical"}
TIMEOUT_MS = 15_000


@dataclass
class PageProblems:
    """What a page reported to its console: errors, uncaught exceptions, CSP violations."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    @property
    def csp_violations(self) -> list[str]:
        return [m for m in self.console_errors if "Content Security Policy" in m]

    def all(self) -> list[str]:
        return [*self.console_errors, *self.page_errors]


_problems: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def watch(page) -> PageProblems:
    """Start collecting the console errors and uncaught exceptions of `page`."""
    problems = _problems.get(page)
    if problems is None:
        problems = _problems[page] = PageProblems()

        def on_console(message) -> None:
            if message.type != "error":
                return
            # A page answered with an error status (a form with errors answers 400) is not
            # a fault of the page; tests check statuses themselves. Failing sub-resources
            # (styles, scripts, fonts) are.
            if message.text.startswith("Failed to load resource") and (
                message.location.get("url") == page.url
            ):
                return
            problems.console_errors.append(f"{page.url}: {message.text}")

        page.on("console", on_console)
        page.on("pageerror", lambda error: problems.page_errors.append(f"{page.url}: {error}"))
    return problems


def problems_of(page) -> PageProblems:
    return watch(page)


def check_accessibility(page) -> None:
    """Run axe-core (WCAG 2.0/2.1 A and AA) on the page as it is now; fail on any serious or
    critical violation, and on any console error or uncaught script error so far."""
    page.wait_for_load_state("load")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    results = page.evaluate(
        """async (tags) => {
            const r = await axe.run(document, {
                runOnly: {type: "tag", values: tags}, resultTypes: ["violations"],
            });
            return r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => ({target: n.target, summary: n.failureSummary})),
            }));
        }""",
        AXE_TAGS,
    )
    failing = [v for v in results if v["impact"] in FAILING_IMPACTS]
    lines = []
    for violation in failing:
        lines.append(f"[{violation['impact']}] {violation['id']}: {violation['help']}")
        for node in violation["nodes"]:
            lines.append(f"    {' '.join(map(str, node['target']))}")
            for detail in (node["summary"] or "").splitlines():
                lines.append(f"        {detail}")
    assert not failing, f"axe found {len(failing)} violation(s) on {page.url}:\n" + "\n".join(lines)
    errors = problems_of(page).all()
    assert not errors, "The page reported errors:\n" + "\n".join(errors)


def totp_code(secret: str) -> str:
    """The code an authenticator app shows for `secret` right now. Close to the end of a
    30-second step it waits for the next one, so the code is still valid when it arrives."""
    if 30 - time.time() % 30 < 3:
        time.sleep(30 - time.time() % 30 + 0.1)
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def submit(page) -> None:
    """Send the page's form by its primary button, as a person would."""
    page.locator("main form .button-primary[type=submit]").click()


def log_in(page, email: str, *, two_factor: bool, check=None) -> None:
    """Log in through the login form, and the two-factor step where the role has one.
    `check(page)` runs on the login page and on the two-factor page before they are sent."""
    page.goto("/konto/login/")
    if check:
        check(page)
    page.fill("#id_login", email)
    page.fill("#id_password", DEMO_PASSWORD)
    submit(page)
    if two_factor:
        code = page.locator("input[name=code]")
        code.wait_for()
        if check:
            check(page)
        code.fill(totp_code(DEMO_TOTP_SECRET))
        submit(page)
    page.wait_for_url(lambda url: urlsplit(url).path == "/" or is_privacy_notice(url))
    if is_privacy_notice(page.url):
        # The municipality's privacy notice, shown once after the first login
        # (tests/browser/test_privacy_notice.py): read, as a person would.
        confirm_privacy_notice(page)
        page.wait_for_url(lambda url: urlsplit(url).path == "/")


def is_privacy_notice(url: str) -> bool:
    return urlsplit(url).path.startswith("/privatliv/")


def confirm_privacy_notice(page) -> None:
    page.locator("main form[action$='/laest/'] button[type=submit]").click()


# Fixtures ---------------------------------------------------------------------------


@pytest.fixture(scope="session")
def playwright_driver():
    from playwright.sync_api import sync_playwright

    driver = sync_playwright().start()
    yield driver
    driver.stop()


@pytest.fixture(scope="session")
def browser(playwright_driver):
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (.ci/run does).")
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `npm ci` (make install does).")
    browser = playwright_driver.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def new_context(browser, live_server):
    """new_context(bypass_csp=...) opens a fresh browser context on the live server; all
    are closed after the test. Pages opened in them are watched for errors."""
    opened = []

    def _new_context(*, bypass_csp: bool, **options):
        context = browser.new_context(
            base_url=live_server.url, locale="da-DK", bypass_csp=bypass_csp, **options
        )
        context.set_default_timeout(TIMEOUT_MS)
        context.on("page", watch)
        opened.append(context)
        return context

    yield _new_context
    for context in opened:
        context.close()


@pytest.fixture
def context(new_context):
    """A browser context that lets axe be injected despite the portal's CSP."""
    return new_context(bypass_csp=True)


@pytest.fixture
def page(context):
    page = context.new_page()
    watch(page)
    return page


@pytest.fixture
def strict_page(new_context):
    """A page in a browser context that enforces the portal's Content-Security-Policy."""
    page = new_context(bypass_csp=False).new_page()
    watch(page)
    return page
