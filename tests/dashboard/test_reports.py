"""PDF status reports: asked for in the browser, made by a task that records its status,
kept with who asked and when, downloadable only by those who may see the data; the
monthly report sent to administrators; each app's section through the hook. The tests
read the PDFs' text and compare the figures with the dashboard."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from core.indicators import all_indicators
from core.models import AuditEntry
from core.reports import ReportSection, Table, institution_sections, report_section
from institutions.models import MunicipalRole
from portal.dashboard import selectors
from portal.models import StatusReport
from portal.reports import services
from portal.reports.services import danish_slug
from tests.dashboard.helpers import (
    AMBASSADOR,
    admin_of,
    danish,
    daycare,
    isolated_sections,  # noqa: F401
    leader_of,
    pdf_text,
)
from tests.factories import MembershipFactory, MunicipalityFactory, MunicipalRoleFactory
from tests.grants.helpers import assert_tagged_pdf
from tests.smtp import body_text

pytestmark = pytest.mark.django_db
State = StatusReport.State


@pytest.fixture
def koege():
    municipality = MunicipalityFactory(name="Køge Kommune", code="259")
    daycare(municipality, "Solstrålen", ambassador=True, district="Nord")
    daycare(municipality, "Troldehøjen", district="Syd")
    return municipality


def ask(client, user, url) -> StatusReport:
    client.force_login(user)
    response = client.post(url)
    assert response.status_code == 302
    report = StatusReport.objects.latest("id")
    assert response["Location"] == reverse("reports:detail", args=[report.pk])
    return report


def test_a_leader_asks_for_her_daycares_report_and_it_is_made(
    koege, client, django_capture_on_commit_callbacks
):
    sol = koege.institutions.get(name="Solstrålen")
    leader = leader_of(sol)

    with django_capture_on_commit_callbacks(execute=True):
        report = ask(client, leader, reverse("reports:institution_request", args=[sol.pk]))

    report.refresh_from_db()
    assert (report.kind, report.institution, report.requested_by) == ("institution", sol, leader)
    assert report.state == State.DONE and report.pages >= 2 and report.finished_at
    assert AuditEntry.objects.filter(action="status_report.requested", object_id=str(report.pk))
    text = pdf_text(report.file.read())
    dashboard = selectors.institution_dashboard(sol)
    assert danish("Status report: %(name)s", name="Solstrålen") in text
    assert (
        danish(
            "%(met)s of %(total)s indicators met.", met=dashboard.met, total=dashboard.applicable
        )
        in text
    )
    assert "Named: " in text or danish("Named: %(names)s", names="")[:6] in text
    for title in (
        "Goals and action plans",
        "Competence development",
        "Grants and spending",
        "Messaging and reach",
        "Every indicator with its evidence",
    ):
        assert danish(title) in text
    assert f"{danish('Page')} 1 {danish('of')}" in text


def test_the_municipality_report_has_the_dashboards_figures(
    koege, client, django_capture_on_commit_callbacks
):
    admin = admin_of(koege)
    with django_capture_on_commit_callbacks(execute=True):
        report = ask(client, admin, reverse("reports:municipality_request", args=[koege.pk]))

    report.refresh_from_db()
    text = pdf_text(report.file.read())
    dashboard = selectors.municipality_dashboard(koege)
    for summary in dashboard.summaries:
        assert (
            danish("met by %(met)s of %(total)s", met=summary.met, total=summary.applicable) in text
        )
    ambassador = next(s for s in dashboard.summaries if s.indicator.code == AMBASSADOR)
    assert (ambassador.met, ambassador.applicable) == (1, 2)
    assert "Solstrålen" in text and "Troldehøjen" in text
    assert danish("No digital ambassador besides the leader.") in text
    assert danish("The daycares one by one") in text


def test_the_status_page_polls_until_ready_then_links_the_download(
    koege, client, django_capture_on_commit_callbacks
):
    admin = admin_of(koege)
    report = ask(client, admin, reverse("reports:municipality_request", args=[koege.pk]))
    status_url = reverse("reports:status", args=[report.pk])

    waiting = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert f'data-hx-get="{status_url}?shown=queued"' in waiting
    assert 'data-hx-trigger="every 2s"' in waiting
    assert danish("The report is being made …") in waiting
    assert client.get(reverse("reports:download", args=[report.pk])).status_code == 404

    services.report_make(report_id=report.pk)
    done = client.get(f"{status_url}?shown=queued", HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in done
    assert reverse("reports:download", args=[report.pk]) in done
    response = client.get(reverse("reports:download", args=[report.pk]))
    assert response["Content-Type"] == "application/pdf"
    name = f"{danish_slug(danish('status report'))}-koege-kommune"
    assert name in response["Content-Disposition"]


def test_making_a_report_twice_makes_it_once(koege):
    report = services.report_request(actor=admin_of(koege), municipality=koege)
    assert services.report_make(report_id=report.pk) is True
    assert services.report_make(report_id=report.pk) is False


def test_asking_again_while_one_waits_gives_back_the_waiting_one(koege):
    admin = admin_of(koege)
    first = services.report_request(actor=admin, municipality=koege)
    assert services.report_request(actor=admin, municipality=koege) == first
    assert StatusReport.objects.count() == 1


def test_a_failure_is_recorded_and_shown(koege, client, monkeypatch):
    admin = admin_of(koege)
    report = services.report_request(actor=admin, municipality=koege)

    def broken(*args, **kwargs):
        raise RuntimeError("no fonts")

    monkeypatch.setattr(services, "render_report", broken)
    with pytest.raises(RuntimeError):
        services.report_make(report_id=report.pk)

    report.refresh_from_db()
    assert report.state == State.FAILED and report.error == "no fonts"
    client.force_login(admin)
    html = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert danish("The report could not be made.") in html


def test_the_list_shows_who_asked_and_when(koege, client):
    admin = admin_of(koege)
    report = services.report_request(actor=admin, municipality=koege)
    client.force_login(admin)
    html = client.get(reverse("reports:municipality", args=[koege.pk])).content.decode()
    assert admin.name in html
    assert reverse("reports:detail", args=[report.pk]) in html


def test_staff_and_other_daycares_cannot_download_a_daycares_report(koege, client):
    sol = koege.institutions.get(name="Solstrålen")
    report = services.report_request(actor=leader_of(sol), institution=sol)
    services.report_make(report_id=report.pk)
    url = reverse("reports:download", args=[report.pk])

    client.force_login(MembershipFactory(institution=sol, role="staff").user)
    assert client.get(url).status_code == 403
    trolde = koege.institutions.get(name="Troldehøjen")
    client.force_login(leader_of(trolde))
    assert client.get(url).status_code == 404
    client.force_login(MunicipalRoleFactory(municipality=koege, role="consultant").user)
    assert client.get(url).status_code == 200


def test_the_monthly_report_is_made_once_and_sent_to_the_administrators(
    koege, mailbox, django_capture_on_commit_callbacks
):
    admin = admin_of(koege)
    MunicipalRoleFactory(municipality=koege, role=MunicipalRole.Role.CONSULTANT)
    first_of_month = date(2026, 12, 1)

    with django_capture_on_commit_callbacks(execute=True):
        assert services.monthly_reports_request(today=first_of_month) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert services.monthly_reports_request(today=first_of_month) == 0
    mailbox.wait_for(1)

    report = StatusReport.objects.get(municipality=koege, month=first_of_month)
    assert report.state == State.DONE and report.requested_by is None
    messages = [m for m in mailbox.messages if admin.email in m["To"]]
    assert len(messages) == 1
    assert reverse("reports:download", args=[report.pk]) in body_text(messages[0])
    assert len(mailbox.messages) == 1  # not the consultant


def test_an_app_adds_its_section_through_the_hook(koege, isolated_sections):  # noqa: F811
    @report_section
    def devices(*, institution, today):
        return ReportSection(
            title="Devices and Wi-Fi",
            order=40,
            facts=[("Tablets", "12")],
            tables=[
                Table(caption="Wi-Fi per site", headings=["Site", "Wi-Fi"], rows=[["Hus", "Ja"]])
            ],
        )

    sol = koege.institutions.get(name="Solstrålen")
    titles = [s.title for s in institution_sections(sol, today=date(2026, 6, 1))]
    assert titles.index("Devices and Wi-Fi") > titles.index(danish("Competence development"))

    report = services.report_request(actor=leader_of(sol), institution=sol)
    services.report_make(report_id=report.pk)
    report.refresh_from_db()
    text = pdf_text(report.file.read())
    assert "Devices and Wi-Fi" in text and "Wi-Fi per site" in text


def test_every_indicator_is_in_the_institution_report(koege):
    sol = koege.institutions.get(name="Solstrålen")
    report = services.report_request(actor=leader_of(sol), institution=sol)
    services.report_make(report_id=report.pk)
    report.refresh_from_db()
    text = pdf_text(report.file.read())
    missing = [i.code for i in all_indicators() if danish(str(i.title))[:20] not in text]
    assert not missing


def test_the_pdf_is_tagged_for_screen_readers_and_in_danish(koege):
    import io

    from pypdf import PdfReader

    report = services.report_request(actor=admin_of(koege), municipality=koege)
    services.report_make(report_id=report.pk)
    report.refresh_from_db()
    reader = PdfReader(io.BytesIO(report.file.read()))
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "da"
    assert reader.metadata.title == danish("Status report: %(name)s", name="Køge Kommune")


MARKS = {"met": "✓", "at_risk": "!", "not_met": "✗", "not_applicable": "–"}


def municipality_pdf(municipality):
    report = services.report_request(actor=admin_of(municipality), municipality=municipality)
    services.report_make(report_id=report.pk)
    report.refresh_from_db()
    return report, report.file.read()


def test_the_municipality_table_shows_each_daycare_with_a_mark_per_indicator(koege):
    _report, data = municipality_pdf(koege)

    text = pdf_text(data)
    dashboard = selectors.municipality_dashboard(koege)
    assert len(dashboard.rows) == 2 and len(dashboard.indicators) > 10
    # Each area heads the numbers of its indicators, the marks stand under them in order.
    numbers, n = [], 0
    for group in dashboard.areas:
        numbers.append(group.label)
        for _indicator in group.indicators:
            n += 1
            numbers.append(str(n))
    assert n == len(dashboard.indicators)
    heading = " ".join([danish("Daycare"), danish("District"), *numbers, danish("Met")])
    assert heading in text
    for row in dashboard.rows:
        marks = " ".join(MARKS[result.status] for result in row.results)
        line = (
            f"{row.institution.name} {row.institution.district} {marks} {row.met}/{row.applicable}"
        )
        assert line in text
    # The marks are explained in words, so the status is not told by colour alone.
    for status in ("Met", "At risk", "Not met", "Not applicable"):
        assert f"{MARKS[status.lower().replace(' ', '_')]} {danish(status).lower()}" in text
    # Troldehøjen has no ambassador: it is among those with most left, with the evidence.
    assert danish("What %(name)s lacks", name="Troldehøjen") in text
    assert danish("No digital ambassador besides the leader.") in text


def test_many_daycares_make_a_row_each_not_a_page_each():
    municipality = MunicipalityFactory(name="Aarhus Kommune", code="751")
    names = [f"Dagtilbud {n:03d}" for n in range(120)]
    for n, name in enumerate(names):
        daycare(municipality, name, ambassador=n % 3 == 0, district=("Nord", "Syd", "Vest")[n % 3])

    report, data = municipality_pdf(municipality)

    assert_tagged_pdf(data)
    # 120 daycares of about 36 rows a landscape page, after a summary of a few pages.
    assert report.pages <= 14
    text = pdf_text(data)
    dashboard = selectors.municipality_dashboard(municipality)
    for row in dashboard.rows:
        marks = " ".join(MARKS[result.status] for result in row.results)
        assert f"{row.institution.name} {row.institution.district} {marks} " in text
    assert all(name in text for name in names)
