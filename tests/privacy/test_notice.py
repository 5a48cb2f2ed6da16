"""Each municipality's privacy notice (GDPR art. 13–14): public, drawn by default from
what the portal stores and for how long, changed by the municipality's administrators,
and shown to each person once after login until they confirm reading it."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils.http import urlencode

from core.audit import AuditEntry
from privacy.models import PrivacyNotice, PrivacyNoticeSeen
from tests.factories import (
    PASSWORD,
    GuardianshipFactory,
    InstitutionFactory,
    MunicipalityFactory,
    MunicipalRoleFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

LOGIN = reverse("account_login")


@pytest.fixture
def koege():
    return MunicipalityFactory(name="Køge Kommune", code="259")


@pytest.fixture
def parent(koege):
    guardianship = GuardianshipFactory(
        child__group__institution=InstitutionFactory(municipality=koege),
        guardian__email="mor@example.org",
        guardian__name="Mette Holm",
    )
    return guardianship.guardian


@pytest.fixture
def admin(koege):
    return MunicipalRoleFactory(municipality=koege, user__email="admin@example.org").user


def edit(client, municipality, **changes):
    data = {
        "contact": "",
        "dpo_name": "",
        "dpo_email": "",
        "dpo_phone": "",
        "text": "## Formål\n\nVi bruger oplysningerne til dagtilbuddet.",
        **changes,
    }
    return client.post(reverse("privacy:notice_edit", args=[municipality.pk]), data)


def test_the_default_notice_states_basis_retention_rights_and_datatilsynet(client, koege):
    html = client.get(reverse("privacy:notice", args=[koege.pk])).content.decode()

    assert "Privatlivspolitik for Køge Kommune" in html
    assert "Køge Kommune er dataansvarlig" in html
    assert "artikel 6, stk. 1, litra e" in html
    assert "dagtilbudsloven" in html
    assert "artikel 9, stk. 2, litra g" in html
    # The retention periods configured in code, in words.
    assert "5 år efter, at barnet stoppede" in html
    assert "i 2 år" in html
    assert "efter 18 måneder" in html
    assert "Datatilsynet" in html and "Carl Jacobsens Vej 35" in html
    assert "Kommunen har endnu ikke oplyst sin databeskyttelsesrådgiver" in html
    assert "Jeg har læst det" not in html  # nobody to confirm: not logged in


@override_settings(CHILD_RETENTION_DAYS=3 * 365, ACCESS_LOG_RETENTION_DAYS=400)
def test_the_default_follows_the_retention_configured(client, koege):
    html = client.get(reverse("privacy:notice", args=[koege.pk])).content.decode()

    assert "3 år efter, at barnet stoppede" in html
    assert "i 400 dage" in html


def test_the_general_page_shows_the_persons_own_municipality(client, koege, parent):
    MunicipalityFactory(name="Solrød Kommune", code="269")
    client.force_login(parent)

    html = client.get(reverse("privacy")).content.decode()

    assert "Privatlivspolitik for Køge Kommune" in html
    assert "Solrød" not in html


def test_before_login_the_general_page_lists_every_municipality(client, koege):
    solrod = MunicipalityFactory(name="Solrød Kommune", code="269")

    html = client.get(reverse("privacy")).content.decode()

    assert f'href="{reverse("privacy:notice", args=[koege.pk])}"' in html
    assert f'href="{reverse("privacy:notice", args=[solrod.pk])}"' in html


def test_the_login_page_my_data_and_the_footer_link_to_the_notice(client, parent):
    link = f'href="{reverse("privacy")}"'
    assert link in client.get(LOGIN).content.decode()
    client.force_login(parent)
    html = client.get(reverse("privacy:my_data")).content.decode()
    assert html.count(link) == 2  # the page's own text and the footer


def test_the_administrator_changes_the_notice_and_everyone_sees_it(client, koege, admin, parent):
    client.force_login(admin)
    form = client.get(reverse("privacy:notice_edit", args=[koege.pk])).content.decode()
    assert "artikel 6, stk. 1, litra e" in form  # the default is there to adjust

    response = edit(
        client,
        koege,
        contact="Torvet 1, 4600 Køge",
        dpo_name="Lise Dahl",
        dpo_email="dpo@koege.dk",
        text="## Formål\n\nVi bruger oplysningerne til dagtilbuddet.\n\n- Navn\n- Fødselsdato"
        "\n\n<b>fed</b>",
    )

    assert response.status_code == 302
    notice = PrivacyNotice.objects.get(municipality=koege)
    assert (notice.version, notice.dpo_name, notice.updated_by) == (2, "Lise Dahl", admin)
    assert AuditEntry.objects.filter(action="privacy.notice_changed").count() == 1
    client.force_login(parent)
    html = client.get(reverse("privacy:notice", args=[koege.pk])).content.decode()
    assert "<h2>Formål</h2>" in html
    assert "<li>Navn</li>" in html
    assert "Lise Dahl" in html and 'href="mailto:dpo@koege.dk"' in html
    assert "Torvet 1, 4600 Køge" in html
    assert "&lt;b&gt;fed&lt;/b&gt;" in html  # shown as typed, never as HTML
    assert "artikel 6, stk. 1, litra e" not in html


def test_saving_without_changes_keeps_the_version(client, koege, admin):
    client.force_login(admin)
    edit(client, koege, dpo_name="Lise Dahl")
    edit(client, koege, dpo_name="Lise Dahl")

    assert PrivacyNotice.objects.get(municipality=koege).version == 2
    assert AuditEntry.objects.filter(action="privacy.notice_changed").count() == 1


def test_an_empty_notice_or_a_bad_email_is_refused_in_danish_and_saves_nothing(
    client, koege, admin
):
    client.force_login(admin)

    response = edit(client, koege, text="   ", dpo_email="ikke en adresse")

    assert response.status_code == 400
    html = response.content.decode()
    assert "Skriv privatlivspolitikken, eller behold den foreslåede tekst." in html
    assert "Indtast en gyldig e-mail-adresse." in html
    assert not PrivacyNotice.objects.exists()


def test_only_the_municipalitys_own_administrator_may_change_it(client, koege, parent):
    other_admin = MunicipalRoleFactory(municipality=MunicipalityFactory(code="269")).user
    for person, status in ((parent, 403), (other_admin, 404)):
        client.force_login(person)
        assert edit(client, koege).status_code == status
        assert client.get(reverse("privacy:notice_edit", args=[koege.pk])).status_code == status
    assert not PrivacyNotice.objects.exists()


def login(client, email):
    return client.post(f"{LOGIN}?next=/opslag/", {"login": email, "password": PASSWORD})


def test_after_the_first_login_the_notice_is_shown_until_confirmed(client, koege, parent):
    notice_url = reverse("privacy:notice", args=[koege.pk])

    response = login(client, parent.email)

    assert response["Location"] == f"{notice_url}?{urlencode({'next': '/opslag/'})}"
    page = client.get(response["Location"]).content.decode()
    assert "Jeg har læst det" in page
    assert 'name="next" value="/opslag/"' in page
    assert not PrivacyNoticeSeen.objects.exists()  # looking changes nothing

    confirmed = client.post(reverse("privacy:notice_read", args=[koege.pk]), {"next": "/opslag/"})

    assert confirmed["Location"] == "/opslag/"
    assert PrivacyNoticeSeen.objects.get(user=parent, municipality=koege).version == 1
    assert "Jeg har læst det" not in client.get(notice_url).content.decode()
    client.logout()
    assert login(client, parent.email)["Location"] == "/opslag/"


def test_a_changed_notice_is_shown_once_more(client, koege, parent, admin):
    PrivacyNoticeSeen.objects.create(user=parent, municipality=koege, version=1)
    client.force_login(admin)
    edit(client, koege, dpo_name="Lise Dahl")
    client.logout()

    assert login(client, parent.email)["Location"].startswith(
        reverse("privacy:notice", args=[koege.pk])
    )


def test_confirming_goes_only_to_a_page_of_the_portal(client, koege, parent):
    client.force_login(parent)

    response = client.post(
        reverse("privacy:notice_read", args=[koege.pk]), {"next": "https://evil.example/"}
    )

    assert response["Location"] == reverse("home")


def test_a_person_with_no_municipality_goes_straight_on(client):
    person = UserFactory(email="ny@example.org")

    assert login(client, person.email)["Location"] == "/opslag/"


def test_a_person_in_two_municipalities_reads_each_notice_in_turn(client, koege, parent):
    solrod = MunicipalityFactory(name="Solrød Kommune", code="269")
    GuardianshipFactory(
        guardian=parent, child__group__institution=InstitutionFactory(municipality=solrod)
    )
    client.force_login(parent)

    first = client.post(reverse("privacy:notice_read", args=[koege.pk]), {"next": "/opslag/"})

    solrod_notice = reverse("privacy:notice", args=[solrod.pk])
    assert first["Location"] == f"{solrod_notice}?{urlencode({'next': '/opslag/'})}"
    second = client.post(reverse("privacy:notice_read", args=[solrod.pk]), {"next": "/opslag/"})
    assert second["Location"] == "/opslag/"


def test_the_administrator_finds_the_notice_from_the_home_page(client, koege, admin):
    client.force_login(admin)

    html = client.get(reverse("home")).content.decode()

    assert f'href="{reverse("privacy:notice_edit", args=[koege.pk])}"' in html
