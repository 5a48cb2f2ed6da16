"""The grants pages as their users see them: what each shows, what each form stores or
refuses (in Danish), that nobody reaches another daycare's or municipality's money, and
that lists keep a fixed number of queries as they grow."""

from __future__ import annotations

import html
import io
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from grants.models import Application, DigitalBudgetLine, Earmark, Expense, Grant, Pool
from tests.devices.helpers import make_device
from tests.factories import InstitutionFactory, MembershipFactory, MunicipalityFactory
from tests.goals.factories import LocalGoalFactory
from tests.grants.helpers import (
    admin_of,
    book,
    leader_of,
    make_application,
    make_pool,
    plain,
    png_receipt,
    receipt,
    today,
)
from tests.messaging.helpers import assert_without_metadata, photo_with_location

pytestmark = pytest.mark.django_db

State = Application.State


def url(name: str, *args) -> str:
    return reverse(f"grants:{name}", args=args)


def text_of(response) -> str:
    """What a reader sees: the page's text, tags dropped, entities and spaces normalised."""
    return plain(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())))


@pytest.fixture
def koege():
    return MunicipalityFactory(name="Køge Kommune", code="259")


@pytest.fixture
def daycare(koege):
    institution = InstitutionFactory(municipality=koege, name="Solstrålen")
    leader_of(institution)
    return institution


@pytest.fixture
def pool(koege):
    return make_pool(koege, name="Forsøg med digitale læremidler", total_kr=100_000)


# Applying -----------------------------------------------------------------------------


def application_post(**over) -> dict:
    data = {
        "project": "Bee-Bots i børnehaven",
        "purpose": "Børnene programmerer en robot.",
        "goal_text": "Matematisk opmærksomhed",
        "amount_asked_ore": "20.000",
        "partial_funding_helps": "on",
        "lines-TOTAL_FORMS": "3",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "12",
        "lines-0-description": "Seks Bee-Bots",
        "lines-0-earmark": "learning_materials",
        "lines-0-amount_ore": "15.000",
        "lines-1-description": "To tablets",
        "lines-1-earmark": "devices",
        "lines-1-amount_ore": "7500,50",
    }
    data.update(over)
    return data


def test_a_leader_drafts_an_application_with_danish_amounts(client, daycare, pool):
    client.force_login(leader_of(daycare))

    response = client.post(url("application_create", daycare.pk, pool.pk), application_post())

    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("application", application.pk)
    assert application.amount_asked_ore == 2_000_000
    assert sorted(application.budget_lines.values_list("amount_ore", flat=True)) == [
        750_050,
        1_500_000,
    ]
    page = text_of(client.get(response["Location"]))
    assert "Bee-Bots i børnehaven" in page
    assert "20.000,00 kr." in page
    assert "7.500,50 kr." in page
    assert "Kladde" in page


def test_the_application_names_one_of_the_daycares_own_goals(client, daycare, pool):
    goal = LocalGoalFactory(institution=daycare, title="Børnene fortæller med film")
    LocalGoalFactory(institution=daycare, title="Opgivet mål", status="dropped")
    LocalGoalFactory(title="Et andet dagtilbuds mål")
    client.force_login(leader_of(daycare))

    form_page = text_of(client.get(url("application_create", daycare.pk, pool.pk)))
    assert "Børnene fortæller med film" in form_page
    assert "Opgivet mål" not in form_page
    assert "Et andet dagtilbuds mål" not in form_page

    response = client.post(
        url("application_create", daycare.pk, pool.pk),
        application_post(local_goal=str(goal.pk), goal_text=""),
    )

    application = Application.objects.get()
    assert application.local_goal == goal
    detail = client.get(response["Location"]).content.decode()
    goal_url = reverse("goals:goal_detail", args=[daycare.pk, goal.pk])
    assert f'<a href="{goal_url}">Børnene fortæller med film</a>' in detail


