"""The demo's families agree with the reach page: a guardian who has never logged in has
read nothing, and some have not started yet, so the page has work to show."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from accounts.models import User
from messaging.models import PostDelivery, ThreadRead
from messaging.selectors import reach
from portal import demo

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        yield demo.seed()
        transaction.set_rollback(True)


def test_no_guardian_who_never_logged_in_has_read_anything(seeded):
    never = User.objects.filter(last_login=None, guardianships__isnull=False).distinct()
    assert never.exists()

    assert not PostDelivery.objects.filter(guardian__in=never, read_at__isnull=False).exists()
    assert not ThreadRead.objects.filter(user__in=never).exists()


def test_the_reach_page_of_the_demo_daycare_agrees_with_itself(seeded, client):
    rows, _without = reach(seeded.featured)
    waiting = [row for row in rows if not row.activated]
    assert waiting, "some families have not started: the page has work to show"
    assert all(row.last_active is None for row in waiting)

    client.force_login(User.objects.get(email="paedagog@koege.example"))
    html = client.get(reverse("messaging:reach", args=[seeded.featured.pk])).content.decode()

    table = html[html.index("<tbody>") : html.index("</tbody>")]
    not_activated = [row for row in table.split("<tr>") if "Ikke aktiveret" in row]
    assert len(not_activated) == len(waiting)
    for row in not_activated:
        assert re.search(r"<td>–</td>\s*</tr>|<td>–</td>\s*$", row.strip()), row
