"""The shell around every page: header with authority and person, navigation by role,
skip link, footer with the accessibility statement, the icon sprite."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

HOME = reverse("home")


def nav_links(html: str) -> list[str]:
    menu = html[html.index('class="nav"') : html.index("</nav>", html.index('class="nav"'))]
    return re.findall(r'<a href="([^"]+)" class="nav-link"', menu)


def test_anonymous_visitors_are_asked_to_log_in(client):
    response = client.get(HOME)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next=/"


def test_a_person_without_any_role_is_told_how_roles_come_about(client):
    client.force_login(UserFactory(language="en", name="Ny Person"))

    html = client.get(HOME).content.decode()

    assert "Welcome, Ny" in html
    assert "You have no role in the portal yet" in html


def test_the_header_names_the_municipality_and_the_persons_role(client, world):
    client.force_login(world.user("leader"))

    html = client.get(HOME).content.decode()

    assert '<strong class="authority-name">Køge Kommune</strong>' in html
    leader = world.user("leader")
    assert re.search(
        rf'<p class="user"><a href="/konto/profil/"[^>]*>{re.escape(leader.name)}</a>, '
        r"[^<]+, Solstrålen</p>",
        html,
    )


def test_an_administrator_navigates_their_own_municipality_only(client, world):
    client.force_login(world.user("admin"))

    links = nav_links(client.get(HOME).content.decode())

    assert HOME in links
    assert reverse("institutions:municipality", args=[world.municipality.pk]) in links
    assert reverse("indicators:municipality", args=[world.municipality.pk]) in links
    assert not any(f"/{world.other_municipality.pk}/" in link for link in links)


def test_the_current_page_is_marked_in_the_navigation(client, world):
    client.force_login(world.user("admin"))

    html = client.get(HOME).content.decode()

    assert f'<a href="{HOME}" class="nav-link" aria-current="page">' in html


def test_a_page_outside_the_navigation_marks_no_entry(client, world):
    client.force_login(world.user("admin"))

    html = client.get(reverse("accounts:profile")).content.decode()

    assert f'<a href="{HOME}" class="nav-link">' in html
    assert 'class="nav-link" aria-current="page"' not in html


def test_an_entry_is_marked_on_its_own_page(client, world):
    client.force_login(world.user("admin"))
    overview = reverse("institutions:municipality", args=[world.municipality.pk])

    html = client.get(overview).content.decode()

    assert f'<a href="{overview}" class="nav-link" aria-current="page">' in html


def test_a_guardian_is_not_offered_the_daycares_staff_pages(client, world):
    client.force_login(world.user("guardian"))

    links = nav_links(client.get(HOME).content.decode())

    assert HOME in links
    assert reverse("institutions:detail", args=[world.institution.pk]) not in links
    assert reverse("institutions:municipality", args=[world.municipality.pk]) not in links


def test_every_page_starts_with_a_skip_link_to_the_content(client):
    html = client.get(reverse("accessibility")).content.decode()

    assert '<a class="skipnav" href="#main-content">' in html
    assert 'id="main-content"' in html
    assert html.index("skipnav") < html.index("<header")


def test_the_footer_links_to_the_accessibility_statement_in_danish(client):
    html = client.get(reverse("privacy")).content.decode()

    assert f'<a href="{reverse("accessibility")}">Tilgængelighedserklæring</a>' in html


def test_the_icon_sprite_is_inlined_once_so_icons_need_no_extra_request(client):
    html = client.get(reverse("accessibility")).content.decode()

    assert html.count('<div class="d-none"><svg aria-hidden="true"') == 1
    assert "<?xml" not in html
    assert '<use href="#' in html
