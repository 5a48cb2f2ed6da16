"""Daily reminders: each is sent once, not again on a second run, in the recipient's
language, in the app and by e-mail to the SMTP sink."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import translation
from django.utils.formats import date_format

from core.models import Notification
from goals.reminders import reminders_send
from goals.tasks import send_reminders
from institutions.models import Membership
from portal.celery import app
from tests.factories import InstitutionFactory, MembershipFactory, UserFactory
from tests.goals.factories import (
    ActionStepFactory,
    ForumDiscussionFactory,
    LocalGoalFactory,
)
from tests.smtp import body_text

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 25)


def in_language(language: str, message: str, **params) -> str:
    with translation.override(language):
        return translation.gettext(message) % params


def day(language: str, value: date) -> str:
    with translation.override(language):
        return date_format(value, "DATE_FORMAT")


@pytest.fixture
def daycare():
    # A recent discussion, so only the reminders a test sets up are due.
    daycare = InstitutionFactory(name="Solstrålen")
    ForumDiscussionFactory(institution=daycare, held_on=TODAY - timedelta(days=20))
    return daycare


@pytest.fixture
def leader(daycare):
    return MembershipFactory(
        institution=daycare, role="leader", user__name="Lone Kjær", user__email="lone@example.org"
    ).user


def staff(daycare, *, language="da", email="sara@example.org", name="Sara Holst"):
    return MembershipFactory(
        institution=daycare,
        role="staff",
        user__language=language,
        user__email=email,
        user__name=name,
    ).user


def step_due(daycare, owner, days, **fields):
    return ActionStepFactory(
        plan__goal__institution=daycare,
        plan__goal__title="Digital fortælling",
        owner=owner,
        due_on=TODAY + timedelta(days=days),
        **fields,
    )


def test_a_step_due_within_a_week_is_reminded_once_to_its_owner_in_danish(
    daycare, leader, mailbox, django_capture_on_commit_callbacks
):
    owner = staff(daycare)
    step = step_due(daycare, owner, 3, title="Børnene laver bøger")

    with django_capture_on_commit_callbacks(execute=True):
        sent = reminders_send(today=TODAY)

    assert sent == {"step_due": 1, "step_overdue": 0, "goal_review": 0, "forum_due": 0}
    notification = Notification.objects.get(recipient=owner)
    subject = in_language(
        "da",
        "Your step is due on %(date)s: %(title)s",
        date=day("da", step.due_on),
        title="Børnene laver bøger",
    )
    assert notification.subject == subject
    assert notification.url == (
        f"/institutioner/{daycare.pk}/maal/{step.plan.goal_id}/trin/{step.pk}/"
    )
    (mail,) = mailbox.wait_for(1)
    assert mail["To"] == "sara@example.org"
    assert mail["Subject"].strip() == subject
    assert "Digital fortælling" in body_text(mail)

    with django_capture_on_commit_callbacks(execute=True):
        again = reminders_send(today=TODAY)
        later = reminders_send(today=TODAY + timedelta(days=1))

    assert again == later == {"step_due": 0, "step_overdue": 0, "goal_review": 0, "forum_due": 0}
    assert Notification.objects.count() == 1
    assert mailbox.wait_for(2, timeout=0.5) == [mail]


def test_an_english_speaking_owner_is_reminded_in_english(
    daycare, mailbox, django_capture_on_commit_callbacks
):
    owner = staff(daycare, language="en", email="liam@example.org", name="Liam Smith")
    step_due(daycare, owner, -2, title="Interview the children")

    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_send(today=TODAY)["step_overdue"] == 1

    (mail,) = mailbox.wait_for(1)
    assert mail["Subject"] == "Your step is overdue: Interview the children"
    assert "was due on" in body_text(mail)
    assert day("en", TODAY - timedelta(days=2)) in body_text(mail)


def test_a_step_due_soon_is_reminded_again_when_it_becomes_overdue(daycare):
    owner = staff(daycare)
    step_due(daycare, owner, 1)

    assert reminders_send(today=TODAY)["step_due"] == 1
    assert reminders_send(today=TODAY + timedelta(days=2))["step_overdue"] == 1
    assert reminders_send(today=TODAY + timedelta(days=3))["step_overdue"] == 0
    assert [n.kind for n in Notification.objects.order_by("pk")] == [
        "goals.step_due",
        "goals.step_overdue",
    ]


def test_a_new_due_date_gets_its_own_reminder(daycare):
    owner = staff(daycare)
    step = step_due(daycare, owner, 2)
    reminders_send(today=TODAY)
    step.due_on = TODAY + timedelta(days=5)
    step.save()

    assert reminders_send(today=TODAY)["step_due"] == 1


@pytest.mark.parametrize(
    "setup",
    [
        lambda d, o: step_due(d, o, 8),  # more than a week away
        lambda d, o: step_due(d, o, -1, status="done"),
        lambda d, o: step_due(d, o, 2, plan__goal__status="draft"),
        lambda d, o: step_due(d, o, 2, plan__goal__status="achieved"),
        lambda d, o: step_due(d, UserFactory(), 2),  # the owner does not work here (any more)
    ],
)
def test_no_reminder_for_steps_that_need_none(daycare, setup):
    setup(daycare, staff(daycare))
    assert reminders_send(today=TODAY) == {
        "step_due": 0,
        "step_overdue": 0,
        "goal_review": 0,
        "forum_due": 0,
    }
    assert not Notification.objects.exists()


def test_a_goal_past_its_review_date_is_reminded_once_to_every_leader(
    daycare, leader, mailbox, django_capture_on_commit_callbacks
):
    co_leader = MembershipFactory(
        institution=daycare, role="leader", user__language="en", user__email="co@example.org"
    ).user
    ambassador = MembershipFactory(institution=daycare, role="ambassador").user
    goal = LocalGoalFactory(
        institution=daycare, title="Bevægelse på film", review_on=TODAY - timedelta(days=1)
    )
    LocalGoalFactory(institution=daycare, review_on=TODAY)  # today is not past
    LocalGoalFactory(institution=daycare, status="achieved", review_on=TODAY - timedelta(days=9))

    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_send(today=TODAY)["goal_review"] == 2
        assert reminders_send(today=TODAY)["goal_review"] == 0

    assert set(Notification.objects.values_list("recipient", flat=True)) == {
        leader.pk,
        co_leader.pk,
    }
    assert not Notification.objects.filter(recipient=ambassador).exists()
    mails = {m["To"]: m for m in mailbox.wait_for(2)}
    assert mails["co@example.org"]["Subject"] == "Time to review the goal: Bevægelse på film"
    assert mails["lone@example.org"]["Subject"].strip() == in_language(
        "da", "Time to review the goal: %(title)s", title="Bevægelse på film"
    )
    assert (
        Notification.objects.filter(url=f"/institutioner/{daycare.pk}/maal/{goal.pk}/").count() == 2
    )


def test_no_forum_discussion_for_11_months_is_reminded_to_the_leader_once(leader):
    daycare = leader.memberships.get().institution
    ForumDiscussion = daycare.forum_discussions.model
    ForumDiscussion.objects.filter(institution=daycare).update(held_on=date(2025, 12, 24))

    assert reminders_send(today=TODAY)["forum_due"] == 1
    assert reminders_send(today=TODAY)["forum_due"] == 0
    notification = Notification.objects.get()
    assert notification.recipient == leader
    assert notification.url == f"/institutioner/{daycare.pk}/droeftelser/ny/"
    with translation.override("da"):
        expected = translation.gettext("Time to discuss digitalisation in %(place)s") % {
            "place": "Solstrålen"
        }
    assert notification.subject == expected

    # A discussion held since makes the next lapse a new reminder, not a repeat.
    ForumDiscussionFactory(institution=daycare, held_on=date(2026, 1, 10))
    assert reminders_send(today=date(2026, 12, 20))["forum_due"] == 1


def test_a_daycare_that_never_discussed_digitalisation_is_reminded_once():
    daycare = InstitutionFactory()
    MembershipFactory(institution=daycare, role="leader")
    school = InstitutionFactory(kind="school")
    MembershipFactory(institution=school, role="leader")

    assert reminders_send(today=TODAY)["forum_due"] == 1
    assert reminders_send(today=TODAY + timedelta(days=30))["forum_due"] == 0


def test_a_recent_discussion_means_no_forum_reminder(daycare, leader):
    assert reminders_send(today=TODAY)["forum_due"] == 0


def test_the_daily_task_sends_through_celery_and_is_scheduled(
    daycare, mailbox, django_capture_on_commit_callbacks
):
    step_due(daycare, staff(daycare), 0)

    with django_capture_on_commit_callbacks(execute=True):
        result = send_reminders.delay(TODAY.isoformat()).get()
        second = send_reminders.delay(TODAY.isoformat()).get()

    assert result["step_due"] == 1 and second["step_due"] == 0
    assert len(mailbox.wait_for(1)) == 1
    schedule = app.conf.beat_schedule["goals.send_reminders"]
    assert schedule["task"] == "goals.send_reminders"
    assert Membership.objects.filter(institution=daycare).exists()


def test_steps_already_reminded_of_cost_nothing_on_the_next_run(daycare):
    from tests.goals.helpers import count_queries

    owner = staff(daycare)
    for days in (-3, -2, 2):
        step_due(daycare, owner, days)
    reminders_send(today=TODAY)
    quiet = count_queries(lambda: reminders_send(today=TODAY))

    for days in range(-20, -8):
        step_due(daycare, owner, days)
    assert reminders_send(today=TODAY)["step_overdue"] == 12

    assert count_queries(lambda: reminders_send(today=TODAY)) == quiet
