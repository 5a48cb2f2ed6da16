"""Making a PDF report in a real browser: the page answers at once and shows the report
being made while nothing has made it yet, keeps asking for its progress, and shows the
download link when it is made; the PDF downloads. With a real Celery worker, and without
a broker, where the portal's own process makes it on a background thread. axe checks the
page both while the report is being made and when it is ready."""

from __future__ import annotations

import re
import threading
import time

import pytest

from core import queue
from institutions.models import Municipality
from portal import demo
from portal.models import StatusReport
from tests.browser.conftest import check_accessibility, log_in
from tests.dashboard.helpers import danish, pdf_text
from tests.worker import tasks_through_redis, worker

pytestmark = [pytest.mark.browser, pytest.mark.celery, pytest.mark.django_db(transaction=True)]

ADMIN = "admin@koege.example"


@pytest.fixture
def seeded(live_server, settings):
    settings.PORTAL_BASE_URL = live_server.url
    demo.seed()
    return live_server


def test_the_report_page_answers_at_once_shows_progress_then_the_download(seeded, page):
    koege = Municipality.objects.get(code=demo.KOEGE_CODE)
    log_in(page, ADMIN, two_factor=True)
    page.goto(f"/kommune/{koege.pk}/rapporter/")
    polls = []
    page.on("request", lambda request: "/status/" in request.url and polls.append(request.url))

    with tasks_through_redis() as tasks:
        # No worker runs yet: whatever the page shows now, it shows before the PDF exists.
        started = time.monotonic()
        page.get_by_role("button", name=danish("Make a new report")).click()
        page.wait_for_url(re.compile(r".*/rapporter/\d+/$"), timeout=5_000)
        status = page.locator("#report-status")
        status.get_by_text(danish("The report is being made …")).wait_for(timeout=5_000)
        assert time.monotonic() - started < 5, "the page did not answer at once"
        assert status.locator("a", has_text="PDF").count() == 0
        report = StatusReport.objects.get()
        assert report.state == StatusReport.State.QUEUED and not report.file
        check_accessibility(page)
        # The page keeps asking, and keeps showing the progress while the report waits.
        deadline = time.monotonic() + 10
        while len(polls) < 2 and time.monotonic() < deadline:
            page.wait_for_timeout(200)
        assert len(polls) >= 2, "the page did not ask for the progress"
        assert danish("The report is being made …") in status.inner_text()

        with worker(tasks):
            link = status.locator("a", has_text="PDF")
            link.wait_for(timeout=90_000)

    assert danish("The report is ready.") in status.inner_text()
    check_accessibility(page)
    with page.expect_download() as download:
        link.click()
    text = pdf_text(download.value.path().read_bytes())
    assert danish("Status report: %(name)s", name="Køge Kommune") in text
    report.refresh_from_db()
    assert report.state == StatusReport.State.DONE and report.pages >= 1


def test_without_a_broker_the_page_answers_at_once_too(seeded, page, settings):
    # Development without Redis: tasks run in the portal's own process, a long one on its
    # background thread, which is busy with earlier work when the report is asked for.
    settings.TASKS_INLINE_IN_BACKGROUND = True
    koege = Municipality.objects.get(code=demo.KOEGE_CODE)
    log_in(page, ADMIN, two_factor=True)
    page.goto(f"/kommune/{koege.pk}/rapporter/")
    busy = threading.Event()
    earlier = queue._background_executor().submit(busy.wait, 60)
    try:
        started = time.monotonic()
        page.get_by_role("button", name=danish("Make a new report")).click()
        page.wait_for_url(re.compile(r".*/rapporter/\d+/$"), timeout=5_000)
        status = page.locator("#report-status")
        status.get_by_text(danish("The report is being made …")).wait_for(timeout=5_000)
        assert time.monotonic() - started < 5, "the page did not answer at once"
        assert StatusReport.objects.get().state == StatusReport.State.QUEUED
    finally:
        busy.set()
    earlier.result(timeout=5)

    link = status.locator("a", has_text="PDF")
    link.wait_for(timeout=90_000)
    with page.expect_download() as download:
        link.click()
    text = pdf_text(download.value.path().read_bytes())
    assert danish("Status report: %(name)s", name="Køge Kommune") in text
