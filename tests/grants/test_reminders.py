"""Reminders before a final report is due, and when it is overdue: sent once each, to the
daycare's leaders, by e-mail in the recipient's own language."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.models import Notification
from grants import services
from grants.models import Application
from grants.schedule import SCHEDULE
from grants.tasks import send_report_reminders
from portal.celery import app as celery_app
from tests.factories import InstitutionFactory, MunicipalityFactory
from tests.grants.helpers import leader_of, make_application, make_pool, plain, today
from tests.smtp import body_text

pytestmark = pytest.mark.django_db

State = Application.State


@pytest.fixture
def decided():
    koege = MunicipalityFactory(code="259")
    institution = InstitutionFactory(municipality=koege, name="Solstrålen")
    leader_of(institution)
    return make_application(
        make_pool(koege),
        institution,
        state=State.DECIDED,
        project="Bee-Bots",
        report_due=today() + timedelta(days=10),
    )


def test_the_reminder_task_is_in_celery_beats_schedule():
    assert SCHEDULE["grants.send_report_reminders"]["task"] == "grants.send_report_reminders"
    assert "grants.send_report_reminders" in celery_app.conf.beat_schedule
    assert send_report_reminders.name == "grants.send_report_reminders"


def test_a_report_due_within_two_weeks_is_reminded_once(
    decided, mailbox, django_capture_on_commit_callbacks
):
    leader = leader_of(decided.institution)
    with django_capture_on_commit_callbacks(execute=True):
        first = services.report_reminders_send()
    with django_capture_on_commit_callbacks(execute=True):
        second = services.report_reminders_send()

    assert (first, second) == (1, 0)
    notification = Notification.objects.get(recipient=leader, kind="grants.report_due")
    assert "Bee-Bots" in notification.subject
    (message,) = mailbox.wait_for(1)
    assert message["To"] == leader.email
    assert message["Subject"].strip() == "Fristen for slutrapporten for “Bee-Bots” nærmer sig"
    assert "Husk slutrapporten" in plain(body_text(message))


def test_the_reminder_is_in_the_recipients_language(
    decided, mailbox, django_capture_on_commit_callbacks
):
    leader = leader_of(decided.institution)
    leader.language = "en"
    leader.save()

    with django_capture_on_commit_callbacks(execute=True):
        services.report_reminders_send()

    (message,) = mailbox.wait_for(1)
    assert message["Subject"].strip() == "The final report for “Bee-Bots” is due soon"
    assert "Remember the final report" in body_text(message)


def test_no_reminder_long_before_the_due_date(decided):
    Application.objects.filter(pk=decided.pk).update(report_due_on=today() + timedelta(days=40))

    assert services.report_reminders_send() == 0


def test_an_overdue_report_gets_one_more_reminder(decided):
    services.report_reminders_send(today=today())
    later = decided.report_due_on + timedelta(days=1)

    assert services.report_reminders_send(today=later) == 1
    assert services.report_reminders_send(today=later + timedelta(days=1)) == 0
    assert Notification.objects.filter(kind="grants.report_overdue").count() == 1


def test_a_report_already_submitted_is_not_reminded(decided):
    services.application_report(
        actor=leader_of(decided.institution),
        application=decided,
        report_text="Gjort.",
        report_evaluation="Godt.",
    )
    assert services.report_reminders_send() == 0


def test_the_task_runs_the_service(decided):
    assert send_report_reminders.apply().get() == 1
