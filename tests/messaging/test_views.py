"""The notifications page, opening a notification, and the bell's unread count."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from core.models import Notification
from core.notify import notify
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LIST = reverse("messaging:notifications")
READ_ALL = reverse("messaging:notifications_read_all")


def tell(person, key: str, url: str = "") -> Notification:
    (notification,) = notify(
        recipients=[person],
        kind="tests.greeting",
        template="tests/notifications/greeting",
        context={},
        url=url,
        key=key,
        email=False,
    )
    return notification


def open_url(notification: Notification) -> str:
    return reverse("messaging:notification_open", args=[notification.pk])


def unread_badge(html: str) -> str | None:
    match = re.search(r'class="[^"]*notification-count[^"]*"[^>]*>(\d+)<', html)
    return match.group(1) if match else None


@pytest.fixture
def person(client):
    user = UserFactory(language="en", name="Mette Hansen")
    client.force_login(user)
    return user


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get(LIST)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_list_shows_my_notifications_and_not_other_peoples(client, person):
    tell(person, "mine")
    tell(UserFactory(name="Someone Else"), "theirs")

    html = client.get(LIST).content.decode()

    assert "[en] Hello Mette Hansen" in html
    assert "Someone Else" not in html


def test_an_empty_list_says_so(client, person):
    html = client.get(LIST).content.decode()

    assert "You have no notifications." in html


def test_the_header_shows_how_many_notifications_are_unread(client, person):
    tell(person, "one")
    tell(person, "two")
    read = tell(person, "three")
    Notification.objects.filter(pk=read.pk).update(read_at="2025-01-01T00:00:00Z")

    assert unread_badge(client.get(reverse("home")).content.decode()) == "2"


def test_the_header_shows_no_count_when_everything_is_read(client, person):
    assert unread_badge(client.get(reverse("home")).content.decode()) is None


def test_opening_a_notification_marks_it_read_and_goes_to_what_it_is_about(client, person):
    notification = tell(person, "about-page", url="/tilgaengelighed/")

    response = client.post(open_url(notification))

    assert response.status_code == 302
    assert response["Location"] == "/tilgaengelighed/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_the_list_opens_a_notification_with_a_button_that_marks_it_read(client, person):
    notification = tell(person, "about-page", url="/tilgaengelighed/")

    html = client.get(LIST).content.decode()

    assert f'<form method="post" action="{open_url(notification)}">' in html
    assert f'href="{open_url(notification)}"' not in html


def test_following_a_link_to_a_notification_goes_there_and_changes_nothing(client, person):
    """The daily e-mail links to each notification; a GET (a mail scanner's too) only
    goes to what it is about, and the notification stays unread."""
    notification = tell(person, "about-page", url="/tilgaengelighed/")

    response = client.get(open_url(notification))

    assert response.status_code == 302
    assert response["Location"] == "/tilgaengelighed/"
    notification.refresh_from_db()
    assert notification.read_at is None


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/phish", "javascript:alert(1)"]
)
def test_opening_a_notification_never_redirects_to_another_site(client, person, target):
    notification = tell(person, "bad-link", url=target)

    response = client.post(open_url(notification))

    assert response.status_code == 302
    assert response["Location"] == LIST
    notification.refresh_from_db()
    assert notification.is_read


def test_a_notification_without_a_link_opens_the_list(client, person):
    notification = tell(person, "no-link")

    response = client.get(open_url(notification))

    assert response["Location"] == LIST


def test_someone_elses_notification_cannot_be_opened(client, person):
    theirs = tell(UserFactory(), "theirs", url="/tilgaengelighed/")

    response = client.post(open_url(theirs))

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_read_marks_only_my_notifications(client, person):
    mine = [tell(person, "one"), tell(person, "two")]
    theirs = tell(UserFactory(), "theirs")

    response = client.post(READ_ALL)

    assert response.status_code == 302
    assert response["Location"] == LIST
    assert all(Notification.objects.get(pk=n.pk).is_read for n in mine)
    assert not Notification.objects.get(pk=theirs.pk).is_read
    assert unread_badge(client.get(LIST).content.decode()) is None


def test_mark_all_read_from_htmx_answers_204_and_asks_for_a_refresh(client, person):
    tell(person, "one")

    response = client.post(READ_ALL, headers={"HX-Request": "true"})

    assert response.status_code == 204
    assert response["HX-Refresh"] == "true"
    assert not Notification.objects.filter(recipient=person, read_at=None).exists()


def test_mark_all_read_only_accepts_post(client, person):
    tell(person, "one")

    response = client.get(READ_ALL)

    assert response.status_code == 405
    assert Notification.objects.filter(recipient=person, read_at=None).count() == 1


def test_the_mark_all_button_shows_only_when_something_is_unread(client, person):
    assert READ_ALL not in client.get(LIST).content.decode()

    tell(person, "one")

    assert READ_ALL in client.get(LIST).content.decode()
