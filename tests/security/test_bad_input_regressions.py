"""Bad input that once changed things or failed with a 500, found by feeding the POST-only
URLs: each is now turned away with a Danish message and changes nothing."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages

from devices.models import WaitingListEntry
from goals.models import ActionStep
from grants.models import Application
from tests.security.discovery import HTMX, MATRIX


def _post(client, world, name: str, role: str, data: dict, **headers):
    client.force_login(world.user(role))
    return client.post(MATRIX[name].path(world), data, **headers)


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.mark.django_db
def test_an_unknown_answer_to_a_waiting_list_offer_keeps_the_place(client, matrix_world):
    entry = matrix_world.objects["suitcase_offer"]
    status = WaitingListEntry.objects.get(pk=entry.pk).status
    response = _post(client, matrix_world, "devices:offer_answer", "leader", {"answer": "måske"})
    assert response.status_code == 302
    assert _messages(response) == ["Vælg, om I tager imod, siger nej eller forlader ventelisten."]
    assert WaitingListEntry.objects.get(pk=entry.pk).status == status


@pytest.mark.django_db
@pytest.mark.parametrize("headers", [{}, HTMX], ids=["form", "htmx"])
@pytest.mark.parametrize("plan", ["\x00", "-1", "1e9", "²"])
def test_a_decision_sent_to_an_impossible_plan_asks_for_a_plan(client, matrix_world, plan, headers):
    steps = ActionStep.objects.count()
    response = _post(
        client, matrix_world, "goals:decision_to_step", "leader", {"plan": plan}, **headers
    )
    said = response.content.decode() if headers else " ".join(_messages(response))
    assert response.status_code == (200 if headers else 302)
    assert "Vælg den handleplan, trinnet hører til." in said
    assert ActionStep.objects.count() == steps


@pytest.mark.django_db
@pytest.mark.parametrize("note", ["Vi venter\x00", "x" * 1001])
def test_a_withdrawal_with_a_note_that_cannot_be_kept_is_refused(client, matrix_world, note):
    application = matrix_world.objects["application"]
    status = Application.objects.get(pk=application.pk).state
    response = _post(client, matrix_world, "grants:application_withdraw", "leader", {"note": note})
    assert response.status_code == 302
    (message,) = _messages(response)
    assert "tegn" in message, message  # "højst 1000 tegn" / "Null-tegn er ikke tilladt."
    assert Application.objects.get(pk=application.pk).state == status


@pytest.mark.django_db
@pytest.mark.parametrize("district", ["Nord\x00", "x" * 3000, "Ingen steder"])
def test_a_district_filter_that_is_not_on_offer_is_ignored(client, matrix_world, district):
    client.force_login(matrix_world.user("consultant"))
    path = MATRIX["institutions:municipality"].path(matrix_world)
    response = client.get(path, {"distrikt": district})
    assert response.status_code == 200
    assert "Solstrålen" in response.content.decode()
    assert "Troldehøjen" in response.content.decode()
