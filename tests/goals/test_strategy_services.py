"""Services of the municipal level: periods (and copying the last one), focus areas and
their items. Each write is audited; a refused write changes nothing."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from core.models import AuditEntry
from goals import services
from goals.models import FocusArea, StrategyItem, StrategyPeriod
from tests.factories import MunicipalityFactory, MunicipalRoleFactory
from tests.goals.factories import (
    FocusAreaFactory,
    LocalGoalFactory,
    ProjectFactory,
    StrategyItemFactory,
    StrategyPeriodFactory,
)
from tests.goals.helpers import snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Messages are compared in the source language."""
    with translation.override("en"):
        yield


@pytest.fixture
def koege():
    return MunicipalityFactory(name="Køge Kommune", code="259")


@pytest.fixture
def admin(koege):
    return MunicipalRoleFactory(municipality=koege).user


def test_a_period_is_created_and_audited(koege, admin):
    period = services.period_create(
        actor=admin,
        municipality=koege,
        title="Delstrategi",
        start_year=2013,
        end_year=2015,
        introduction="Indledning",
    )

    period.refresh_from_db()
    assert (period.title, period.years, period.copied_from) == ("Delstrategi", "2013–2015", None)
    entry = AuditEntry.objects.get(action="goals.period.created")
    assert (entry.actor, entry.municipality_id, entry.object_id) == (
        admin,
        koege.pk,
        str(period.pk),
    )


@pytest.mark.parametrize(
    "start,end,message",
    [
        (2015, 2013, "The last year cannot come before the first year."),
        (13, 15, "Give the years as four digits, e.g. 2013."),
        (2014, 2016, "The years overlap the strategy Delstrategi 2013–2015."),
    ],
)
def test_a_period_with_wrong_years_is_refused_and_nothing_changes(
    koege, admin, start, end, message
):
    StrategyPeriodFactory(municipality=koege, title="Delstrategi")
    before = snapshot()

    with pytest.raises(ValidationError) as error:
        services.period_create(
            actor=admin, municipality=koege, title="Ny", start_year=start, end_year=end
        )

    assert error.value.messages == [message]
    assert snapshot() == before


def test_a_new_period_starts_as_a_copy_of_the_last_with_deadlines_moved_on(koege, admin):
    last = StrategyPeriodFactory(municipality=koege)
    area = FocusAreaFactory(period=last, number=1, title="Digitale medier i anvendelse")
    StrategyItemFactory(focus_area=area, text="Wi-Fi i alle dagtilbud", deadline=date(2014, 12, 31))
    StrategyItemFactory(focus_area=area, text="Skuddag", deadline=date(2016, 2, 29))
    StrategyItemFactory(
        focus_area=area,
        kind=StrategyItem.Kind.ACTION,
        text="iPads til dagplejen",
        timing="Efteråret 2013",
        budget_ore=16_000_000,
    )

    new = services.period_create(
        actor=admin,
        municipality=koege,
        title="Delstrategi",
        start_year=2016,
        end_year=2018,
        copy_from=last,
    )

    assert new.copied_from == last
    (copied_area,) = new.focus_areas.all()
    assert (copied_area.number, copied_area.title, copied_area.area) == (
        1,
        "Digitale medier i anvendelse",
        "digital_media",
    )
    items = {i.text: i for i in copied_area.items.all()}
    assert items["Wi-Fi i alle dagtilbud"].deadline == date(2017, 12, 31)
    assert items["Skuddag"].deadline == date(2019, 2, 28)
    action = items["iPads til dagplejen"]
    assert (action.kind, action.timing, action.budget_ore) == (
        "action",
        "Efteråret 2013",
        16_000_000,
    )
    # The original is untouched.
    assert last.focus_areas.get().items.count() == 3
    assert (
        AuditEntry.objects.get(action="goals.period.created", object_id=str(new.pk)).changes[
            "items_copied"
        ]
        == 3
    )


def test_a_period_of_another_municipality_cannot_be_copied(koege, admin):
    foreign = StrategyPeriodFactory(municipality=MunicipalityFactory(code="269"))

    with pytest.raises(ValidationError):
        services.period_create(
            actor=admin,
            municipality=koege,
            title="X",
            start_year=2016,
            end_year=2018,
            copy_from=foreign,
        )
    assert not koege.strategy_periods.exists()


def test_a_period_is_updated_with_the_change_audited(koege, admin):
    period = StrategyPeriodFactory(municipality=koege)
    StrategyPeriodFactory(municipality=koege, start_year=2016, end_year=2018)

    services.period_update(actor=admin, period=period, title="Ny titel", end_year=2015)
    period.refresh_from_db()
    assert period.title == "Ny titel"
    assert AuditEntry.objects.get(action="goals.period.updated").changes == {
        "title": ["Delstrategi for digitalisering i dagtilbud", "Ny titel"]
    }

    before = snapshot()
    with pytest.raises(ValidationError):
        services.period_update(actor=admin, period=period, end_year=2016)
    assert snapshot() == before


