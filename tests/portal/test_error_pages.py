"""Every error a person can meet is the portal's own page, in Danish, in the portal's
design: a bad request, no access, not found, too many attempts, a failed form (CSRF) and
a fault in the portal."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("account_login")


def assert_portal_page_in_danish(response, status: int, heading: str) -> None:
    page = response.content.decode()
    assert response.status_code == status
    assert '<html lang="da">' in page
    assert "css/portal.css" in page, "not in the portal's design"
    assert f"<h1>{heading}</h1>" in page
    assert "Til forsiden" in page or "Gå til forsiden" in page


def test_a_bad_request_gets_the_danish_400_page(client):
    response = client.get("/", HTTP_HOST="fremmed.example")

    assert_portal_page_in_danish(response, 400, "Vi kunne ikke forstå forespørgslen")


def test_no_access_gets_the_danish_403_page(client, world):
    client.force_login(world.users["staff"])

    response = client.get(reverse("institutions:edit", args=[world.institution.pk]))

    assert_portal_page_in_danish(response, 403, "Du har ikke adgang til denne side")


def test_a_missing_page_gets_the_danish_404_page(client):
    response = client.get("/findes-ikke/")

    assert_portal_page_in_danish(response, 404, "Siden blev ikke fundet")


def test_too_many_logins_from_one_address_get_the_danish_429_page(client):
    UserFactory(email="mette@example.org")
    for attempt in range(30):
        client.post(LOGIN, {"login": f"ukendt{attempt}@example.org", "password": "x"})

    response = client.post(LOGIN, {"login": "mette@example.org", "password": PASSWORD})

    assert_portal_page_in_danish(response, 429, "For mange forsøg")
    assert "Vent et par minutter" in response.content.decode()


def test_a_form_sent_without_its_csrf_token_gets_the_danish_page():
    browser = Client(enforce_csrf_checks=True)
    browser.get(LOGIN)

    response = browser.post(LOGIN, {"login": "mette@example.org", "password": PASSWORD})

    assert_portal_page_in_danish(response, 403, "Formularen kunne ikke sendes")
    assert "CSRF" not in response.content.decode()


@pytest.mark.urls("tests.portal.failing_urls")
def test_a_fault_in_the_portal_gets_the_danish_500_page():
    browser = Client(raise_request_exception=False)

    response = browser.get("/fejler/")

    assert_portal_page_in_danish(response, 500, "Der opstod en fejl")