def test_another_daycares_goal_is_refused_and_nothing_is_stored(client, daycare, pool):
    foreign_goal = LocalGoalFactory(title="Et andet dagtilbuds mål")
    client.force_login(leader_of(daycare))

    response = client.post(
        url("application_create", daycare.pk, pool.pk),
        application_post(local_goal=str(foreign_goal.pk)),
    )

    assert response.status_code == 400
    assert "Marker en gyldig valgmulighed" in text_of(response)
    assert not Application.objects.exists()


def test_a_bad_amount_is_refused_in_danish_and_nothing_is_stored(client, daycare, pool):
    client.force_login(leader_of(daycare))

    response = client.post(
        url("application_create", daycare.pk, pool.pk), application_post(amount_asked_ore="12.5")
    )

    assert response.status_code == 400
    assert "Skriv beløbet i kroner" in response.content.decode()
    assert not Application.objects.exists()


def test_asking_more_than_the_budget_is_refused_with_the_services_message(client, daycare, pool):
    client.force_login(leader_of(daycare))

    response = client.post(
        url("application_create", daycare.pk, pool.pk), application_post(amount_asked_ore="30.000")
    )

    assert response.status_code == 400
    assert "er større end budgettet" in plain(response.content.decode())
    assert not Application.objects.exists()


def test_the_leader_submits_and_withdraws(client, daycare, pool):
    application = make_application(pool, daycare)
    client.force_login(leader_of(daycare))

    client.post(url("application_submit", application.pk))
    assert Application.objects.get().state == State.SUBMITTED
    client.post(url("application_withdraw", application.pk), {"note": "Vi venter et år."})

    application.refresh_from_db()
    assert application.state == State.WITHDRAWN
    page = text_of(client.get(url("application", application.pk)))
    assert "Trukket tilbage" in page
    assert "Vi venter et år." in page  # the history shows the move and why


def test_an_illegal_move_from_the_page_shows_why_and_changes_nothing(client, daycare, pool):
    application = make_application(pool, daycare, state=State.DECIDED)
    client.force_login(leader_of(daycare))

    response = client.post(url("application_withdraw", application.pk), follow=True)

    assert "Det kan ikke lade sig gøre, mens ansøgningen har status" in plain(
        response.content.decode()
    )
    assert Application.objects.get().state == State.DECIDED


def test_the_ambassador_drafts_but_only_the_leader_submits(client, daycare, pool):
    ambassador = MembershipFactory(institution=daycare, role="ambassador").user
    application = make_application(pool, daycare)
    client.force_login(ambassador)

    assert client.get(url("application_edit", application.pk)).status_code == 200
    assert client.post(url("application_submit", application.pk)).status_code == 403
    assert Application.objects.get().state == State.DRAFT


def test_a_draft_is_not_found_by_the_municipality(client, daycare, pool):
    application = make_application(pool, daycare)
    client.force_login(admin_of(pool.municipality))

    assert client.get(url("application", application.pk)).status_code == 404
    assert "Bee-Bots" not in client.get(url("pool", pool.pk)).content.decode()


def test_another_daycares_leader_sees_neither_application_nor_grant(client, koege, daycare, pool):
    application = make_application(pool, daycare, state=State.DECIDED)
    grant = Grant.objects.get(application=application)
    neighbour = leader_of(InstitutionFactory(municipality=koege, name="Troldehøjen"))
    client.force_login(neighbour)

    for path in [
        url("application", application.pk),
        url("grant", grant.pk),
        url("institution", daycare.pk),
        url("budget", daycare.pk),
    ]:
        assert client.get(path).status_code == 404, path
    # The pool is the municipality's: visible, with only the neighbour's own applications.
    page = client.get(url("pool", pool.pk)).content.decode()
    assert "Bee-Bots" not in page


def test_staff_without_a_money_role_get_403(client, daycare, pool):
    application = make_application(pool, daycare, state=State.SUBMITTED)
    staff = MembershipFactory(institution=daycare, role="staff").user
    client.force_login(staff)

    assert client.get(url("application", application.pk)).status_code == 403
    assert client.get(url("institution", daycare.pk)).status_code == 403


