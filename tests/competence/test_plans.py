"""Competence plans: money (øre) and hours set aside per daycare and year, activities with
participants, dates and cost, planned against spent."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from competence import services
from competence.models import CompetencePlan, PlanActivity
from competence.selectors import plan_with_totals
from core.models import AuditEntry
from core.money import format_kroner, kroner_to_ore

pytestmark = pytest.mark.django_db


def test_a_plan_is_created_then_corrected_and_audited(world):
    leader = world.users["leader"]
    services.plan_save(
        actor=leader,
        institution=world.institution,
        year=2027,
        budget_ore=1_250_000,
        hours=Decimal(40),
    )
    services.plan_save(
        actor=leader,
        institution=world.institution,
        year=2027,
        budget_ore=1_500_000,
        hours=Decimal(40),
    )

    plan = CompetencePlan.objects.get(institution=world.institution, year=2027)
    assert (plan.budget_ore, plan.hours) == (1_500_000, Decimal(40))
    changes = [
        e.changes for e in AuditEntry.objects.filter(action="competence_plan.saved").order_by("pk")
    ]
    assert changes[1] == {"budget_ore": [1_250_000, 1_500_000]}


def test_negative_money_is_refused(world):
    with pytest.raises(ValidationError):
        services.plan_save(
            actor=world.users["leader"],
            institution=world.institution,
            year=2027,
            budget_ore=-1,
            hours=Decimal(0),
        )
    assert not CompetencePlan.objects.exists()


def test_activities_add_up_to_planned_and_spent(world):
    plan = services.plan_save(
        actor=world.users["leader"],
        institution=world.institution,
        year=2027,
        budget_ore=1_000_000,
        hours=Decimal(30),
    )
    services.activity_create(
        actor=world.users["ambassador"],
        plan=plan,
        kind="course",
        title="Kursus",
        starts_on=date(2027, 3, 1),
        planned_cost_ore=600_000,
        spent_cost_ore=650_050,
        planned_hours=Decimal("12.5"),
        spent_hours=Decimal(12),
        participants=[world.users["staff"], world.users["ambassador"]],
    )
    services.activity_create(
        actor=world.users["leader"],
        plan=plan,
        kind="network",
        title="Netværk",
        starts_on=date(2027, 2, 9),
        planned_cost_ore=500_000,
        planned_hours=Decimal(6),
    )

    _plan, totals = plan_with_totals(world.institution, 2027)
    assert (totals.budget_ore, totals.planned_ore, totals.spent_ore) == (
        1_000_000,
        1_100_000,
        650_050,
    )
    assert (totals.planned_hours, totals.spent_hours) == (Decimal("18.5"), Decimal(12))
    assert totals.left_ore == 349_950
    assert totals.overplanned and not totals.overspent


def test_only_the_daycares_staff_take_part_and_dates_belong_to_the_plans_year(world):
    plan = services.plan_for_year(institution=world.institution, year=2027)
    with pytest.raises(ValidationError):
        services.activity_create(
            actor=world.users["leader"],
            plan=plan,
            kind="course",
            title="K",
            starts_on=date(2027, 1, 5),
            participants=[world.users["other_leader"]],
        )
    with pytest.raises(ValidationError):
        services.activity_create(
            actor=world.users["leader"],
            plan=plan,
            kind="course",
            title="K",
            starts_on=date(2026, 12, 5),
        )
    assert not PlanActivity.objects.exists()


def test_activities_are_changed_and_deleted(world):
    plan = services.plan_for_year(institution=world.institution, year=2027)
    activity = services.activity_create(
        actor=world.users["leader"], plan=plan, kind="course", title="K", starts_on=date(2027, 1, 5)
    )
    services.activity_update(
        actor=world.users["leader"],
        activity=activity,
        spent_cost_ore=12_300,
        participants=[world.users["staff"]],
    )
    activity.refresh_from_db()
    assert activity.spent_cost_ore == 12_300
    assert list(activity.participants.all()) == [world.users["staff"]]
    services.activity_delete(actor=world.users["leader"], activity=activity)
    assert not PlanActivity.objects.exists()
    assert AuditEntry.objects.filter(action="competence_activity.deleted").exists()


def test_money_is_entered_in_kroner_and_shown_in_danish():
    assert kroner_to_ore(Decimal("12500.50")) == 1_250_050
    with translation.override("da"):
        assert format_kroner(1_250_050) == "12.500,50\u00a0kr."
    with translation.override("en"):
        assert format_kroner(1_250_050) == "DKK 12,500.50"


def test_the_leader_sets_money_and_hours_in_the_form(client, world):
    client.force_login(world.users["leader"])
    url = reverse("competence:plan_edit", args=[world.institution.pk, 2027])
    response = client.post(
        url,
        {"budget_kr": "12500.50", "hours": "40", "notes": ""},
    )

    assert response.status_code == 302
    assert (
        CompetencePlan.objects.get(institution=world.institution, year=2027).budget_ore == 1_250_050
    )
    page = client.get(
        reverse("competence:plan", args=[world.institution.pk, 2027])
    ).content.decode()
    assert "12.500,50\u00a0kr." in page


def test_an_activity_is_added_in_the_form_with_participants(client, world):
    client.force_login(world.users["ambassador"])
    url = reverse("competence:activity_create", args=[world.institution.pk, 2027])
    response = client.post(
        url,
        {
            "kind": "course",
            "title": "Kursus i Book Creator",
            "starts_on": "2027-04-01",
            "planned_cost_kr": "2500",
            "planned_hours": "7.5",
            "participants": [world.users["staff"].pk],
        },
    )
    assert response.status_code == 302
    activity = PlanActivity.objects.get()
    assert (activity.planned_cost_ore, activity.plan.year) == (250_000, 2027)
    assert list(activity.participants.all()) == [world.users["staff"]]


def test_the_activity_form_refuses_someone_from_another_daycare(client, world):
    client.force_login(world.users["ambassador"])
    url = reverse("competence:activity_create", args=[world.institution.pk, 2027])
    response = client.post(
        url,
        {
            "kind": "course",
            "title": "K",
            "starts_on": "2027-04-01",
            "planned_cost_kr": "1",
            "planned_hours": "1",
            "participants": [world.users["other_leader"].pk],
        },
    )
    assert response.status_code == 400
    assert not PlanActivity.objects.exists()