def test_focus_areas_have_unique_numbers_in_a_period(koege, admin):
    period = StrategyPeriodFactory(municipality=koege)
    area = services.focus_area_create(actor=admin, period=period, number=1, title="Et")
    assert FocusArea.objects.get() == area

    with pytest.raises(ValidationError):
        services.focus_area_create(actor=admin, period=period, number=1, title="To")
    second = services.focus_area_create(actor=admin, period=period, number=2, title="To")
    with pytest.raises(ValidationError):
        services.focus_area_update(actor=admin, focus_area=second, number=1)

    services.focus_area_update(
        actor=admin, focus_area=second, title="Kompetencer", area="competence"
    )
    second.refresh_from_db()
    assert (second.title, second.area) == ("Kompetencer", "competence")
    assert AuditEntry.objects.filter(action__startswith="goals.focus_area").count() == 3


def test_items_are_added_at_the_end_of_their_kind(koege, admin):
    area = FocusAreaFactory(period=StrategyPeriodFactory(municipality=koege))
    first = services.strategy_item_create(
        actor=admin, focus_area=area, kind="municipal_goal", text="Mål ét"
    )
    second = services.strategy_item_create(
        actor=admin,
        focus_area=area,
        kind="municipal_goal",
        text=" Mål to ",
        deadline=date(2014, 12, 31),
    )
    action = services.strategy_item_create(
        actor=admin, focus_area=area, kind="action", text="Kufferter", budget_ore=12_500_000
    )

    assert (first.position, second.position, action.position) == (1, 2, 1)
    assert second.text == "Mål to"
    assert action.budget_ore == 12_500_000


def test_an_item_without_text_or_kind_is_refused(koege, admin):
    area = FocusAreaFactory(period=StrategyPeriodFactory(municipality=koege))
    before = snapshot()
    with pytest.raises(ValidationError):
        services.strategy_item_create(actor=admin, focus_area=area, kind="municipal_goal", text=" ")
    with pytest.raises(ValidationError):
        services.strategy_item_create(actor=admin, focus_area=area, kind="wish", text="x")
    assert snapshot() == before


def test_an_item_is_updated_and_audited(koege, admin):
    item = StrategyItemFactory(focus_area__period__municipality=koege, text="Gammel")

    services.strategy_item_update(actor=admin, item=item, text="Ny", deadline=date(2015, 12, 31))

    item.refresh_from_db()
    assert (item.text, item.deadline) == ("Ny", date(2015, 12, 31))
    assert AuditEntry.objects.get(action="goals.strategy_item.updated").changes == {
        "text": ["Gammel", "Ny"],
        "deadline": [None, "2015-12-31"],
    }


def test_a_municipal_goal_that_local_goals_answer_cannot_change_kind_or_be_removed(koege, admin):
    item = StrategyItemFactory(focus_area__period__municipality=koege)
    LocalGoalFactory().municipal_goals.add(item)
    before = snapshot()

    with pytest.raises(ValidationError):
        services.strategy_item_update(actor=admin, item=item, kind="action")
    with pytest.raises(ValidationError):
        services.strategy_item_delete(actor=admin, item=item)

    assert snapshot() == before


def test_an_action_that_projects_carry_out_cannot_be_removed(koege, admin):
    item = StrategyItemFactory(focus_area__period__municipality=koege, kind="action")
    ProjectFactory(municipality=koege, strategy_item=item)

    with pytest.raises(ValidationError):
        services.strategy_item_delete(actor=admin, item=item)
    assert StrategyItem.objects.filter(pk=item.pk).exists()


def test_an_unused_item_is_removed_and_the_removal_audited(koege, admin):
    item = StrategyItemFactory(focus_area__period__municipality=koege, text="Forældet mål")

    services.strategy_item_delete(actor=admin, item=item)

    assert not StrategyItem.objects.exists()
    entry = AuditEntry.objects.get(action="goals.strategy_item.deleted")
    assert entry.changes["text"] == "Forældet mål"
    assert entry.municipality_id == koege.pk


def test_periods_are_ordered_newest_first():
    municipality = MunicipalityFactory()
    StrategyPeriodFactory(municipality=municipality, start_year=2013, end_year=2015)
    StrategyPeriodFactory(municipality=municipality, start_year=2016, end_year=2018)
    assert [p.start_year for p in StrategyPeriod.objects.all()] == [2016, 2013]