def test_another_municipalitys_administrator_gets_404(client, daycare, pool):
    other = admin_of(MunicipalityFactory(name="Solrød Kommune", code="269"))
    application = make_application(pool, daycare, state=State.SUBMITTED)
    client.force_login(other)

    for path in [url("pool", pool.pk), url("application", application.pk)]:
        assert client.get(path).status_code == 404
    assert client.get(url("municipality", pool.municipality_id)).status_code == 404


# Review and decision --------------------------------------------------------------------


def test_the_administrator_reviews_comments_and_approves_in_part(
    client, daycare, pool, django_capture_on_commit_callbacks
):
    application = make_application(pool, daycare, state=State.SUBMITTED)
    client.force_login(admin_of(pool.municipality))

    client.post(url("application_review", application.pk))
    client.post(url("application_comment", application.pk), {"body": "Hvor mange børn?"})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("application_decide", application.pk),
            {
                "outcome": "partly_approved",
                "approved_ore": "12.000",
                "reason": "Mange ansøgere.",
                "report_due_on": (today() + timedelta(days=60)).isoformat(),
            },
        )

    assert response.status_code == 302
    application.refresh_from_db()
    assert (application.state, application.approved_ore) == (State.DECIDED, 1_200_000)
    page = text_of(client.get(url("application", application.pk)))
    assert "Delvist bevilget" in page
    assert "12.000,00 kr." in page
    assert "Hvor mange børn?" in page
    assert "Hent afgørelsesbrevet (PDF)" in page


def test_a_decision_form_without_a_reason_is_refused(client, daycare, pool):
    application = make_application(pool, daycare, state=State.IN_REVIEW)
    client.force_login(admin_of(pool.municipality))

    response = client.post(
        url("application_decide", application.pk), {"outcome": "rejected", "reason": ""}
    )

    assert response.status_code == 400
    assert "Angiv begrundelsen." in response.content.decode()
    assert Application.objects.get().state == State.IN_REVIEW


# Spending, reporting, closing ---------------------------------------------------------------


def test_the_leader_books_an_expense_with_a_receipt(client, daycare, pool):
    grant = Grant.objects.get(application=make_application(pool, daycare, state=State.DECIDED))
    client.force_login(leader_of(daycare))

    response = client.post(
        url("grant", grant.pk),
        {
            "earmark": "learning_materials",
            "spent_on": today().isoformat(),
            "description": "Seks Bee-Bots",
            "amount_ore": "4.500,00",
            "receipt": png_receipt(),
        },
    )

    assert response.status_code == 302
    expense = Expense.objects.get()
    assert expense.amount_ore == 450_000
    page = text_of(client.get(url("grant", grant.pk)))
    assert "Seks Bee-Bots" in page
    assert "15.500,00 kr." in page  # left of the 20,000
    receipt_response = client.get(url("expense_receipt", grant.pk, expense.pk))
    assert receipt_response["Content-Type"] == "image/jpeg"  # re-encoded, without metadata


def test_a_receipt_photo_is_stored_without_its_gps_position(client, daycare, pool):
    grant = Grant.objects.get(application=make_application(pool, daycare, state=State.DECIDED))
    client.force_login(leader_of(daycare))

    response = client.post(
        url("grant", grant.pk),
        {
            "earmark": "learning_materials",
            "spent_on": today().isoformat(),
            "description": "Seks Bee-Bots",
            "amount_ore": "4.500,00",
            "receipt": photo_with_location("kvittering.jpg"),
        },
    )

    assert response.status_code == 302
    expense = Expense.objects.get()
    with expense.receipt.open("rb") as stored:
        assert_without_metadata(stored.read())
    served = client.get(url("expense_receipt", grant.pk, expense.pk))
    assert_without_metadata(b"".join(served.streaming_content))


