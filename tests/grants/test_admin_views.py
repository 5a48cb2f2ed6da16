"""The administrator's side of the grants pages through the Django client: creating and
editing a pool (and the Danish refusal that stores nothing), publishing it, calculating
and publishing the shares of a formula pool, asking a daycare for changes, and a leader
removing an expense. Each test asserts what the page says and what the database holds."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from core.models import Notification
from grants.models import Application, Earmark, Expense, Grant, Pool, ShareRun
from institutions.models import Institution
from tests.factories import ChildrenCountFactory, InstitutionFactory, MunicipalityFactory
from tests.grants.helpers import (
    admin_of,
    book,
    leader_of,
    make_application,
    make_pool,
    today,
)
from tests.grants.test_views import text_of

pytestmark = pytest.mark.django_db

State = Application.State


def url(name: str, *args) -> str:
    return reverse(f"grants:{name}", args=args)


@pytest.fixture
def koege():
    return MunicipalityFactory(name="Køge Kommune", code="259")


@pytest.fixture
def admin(koege):
    return admin_of(koege)


@pytest.fixture
def daycare(koege):
    institution = InstitutionFactory(municipality=koege, name="Solstrålen")
    leader_of(institution)
    return institution


def pool_post(**over) -> dict:
    data = {
        "name": "Robotter i børnehøjde",
        "description": "Til robotter og apps, som børnene selv styrer.",
        "kind": "application",
        "total_ore": "250.000",
        "period_start": today().isoformat(),
        "period_end": (today() + timedelta(days=365)).isoformat(),
        "opens_on": today().isoformat(),
        "closes_on": (today() + timedelta(days=45)).isoformat(),
        "max_per_application_ore": "25.000",
        "partial_funding_allowed": "on",
        "earmarks": ["devices", "learning_materials"],
        "eligible_kinds": [],
    }
    data.update(over)
    return data


# Pools ---------------------------------------------------------------------------------


def test_the_administrator_creates_a_pool_that_waits_unpublished(client, koege, admin):
    client.force_login(admin)

    response = client.post(url("pool_create", koege.pk), pool_post())

    pool = Pool.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("pool", pool.pk)
    assert (pool.name, pool.municipality, pool.kind) == (
        "Robotter i børnehøjde",
        koege,
        Pool.Kind.APPLICATION,
    )
    assert (pool.total_ore, pool.max_per_application_ore) == (25_000_000, 2_500_000)
    assert sorted(pool.earmarks) == ["devices", "learning_materials"]
    assert pool.published_at is None
    page = text_of(client.get(response["Location"]))
    assert "Puljen er oprettet." in page
    assert "Robotter i børnehøjde" in page
    assert "250.000,00 kr." in page
    assert "25.000,00 kr." in page
    assert "ikke offentliggjort" in page
    assert "Offentliggør puljen" in page


@pytest.mark.parametrize(
    ("over", "message"),
    [
        (
            {"period_end": (today() - timedelta(days=1)).isoformat()},
            "Perioden skal slutte, efter den starter.",
        ),
        ({"total_ore": "mange penge"}, "Skriv beløbet i kroner"),
        ({"earmarks": []}, "Dette felt er påkrævet."),
        ({"name": ""}, "Dette felt er påkrævet."),
    ],
)
def test_a_bad_pool_is_refused_in_danish_and_nothing_is_stored(client, koege, admin, over, message):
    client.force_login(admin)

    response = client.post(url("pool_create", koege.pk), pool_post(**over))

    assert response.status_code == 400
    assert message in text_of(response)
    assert not Pool.objects.exists()


def test_a_second_pool_with_the_same_name_is_refused(client, koege, admin):
    make_pool(koege, name="Robotter i børnehøjde")
    client.force_login(admin)

    response = client.post(url("pool_create", koege.pk), pool_post(name="robotter i børnehøjde"))

    assert response.status_code == 400
    assert "Kommunen har allerede en pulje med det navn." in text_of(response)
    assert Pool.objects.count() == 1


def test_the_administrator_edits_a_pool_and_the_page_shows_the_change(client, koege, admin):
    pool = make_pool(koege, name="Forsøg med digitale læremidler", total_kr=100_000)
    client.force_login(admin)
    form_page = text_of(client.get(url("pool_edit", pool.pk)))
    assert "Forsøg med digitale læremidler" in form_page

    response = client.post(
        url("pool_edit", pool.pk),
        pool_post(
            name="Digitale læremidler 2026",
            total_ore="120.000",
            kind="formula",  # disabled on the form: a pool keeps its kind
        ),
    )

    assert response.status_code == 302
    pool.refresh_from_db()
    assert (pool.name, pool.total_ore, pool.kind) == (
        "Digitale læremidler 2026",
        12_000_000,
        Pool.Kind.APPLICATION,
    )
    page = text_of(client.get(url("pool", pool.pk)))
    assert "Puljen er gemt." in page
    assert "Digitale læremidler 2026" in page
    assert "120.000,00 kr." in page


def test_an_edit_below_what_is_committed_is_refused_and_nothing_changes(
    client, koege, admin, daycare
):
    pool = make_pool(koege, name="Forsøg med digitale læremidler", total_kr=100_000)
    make_application(pool, daycare, state=State.DECIDED, asked_kr=20_000)
    client.force_login(admin)

    response = client.post(
        url("pool_edit", pool.pk),
        pool_post(name="Nyt navn", total_ore="10.000", max_per_application_ore=""),
    )

    assert response.status_code == 400
    assert (
        "Det samlede beløb kan ikke være mindre end det, der allerede er bevilget (20.000,00 kr.)"
        in text_of(response)
    )
    pool.refresh_from_db()
    assert (pool.name, pool.total_ore) == ("Forsøg med digitale læremidler", 10_000_000)


def test_publishing_a_pool_opens_it_to_the_daycares_leaders(client, koege, admin, daycare):
    pool = make_pool(koege, name="Robotter i børnehøjde", publish=False)
    client.force_login(leader_of(daycare))
    assert client.get(url("pool", pool.pk)).status_code == 404
    client.force_login(admin)

    response = client.post(url("pool_publish", pool.pk), follow=True)

    pool.refresh_from_db()
    assert pool.published_at is not None
    page = text_of(response)
    assert "Puljen er offentliggjort. Dagtilbuddenes ledere får besked." in page
    assert "Offentliggør puljen" not in page
    client.force_login(leader_of(daycare))
    leader_page = text_of(client.get(url("pool", pool.pk)))
    assert "Robotter i børnehøjde" in leader_page
    assert "Søg for Solstrålen" in leader_page


def test_publishing_twice_says_so_and_keeps_the_first_date(client, koege, admin):
    pool = make_pool(koege, name="Robotter i børnehøjde")
    first = pool.published_at
    client.force_login(admin)

    response = client.post(url("pool_publish", pool.pk), follow=True)

    assert "Puljen er allerede offentliggjort." in text_of(response)
    pool.refresh_from_db()
    assert pool.published_at == first


# Shares of a formula pool ---------------------------------------------------------------


@pytest.fixture
def formula(koege, daycare):
    """A formula pool of 90,000 kr. over three daycares with 60, 20 and 10 children."""
    ChildrenCountFactory(institution=daycare, counted_on=today(), aged_0_2=20, aged_3_5=40)
    small = InstitutionFactory(municipality=koege, name="Troldehøjen")
    ChildrenCountFactory(institution=small, counted_on=today(), aged_0_2=5, aged_3_5=15)
    smaller = InstitutionFactory(
        municipality=koege, name="Myretuen", kind=Institution.Kind.KINDERGARTEN
    )
    ChildrenCountFactory(institution=smaller, counted_on=today(), aged_0_2=0, aged_3_5=10)
    return make_pool(
        koege,
        name="Udviklingsmidler",
        kind=Pool.Kind.FORMULA,
        total_kr=90_000,
        opens_on=None,
        closes_on=None,
        earmarks=[Earmark.WIFI, Earmark.DEVICES],
    )


def share_post(pool, without=(), **over) -> dict:
    data = {
        "reference_date": today().isoformat(),
        "wifi_reserve_ore": "5.000",
        "rest_earmark": "devices",
        "without_wifi": [str(i.pk) for i in without],
    }
    data.update(over)
    return data


def test_the_share_preview_is_calculated_and_shown_but_nothing_is_granted(
    client, koege, admin, daycare, formula
):
    client.force_login(admin)

    response = client.post(url("share_run", formula.pk), share_post(formula, without=[daycare]))

    assert response.status_code == 302
    assert response["Location"] == url("share_run", formula.pk)
    run = ShareRun.objects.get(pool=formula)
    assert not run.is_published
    shares = {s.institution.name: (s.amount_ore, s.wifi_ore) for s in run.shares.all()}
    assert shares == {
        "Solstrålen": (6_000_000, 500_000),
        "Troldehøjen": (2_000_000, 0),
        "Myretuen": (1_000_000, 0),
    }
    assert not Grant.objects.exists()
    formula.refresh_from_db()
    assert formula.committed_ore == 0
    page = text_of(client.get(response["Location"]))
    assert "Andelene er beregnet. Kontrollér dem, og offentliggør dem derefter." in page
    assert "Forhåndsvisning" in page
    assert "Solstrålen" in page and "60.000,00 kr. 5.000,00 kr. 55.000,00 kr." in page
    assert "90.000,00 kr." in page
    assert "Offentliggør andelene" in page


def test_a_share_run_in_the_future_is_refused_in_danish_and_nothing_is_stored(
    client, admin, formula
):
    client.force_login(admin)

    response = client.post(
        url("share_run", formula.pk),
        share_post(formula, reference_date=(today() + timedelta(days=3)).isoformat()),
    )

    assert response.status_code == 400
    assert "Skæringsdatoen kan ikke ligge i fremtiden." in text_of(response)
    assert not ShareRun.objects.exists()


def test_publishing_the_shares_grants_each_daycare_its_share(
    client, koege, admin, daycare, formula, django_capture_on_commit_callbacks
):
    client.force_login(admin)
    client.post(url("share_run", formula.pk), share_post(formula, without=[daycare]))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("share_run_publish", formula.pk))

    assert response.status_code == 302
    assert response["Location"] == url("pool", formula.pk)
    run = ShareRun.objects.get(pool=formula)
    assert run.is_published
    grants = {g.institution.name: g.amount_ore for g in Grant.objects.select_related("institution")}
    assert grants == {"Solstrålen": 6_000_000, "Troldehøjen": 2_000_000, "Myretuen": 1_000_000}
    ours = Grant.objects.get(institution=daycare)
    assert {a.earmark: a.amount_ore for a in ours.allocations.all()} == {
        "wifi": 500_000,
        "devices": 5_500_000,
    }
    formula.refresh_from_db()
    assert formula.committed_ore == 9_000_000
    assert formula.published_at is not None
    page = text_of(client.get(response["Location"]))
    assert "Andelene er offentliggjort. Hvert dagtilbuds leder får besked om sin andel." in page
    assert Notification.objects.filter(recipient=leader_of(daycare)).exists()
    # The leader sees the daycare's own share, not the neighbours'.
    client.force_login(leader_of(daycare))
    leader_page = text_of(client.get(url("pool", formula.pk)))
    assert "60.000,00 kr." in leader_page
    assert "Troldehøjen" not in leader_page


def test_published_shares_are_neither_published_nor_calculated_again(
    client, admin, daycare, formula
):
    client.force_login(admin)
    client.post(url("share_run", formula.pk), share_post(formula))
    client.post(url("share_run_publish", formula.pk))

    again = client.post(url("share_run_publish", formula.pk), follow=True)
    assert "Andelene er allerede offentliggjort." in text_of(again)
    recalc = client.post(
        url("share_run", formula.pk), share_post(formula, without=[daycare]), follow=True
    )

    page = text_of(recalc)
    assert "Andelene er offentliggjort og kan ikke længere beregnes igen." in page
    assert Grant.objects.count() == 3
    assert not ShareRun.objects.get().shares.filter(has_wifi=False).exists()


def test_publishing_before_calculating_is_refused(client, admin, formula):
    client.force_login(admin)

    response = client.post(url("share_run_publish", formula.pk), follow=True)

    assert "Beregn andelene, før de offentliggøres." in text_of(response)
    assert not Grant.objects.exists()


# Asking for changes, removing an expense ------------------------------------------------


def test_the_administrator_asks_for_changes_and_the_leader_sees_why(client, koege, admin, daycare):
    pool = make_pool(koege)
    application = make_application(pool, daycare, state=State.IN_REVIEW)
    client.force_login(admin)

    response = client.post(
        url("application_request_changes", application.pk),
        {"comment": "Skriv, hvor mange børn der er med."},
        follow=True,
    )

    application.refresh_from_db()
    assert application.state == State.CHANGES_REQUESTED
    page = text_of(response)
    assert "Ansøgningen er sendt tilbage til dagtilbuddet til ændringer." in page
    assert "Skriv, hvor mange børn der er med." in page
    client.force_login(leader_of(daycare))
    leader_page = text_of(client.get(url("application", application.pk)))
    assert "Skriv, hvor mange børn der er med." in leader_page
    assert client.get(url("application_edit", application.pk)).status_code == 200


def test_asking_for_changes_without_saying_what_changes_nothing(client, koege, admin, daycare):
    pool = make_pool(koege)
    application = make_application(pool, daycare, state=State.IN_REVIEW)
    client.force_login(admin)

    response = client.post(
        url("application_request_changes", application.pk), {"comment": "  "}, follow=True
    )

    assert "Skriv, hvad dagtilbuddet skal ændre." in text_of(response)
    assert Application.objects.get().state == State.IN_REVIEW
    assert not application.comments.exists()


def test_the_leader_removes_an_expense_and_the_money_is_back(client, koege, daycare):
    pool = make_pool(koege)
    grant = Grant.objects.get(
        application=make_application(pool, daycare, state=State.DECIDED, asked_kr=20_000)
    )
    keep = book(grant, kr=1_000, description="Opladerstation")
    gone = book(grant, kr=4_500, description="Seks Bee-Bots")
    client.force_login(leader_of(daycare))

    response = client.post(url("expense_delete", grant.pk, gone.pk), follow=True)

    assert list(Expense.objects.all()) == [keep]
    assert sum(a.spent_ore for a in grant.allocations.all()) == 100_000
    page = text_of(response)
    assert "Udgiften er fjernet." in page
    assert "Seks Bee-Bots" not in page
    assert "Opladerstation" in page
    assert "19.000,00 kr." in page  # left of the 20,000


def test_an_expense_on_another_grant_is_not_found(client, koege, daycare):
    pool = make_pool(koege)
    grant = Grant.objects.get(application=make_application(pool, daycare, state=State.DECIDED))
    neighbour = InstitutionFactory(municipality=koege, name="Troldehøjen")
    other = Grant.objects.get(application=make_application(pool, neighbour, state=State.DECIDED))
    expense = book(other, kr=500)
    client.force_login(leader_of(daycare))

    assert client.post(url("expense_delete", grant.pk, expense.pk)).status_code == 404
    assert client.post(url("expense_delete", other.pk, expense.pk)).status_code == 404
    assert Expense.objects.filter(pk=expense.pk).exists()
