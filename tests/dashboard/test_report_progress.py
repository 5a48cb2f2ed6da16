"""Asking for a PDF report never holds up the page, whatever makes the report: a Celery
worker through Redis, or, without a broker, the background thread of the process that
asked. The page answers at once with the report's progress, looking at the progress
changes nothing, and the download link follows when the report is made."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core import queue
from core.models import AuditEntry
from outbox.models import OutboxMessage
from portal.models import StatusReport
from tests.dashboard.helpers import admin_of, danish, daycare, pdf_text
from tests.factories import MunicipalityFactory
from tests.worker import tasks_through_redis, worker

State = StatusReport.State


@pytest.fixture
def koege():
    municipality = MunicipalityFactory(name="Køge Kommune", code="259")
    daycare(municipality, "Solstrålen", ambassador=True)
    return municipality


def wait_for(condition, timeout: float = 90.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def ask(client, municipality) -> StatusReport:
    client.force_login(admin_of(municipality))
    started = time.monotonic()
    response = client.post(reverse("reports:municipality_request", args=[municipality.pk]))
    answered = time.monotonic() - started
    report = StatusReport.objects.latest("id")
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:detail", args=[report.pk])
    assert answered < 5, f"asking took {answered:.1f} s"
    return report


def shows_progress(client, report: StatusReport) -> str:
    html = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert danish("The report is being made …") in html
    assert reverse("reports:download", args=[report.pk]) not in html
    assert client.get(reverse("reports:download", args=[report.pk])).status_code == 404
    return html


def downloads_the_pdf(client, report: StatusReport) -> None:
    status = reverse("reports:status", args=[report.pk])
    html = client.get(f"{status}?shown=queued", HTTP_HX_REQUEST="true").content.decode()
    assert danish("The report is ready.") in html
    assert "hx-trigger" not in html
    response = client.get(reverse("reports:download", args=[report.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(b"".join(response.streaming_content))
    assert danish("Status report: %(name)s", name="Køge Kommune") in text


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_with_a_worker_the_page_answers_at_once_and_the_link_follows(koege, client):
    with tasks_through_redis() as tasks:
        report = ask(client, koege)

        # No worker has taken the task yet: the page shows the report waiting.
        assert not OutboxMessage.objects.exists()  # handed to Redis after the commit
        html = shows_progress(client, report)
        assert danish(
            "Waiting for its turn: it starts as soon as the reports before it are done."
        ) in (html)
        report.refresh_from_db()
        assert report.state == State.QUEUED

        with worker(tasks):
            assert wait_for(lambda: StatusReport.objects.get(pk=report.pk).state == State.DONE)

    downloads_the_pdf(client, report)


@pytest.mark.django_db(transaction=True)
def test_without_a_broker_the_report_is_made_after_the_page_has_answered(koege, client, settings):
    settings.TASKS_INLINE_IN_BACKGROUND = True
    # The background thread is busy with earlier work, as a worker may be.
    busy = threading.Event()
    earlier = queue._background_executor().submit(busy.wait, 60)
    try:
        report = ask(client, koege)

        report.refresh_from_db()
        assert report.state == State.QUEUED  # not made in the request
        shows_progress(client, report)
    finally:
        busy.set()
    earlier.result(timeout=5)

    assert wait_for(lambda: StatusReport.objects.get(pk=report.pk).state == State.DONE)
    downloads_the_pdf(client, report)


@pytest.mark.django_db(transaction=True)
def test_a_report_that_fails_in_the_background_says_so_in_danish(
    koege, client, settings, monkeypatch
):
    from portal.reports import services

    settings.TASKS_INLINE_IN_BACKGROUND = True

    def broken(*args, **kwargs):
        raise RuntimeError("no fonts")

    monkeypatch.setattr(services, "render_report", broken)
    report = ask(client, koege)

    assert wait_for(lambda: StatusReport.objects.get(pk=report.pk).state == State.FAILED)
    status = reverse("reports:status", args=[report.pk])
    html = client.get(f"{status}?shown=queued", HTTP_HX_REQUEST="true").content.decode()
    assert danish("The report could not be made.") in html
    assert "hx-trigger" not in html


@pytest.mark.django_db
def test_looking_at_the_progress_changes_nothing(koege, client, django_capture_on_commit_callbacks):
    admin = admin_of(koege)
    client.force_login(admin)
    # One waiting, one whose worker was lost long ago: only a task may take them up.
    waiting = StatusReport.objects.create(
        kind=StatusReport.Kind.MUNICIPALITY, municipality=koege, requested_by=admin
    )
    stale = StatusReport.objects.create(
        kind=StatusReport.Kind.MUNICIPALITY,
        municipality=koege,
        requested_by=admin,
        state=State.RUNNING,
        started_at=timezone.now() - timedelta(hours=1),
    )
    before = list(StatusReport.objects.order_by("pk").values())
    audits = AuditEntry.objects.count()

    with django_capture_on_commit_callbacks() as queued:
        for report in (waiting, stale):
            status = reverse("reports:status", args=[report.pk])
            assert client.get(f"{status}?shown={report.state}").status_code == 204
            page = client.get(status)
            assert page.status_code == 200
            assert danish("The report is being made …") in page.content.decode()
            assert client.get(reverse("reports:detail", args=[report.pk])).status_code == 200

    assert not queued
    assert list(StatusReport.objects.order_by("pk").values()) == before
    assert AuditEntry.objects.count() == audits


@pytest.mark.django_db
def test_the_progress_says_when_the_report_was_started(koege, client):
    admin = admin_of(koege)
    client.force_login(admin)
    started = timezone.now()
    report = StatusReport.objects.create(
        kind=StatusReport.Kind.MUNICIPALITY,
        municipality=koege,
        requested_by=admin,
        state=State.RUNNING,
        started_at=started,
    )

    html = client.get(reverse("reports:detail", args=[report.pk])).content.decode()

    assert danish("The report is being made …") in html
    assert f"{timezone.localtime(started):%H:%M}" in html
    assert f'?shown={State.RUNNING}"' in html