def test_an_expense_names_the_device_bought_and_links_to_it(client, daycare, pool):
    grant = Grant.objects.get(application=make_application(pool, daycare, state=State.DECIDED))
    tablet = make_device(daycare, model="iPad 10.9", asset_tag="KK-0042")
    make_device(InstitutionFactory(municipality=daycare.municipality), asset_tag="NABO-1")
    client.force_login(leader_of(daycare))

    form_page = text_of(client.get(url("grant", grant.pk)))
    assert "KK-0042" in form_page
    assert "NABO-1" not in form_page

    response = client.post(
        url("grant", grant.pk),
        {
            "earmark": "learning_materials",
            "spent_on": today().isoformat(),
            "description": "En tablet",
            "amount_ore": "3.000,00",
            "receipt": png_receipt(),
            "device_id": str(tablet.pk),
        },
    )

    assert response.status_code == 302
    assert Expense.objects.get().device_id == tablet.pk
    page = client.get(url("grant", grant.pk)).content.decode()
    assert f'<a href="{reverse("devices:device", args=[tablet.pk])}">' in page


def test_another_daycares_device_is_refused_and_nothing_is_booked(client, daycare, pool):
    grant = Grant.objects.get(application=make_application(pool, daycare, state=State.DECIDED))
    foreign = make_device(InstitutionFactory(municipality=daycare.municipality), asset_tag="N-1")
    client.force_login(leader_of(daycare))

    response = client.post(
        url("grant", grant.pk),
        {
            "earmark": "learning_materials",
            "spent_on": today().isoformat(),
            "description": "En tablet",
            "amount_ore": "3.000,00",
            "receipt": png_receipt(),
            "device_id": str(foreign.pk),
        },
    )

    assert response.status_code == 400
    assert "Marker en gyldig valgmulighed" in text_of(response)
    assert not Expense.objects.exists()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (lambda: receipt("kvittering.exe", b"MZ..."), "kvittering.exe kan ikke bruges her"),
        (
            lambda: receipt("kvittering.pdf", b"not a pdf at all"),
            "kvittering.pdf: Filens indhold passer ikke til dens navn",
        ),
    ],
)
def test_a_receipt_that_is_not_a_receipt_is_refused(client, daycare, pool, upload, message):
    grant = Grant.objects.get(application=make_application(pool, daycare, state=State.DECIDED))
    client.force_login(leader_of(daycare))

    response = client.post(
        url("grant", grant.pk),
        {
            "earmark": "learning_materials",
            "spent_on": today().isoformat(),
            "description": "X",
            "amount_ore": "100",
            "receipt": upload(),
        },
    )

    assert response.status_code == 400
    assert message in text_of(response)
    assert not Expense.objects.exists()


def test_the_leader_reports_and_the_administrator_closes(client, daycare, pool):
    application = make_application(pool, daycare, state=State.DECIDED, asked_kr=20_000)
    grant = Grant.objects.get(application=application)
    book(grant, kr=18_000)
    client.force_login(leader_of(daycare))
    client.post(
        url("application_report", application.pk),
        {"report_text": "Vi købte robotter.", "report_evaluation": "Det virkede."},
    )
    client.force_login(admin_of(pool.municipality))

    client.post(url("grant_close", grant.pk))

    application.refresh_from_db()
    pool.refresh_from_db()
    assert application.state == State.CLOSED
    assert pool.committed_ore == 1_800_000
    page = text_of(client.get(url("grant", grant.pk)))
    assert "2.000,00 kr. gik tilbage til puljen" in page


# The daycare's overview and budget ------------------------------------------------------------


def test_the_daycare_sees_received_spent_and_left_per_earmark(client, daycare, pool):
    application = make_application(
        pool,
        daycare,
        state=State.DECIDED,
        asked_kr=20_000,
        lines=[("Tablets", Earmark.DEVICES, 10_000), ("Apps", Earmark.LEARNING_MATERIALS, 10_000)],
    )
    book(Grant.objects.get(application=application), kr=2_500, earmark=Earmark.DEVICES)
    client.force_login(leader_of(daycare))

    page = text_of(client.get(url("institution", daycare.pk)))

    assert "Tablets og pc'er 10.000,00 kr. 2.500,00 kr. 7.500,00 kr." in page
    assert "Digitale læremidler 10.000,00 kr. 0,00 kr. 10.000,00 kr." in page
    assert "Forsøg med digitale læremidler" in page  # the open pool to apply to


