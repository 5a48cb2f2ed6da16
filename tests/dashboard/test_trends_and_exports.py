"""The nightly snapshot, the trends drawn from it as SVG charts with a text alternative,
and the matrix exported as CSV and Excel."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from core.indicators import Status, all_indicators
from portal.dashboard import selectors, trends
from portal.dashboard.charts import area_chart
from portal.dashboard.snapshots import snapshot_take
from portal.models import Snapshot, SnapshotResult
from portal.tasks import take_indicator_snapshots
from tests.dashboard.helpers import AMBASSADOR, admin_of, danish, daycare, queries
from tests.factories import MembershipFactory, MunicipalityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def koege():
    municipality = MunicipalityFactory(name="Køge Kommune", code="259")
    daycare(municipality, "Solstrålen", ambassador=True, district="Nord")
    daycare(municipality, "Troldehøjen", district="Syd")
    return municipality


def test_the_snapshot_stores_every_indicator_for_every_daycare(koege):
    snapshot = snapshot_take(municipality=koege, today=date(2026, 3, 1))

    assert snapshot.results.count() == 2 * len(all_indicators())
    row = snapshot.results.get(indicator=AMBASSADOR, institution__name="Solstrålen")
    assert row.status == Status.MET


def test_taking_the_snapshot_again_the_same_day_replaces_it(koege):
    snapshot_take(municipality=koege, today=date(2026, 3, 1))
    trolde = koege.institutions.get(name="Troldehøjen")
    MembershipFactory(institution=trolde, role="ambassador")

    snapshot_take(municipality=koege, today=date(2026, 3, 1))

    assert Snapshot.objects.filter(municipality=koege).count() == 1
    assert SnapshotResult.objects.count() == 2 * len(all_indicators())
    assert SnapshotResult.objects.get(indicator=AMBASSADOR, institution=trolde).status == "met"


def test_the_nightly_task_snapshots_every_municipality(koege):
    other = MunicipalityFactory(name="Solrød Kommune", code="269")
    daycare(other, "Havtornen")

    assert take_indicator_snapshots.delay().get() == 2

    assert Snapshot.objects.filter(municipality__in=[koege, other]).count() == 2


def test_the_snapshot_takes_a_fixed_number_of_queries(koege):
    few = queries(lambda: snapshot_take(municipality=koege, today=date(2026, 3, 1)))
    for n in range(20):
        daycare(koege, f"Dagtilbud {n}")
    many = queries(lambda: snapshot_take(municipality=koege, today=date(2026, 3, 2)))
    assert few == many


def _history(municipality, today: date):
    """Monthly snapshots: at first nobody met the ambassador indicator, now Solstrålen does."""
    for months_back in (3, 2, 1):
        day = today - timedelta(days=30 * months_back)
        snapshot = snapshot_take(municipality=municipality, today=day)
        snapshot.results.filter(indicator=AMBASSADOR).update(status=Status.NOT_MET)
    snapshot_take(municipality=municipality, today=today)


def test_the_trend_samples_a_snapshot_per_month_and_counts_statuses(koege):
    today = date(2026, 6, 15)
    _history(koege, today)
    snapshot_take(municipality=koege, today=today - timedelta(days=1))  # same month: left out

    trend = trends.municipality_trend(koege, today=today)

    assert len(trend.dates) == 4
    assert trend.dates[-1] == today
    assert trend.by_status(AMBASSADOR)[0][1] == [0, 0, 0, 1]  # met
    districts = trends.municipality_trend(koege, selectors.Filters(district="Syd"), today=today)
    assert districts.by_status(AMBASSADOR)[0][1] == [0, 0, 0, 0]


def test_the_chart_is_an_svg_with_a_text_alternative_and_a_table(koege):
    today = date(2026, 6, 15)
    _history(koege, today)
    with translation.override("da"):
        chart = area_chart(trends.municipality_trend(koege, today=today))
        alt = chart.alt

    assert chart.svg.startswith("<svg")
    assert "<script" not in chart.svg
    assert chart.data_uri.startswith("data:image/svg+xml;base64,")
    assert "15.06.2026" in alt
    assert danish("Competence development") in alt
    assert len(chart.table()) == 4
    assert all(value.endswith("%") for _day, values in chart.table() for value in values)


def test_the_dashboard_shows_the_trend_chart_and_says_so_when_there_is_none(koege, client):
    client.force_login(admin_of(koege))
    url = reverse("indicators:municipality", args=[koege.pk])
    assert danish(
        "No snapshots yet: the first is taken tonight, and the trend grows from there."
    ) in (client.get(url).content.decode())
    snapshot_take(municipality=koege)
    html = client.get(url).content.decode()
    assert 'src="data:image/svg+xml;base64,' in html
    assert danish("The figures as a table") in html


def test_the_csv_export_has_a_row_per_daycare_and_the_status_in_words(koege, client):
    client.force_login(admin_of(koege))
    response = client.get(reverse("indicators:export_csv", args=[koege.pk]) + "?district=Nord")

    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert len(rows) == 2
    header, row = rows
    assert row[0] == "Solstrålen"
    column = header.index(danish("Digital ambassador named"))
    assert row[column] == danish("Met")


def test_the_excel_export_has_status_evidence_and_summary_sheets(koege, client):
    client.force_login(admin_of(koege))
    response = client.get(reverse("indicators:export_xlsx", args=[koege.pk]))

    workbook = load_workbook(io.BytesIO(response.content))
    status, evidence, summary = workbook.worksheets
    assert status.max_row == 3
    assert [c.value for c in status["A"]][1:] == ["Solstrålen", "Troldehøjen"]
    assert evidence.max_row == 1 + 2 * len(all_indicators())
    dashboard = selectors.municipality_dashboard(koege)
    ambassador_row = next(
        r
        for r in summary.iter_rows(min_row=2, values_only=True)
        if r[1] == danish("Digital ambassador named")
    )
    expected = next(s for s in dashboard.summaries if s.indicator.code == AMBASSADOR)
    assert ambassador_row[2:6] == (expected.met, expected.at_risk, expected.not_met, 2)
