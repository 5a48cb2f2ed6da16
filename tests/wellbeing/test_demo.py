"""The demo has the children's own voice with content on every page."""

from __future__ import annotations

import pytest

from institutions.models import Membership
from portal import demo
from wellbeing import selectors
from wellbeing.models import Assessment, Question, Session

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        yield demo.seed()
        transaction.set_rollback(True)


def test_the_pedagogues_group_has_answers_a_relations_map_and_children_nobody_chose(seeded):
    group = Membership.objects.get(user__email="paedagog@koege.example", role="staff").groups.get()
    session = Session.objects.get(group=group)
    results = selectors.group_results(group, session.year)
    assert results.respondents == 16 and results.shown
    relations = selectors.group_relations(group, session.year)
    assert relations.edges and len(relations.nobody_chose) >= 2


def test_every_municipality_has_the_default_questions_and_koege_has_results(seeded):
    assert Question.objects.filter(municipality=seeded.koege).count() >= 13
    assert Question.objects.filter(municipality=seeded.solrod).count() >= 13
    results, rows = selectors.municipality_results(seeded.koege, Session.objects.first().year)
    assert results.shown
    assert sum(1 for row in rows if row.shown) >= 5
    assert any(row.respondents and not row.shown for row in rows)


def test_the_featured_daycare_has_a_completed_and_a_draft_assessment(seeded):
    assessments = Assessment.objects.filter(institution=seeded.featured)
    assert assessments.filter(status="completed").count() == 1
    draft = assessments.get(status="draft")
    assert draft.action_plan_id is not None