def test_the_budget_page_shows_own_lines_beside_what_was_received(client, daycare, pool):
    make_application(pool, daycare, state=State.DECIDED, asked_kr=20_000)
    client.force_login(leader_of(daycare))

    response = client.post(
        url("budget", daycare.pk),
        {
            "year": today().year,
            "description": "Tablets",
            "earmark": "devices",
            "amount_ore": "15.000",
        },
    )
    assert response.status_code == 302
    page = text_of(client.get(response["Location"]))

    assert DigitalBudgetLine.objects.get().amount_ore == 1_500_000
    assert "Tablets og pc'er 15.000,00 kr. 0,00 kr. 15.000,00 kr." in page
    assert "Digitale læremidler 0,00 kr. 20.000,00 kr. 20.000,00 kr." in page


def test_only_the_leader_changes_the_budget(client, daycare):
    ambassador = MembershipFactory(institution=daycare, role="ambassador").user
    client.force_login(ambassador)

    page = client.get(url("budget", daycare.pk))
    assert page.status_code == 200
    assert 'name="amount_ore"' not in page.content.decode()
    response = client.post(
        url("budget", daycare.pk),
        {"year": today().year, "description": "X", "earmark": "devices", "amount_ore": "1"},
    )
    assert response.status_code == 403
    assert not DigitalBudgetLine.objects.exists()


# The municipality's overview and export -------------------------------------------------------


def test_the_municipality_sees_every_pool_with_committed_spent_and_remaining(
    client, koege, daycare, pool
):
    grant = Grant.objects.get(application=make_application(pool, daycare, state=State.DECIDED))
    book(grant, kr=5_000)
    client.force_login(admin_of(koege))

    page = text_of(client.get(url("municipality", koege.pk)))

    assert "Forsøg med digitale læremidler Søges " in page
    assert "100.000,00 kr. 20.000,00 kr. 5.000,00 kr. 80.000,00 kr." in page


def test_the_export_is_an_excel_workbook_with_the_pools_and_grants(client, koege, daycare, pool):
    grant = Grant.objects.get(application=make_application(pool, daycare, state=State.DECIDED))
    book(grant, kr=5_000)
    client.force_login(admin_of(koege))

    response = client.get(url("municipality_export", koege.pk))

    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    workbook = load_workbook(io.BytesIO(response.content))
    pools = list(workbook["Puljer"].iter_rows(values_only=True))
    assert pools[0][:2] == ("Pulje", "Type")
    row = pools[1]
    assert row[0] == "Forsøg med digitale læremidler"
    assert [float(v) for v in row[4:9]] == [100_000.0, 20_000.0, 5_000.0, 15_000.0, 80_000.0]
    grants = list(workbook["Tilskud"].iter_rows(values_only=True))
    assert grants[1][:3] == (
        "Forsøg med digitale læremidler",
        "Solstrålen",
        "Bee-Bots i børnehaven",
    )


# Query counts ------------------------------------------------------------------------------


def _queries(client, path) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries.captured_queries), response.content.decode()


def _grow_applications(pool, koege, up_to: int):
    states = [State.SUBMITTED, State.IN_REVIEW, State.DECIDED, State.CHANGES_REQUESTED]
    for n in range(pool.applications.count(), up_to):
        institution = InstitutionFactory(municipality=koege, name=f"Dagtilbud {n:02d}")
        application = make_application(
            pool, institution, state=states[n % 4], asked_kr=1_000, project=f"Projekt {n:02d}"
        )
        if application.state == State.DECIDED:
            book(Grant.objects.get(application=application), kr=100)


def test_the_pool_page_keeps_a_fixed_number_of_queries_as_applications_grow(client, koege):
    pool = make_pool(koege, name="Stor pulje", total_kr=1_000_000)
    client.force_login(admin_of(koege))
    path = url("pool", pool.pk)
    _grow_applications(pool, koege, 3)
    client.get(path)

    few, _ = _queries(client, path)
    _grow_applications(pool, koege, 30)
    many, page = _queries(client, path)

    assert few == many
    assert page.count("Projekt ") == 30


def test_the_pools_list_and_the_daycare_page_keep_a_fixed_number_of_queries(client, koege, daycare):
    client.force_login(admin_of(koege))
    pools = [make_pool(koege, name=f"Pulje {n}", total_kr=100_000) for n in range(2)]
    for p in pools:
        make_application(p, daycare, state=State.DECIDED, asked_kr=1_000)
    client.get(url("municipality", koege.pk))
    few_list, _ = _queries(client, url("municipality", koege.pk))
    few_daycare, _ = _queries(client, url("institution", daycare.pk))

    more = [make_pool(koege, name=f"Pulje {n}", total_kr=100_000) for n in range(2, 12)]
    for p in more:
        book(
            Grant.objects.get(
                application=make_application(p, daycare, state=State.DECIDED, asked_kr=1_000)
            ),
            kr=10,
        )
    many_list, page = _queries(client, url("municipality", koege.pk))
    many_daycare, daycare_page = _queries(client, url("institution", daycare.pk))

    assert (few_list, few_daycare) == (many_list, many_daycare)
    assert page.count("Pulje ") >= 12
    assert daycare_page.count("Bee-Bots i børnehaven") >= 12


def test_the_pool_page_for_a_formula_pool_keeps_a_fixed_number_of_queries(client, koege):
    from tests.factories import ChildrenCountFactory
    from tests.grants.helpers import make_formula_pool

    def grow(up_to):
        for n in range(koege.institutions.count(), up_to):
            institution = InstitutionFactory(municipality=koege, name=f"Dagtilbud {n:02d}")
            ChildrenCountFactory(institution=institution, counted_on=today())

    grow(3)
    small = make_formula_pool(koege, name="Fordeling lille", total_kr=9_000)
    grow(30)
    large = make_formula_pool(koege, name="Fordeling stor", total_kr=9_000)
    client.force_login(admin_of(koege))
    client.get(url("pool", small.pk))

    few, _ = _queries(client, url("pool", small.pk))
    many, page = _queries(client, url("pool", large.pk))
    few_run, _ = _queries(client, url("share_run", small.pk))
    many_run, _ = _queries(client, url("share_run", large.pk))

    assert few == many
    assert few_run == many_run
    assert page.count("Dagtilbud ") >= 30
    assert Pool.objects.get(pk=large.pk).committed_ore == 900_000


def test_the_first_share_run_starts_from_the_wifi_the_daycares_registered(client, koege, daycare):
    from devices.models import WifiSite

    covered = InstitutionFactory(municipality=koege, name="Med net")
    partly = InstitutionFactory(municipality=koege, name="Delvis net")
    WifiSite.objects.create(institution=covered, name="Hovedhuset", coverage="full")
    WifiSite.objects.create(institution=partly, name="Hovedhuset", coverage="partial")
    WifiSite.objects.create(institution=daycare, name="Hovedhuset", coverage="none")
    unknown = InstitutionFactory(municipality=koege, name="Intet registreret")
    pool = make_pool(
        koege,
        name="Udviklingsmidler",
        kind=Pool.Kind.FORMULA,
        opens_on=None,
        closes_on=None,
        earmarks=[Earmark.WIFI, Earmark.DEVICES],
    )
    client.force_login(admin_of(koege))

    page = client.get(url("share_run", pool.pk)).content.decode()

    def ticked(institution) -> bool:
        tag = re.search(rf'<input[^>]*name="without_wifi"[^>]*value="{institution.pk}"[^>]*>', page)
        assert tag, institution.name
        return "checked" in tag.group(0)

    assert ticked(daycare)
    assert ticked(unknown)
    assert not ticked(covered)
    assert not ticked(partly)
