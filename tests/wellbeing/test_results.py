"""Results roll up to the group, the daycare and the municipality, with no figure shown
for fewer than five children; the relations map knows who chose whom and who nobody chose."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import GroupFactory, InstitutionFactory
from tests.wellbeing.helpers import add_children, answer_all
from wellbeing import selectors, services
from wellbeing.models import Response

pytestmark = pytest.mark.django_db


def _answered(actor, group, count, value=3):
    session = services.session_start(actor=actor, group=group)
    pseudonyms = list(group.wellbeing_pseudonyms.filter(child__isnull=False).order_by("pk"))
    for pseudonym in pseudonyms[:count]:
        answer_all(session, pseudonym, value=value)
    return services.session_close(actor=None, session=session)


def test_four_children_show_no_figure_five_do(world, room, client):
    session = _answered(world.user("leader"), room, 4)
    results = selectors.group_results(room, session.year)
    assert results.respondents == 4 and not results.shown
    assert all(not q.counts.shown for q in results.questions)

    client.force_login(world.user("leader"))
    page = client.get(f"/trivsel/grupper/{room.pk}/").content.decode()
    assert "Færre end 5 børn har svaret" in page
    assert "% glade" not in page
    daycare = client.get(f"/institutioner/{world.institution.pk}/trivsel/").content.decode()
    assert "% glade" not in daycare and "&lt; 5" in daycare

    more = services.session_start(actor=world.user("leader"), group=room)
    fifth = room.wellbeing_pseudonyms.filter(child__isnull=False).order_by("pk")[4]
    answer_all(more, fifth, value=1)
    services.session_close(actor=None, session=more)
    results = selectors.group_results(room, session.year)
    assert results.respondents == 5 and results.shown
    first = results.questions[0]
    assert (first.counts.happy, first.counts.sad, first.counts.n) == (4, 1, 5)
    assert first.counts.percents == {"happy": 80, "neutral": 0, "sad": 20}
    page = client.get(f"/trivsel/grupper/{room.pk}/").content.decode()
    assert "80 % glade, 0 % både og, 20 % kede af det" in page


def test_percentages_always_add_up_to_100():
    counts = selectors.Counts(sad=1, neutral=1, happy=1)
    assert sum(counts.percents.values()) == 100


def test_the_municipality_sees_each_daycare_and_never_a_small_one(world, room, client):
    _answered(world.user("leader"), room, 6)
    small_group = GroupFactory(institution=world.neighbour, name="Lille")
    add_children(small_group, 3)
    _answered(world.user("other_leader"), small_group, 3, value=1)
    results, rows = selectors.municipality_results(world.municipality, _year())
    # The small group is left out of the total too: total minus the daycares shown
    # would otherwise give its three answers away.
    assert results.respondents == 6 and results.shown
    assert all(q.counts.sad == 0 for q in results.questions)
    by_name = {row.institution.name: row for row in rows}
    assert by_name["Solstrålen"].shown and by_name["Solstrålen"].counted == 6
    assert not by_name["Troldehøjen"].shown and by_name["Troldehøjen"].respondents == 3

    client.force_login(world.user("consultant"))
    page = client.get(f"/kommune/{world.municipality.pk}/trivsel/").content.decode()
    assert "6 børn har svaret." in page
    assert "100 % glade" in page and "67 % glade" not in page
    assert "Grupper, hvor færre end 5 børn har svaret, er ikke med" in page


def test_a_small_group_is_left_out_of_its_daycare_so_no_one_can_subtract(world, room, client):
    """Six happy children in one group and three sad ones in another: the daycare's
    figures are the six alone, or the daycare minus the big group would be the three."""
    _answered(world.user("leader"), room, 6)
    small_group = GroupFactory(institution=world.institution, name="Lille")
    add_children(small_group, 3)
    _answered(world.user("leader"), small_group, 3, value=1)
    results = selectors.institution_results(world.institution, _year())
    assert results.respondents == 6
    assert all((q.counts.happy, q.counts.sad) == (6, 0) for q in results.questions)

    client.force_login(world.user("leader"))
    page = client.get(f"/institutioner/{world.institution.pk}/trivsel/").content.decode()
    assert "100 % glade" in page and "33 % kede af det" not in page
    assert "Grupper, hvor færre end 5 børn har svaret, er ikke med" in page


def _year():
    from django.utils import timezone

    return timezone.localdate().year


def test_the_municipality_results_take_a_fixed_number_of_queries(world, room):
    _answered(world.user("leader"), room, 5)
    with CaptureQueriesContext(connection) as few:
        selectors.municipality_results(world.municipality, _year())
    for _n in range(5):
        institution = InstitutionFactory(municipality=world.municipality)
        group = GroupFactory(institution=institution)
        add_children(group, 5)
    with CaptureQueriesContext(connection) as many:
        selectors.municipality_results(world.municipality, _year())
    assert len(many) == len(few) <= 6


def test_the_relations_map_shows_who_chose_whom_and_who_nobody_chose(world, room):
    session = services.session_start(actor=world.user("staff"), group=room)
    a, b, c, d, *_rest = room.wellbeing_pseudonyms.filter(child__isnull=False).order_by("pk")
    answer_all(session, a, chosen=[b, c])
    answer_all(session, b, chosen=[a])
    answer_all(session, c, chosen=[b])
    relations = selectors.group_relations(room, session.year)

    nodes = {n.pseudonym.pk: n for n in relations.nodes}
    assert (nodes[a.pk].chose, nodes[a.pk].chosen_by) == (2, 1)
    assert nodes[b.pk].chosen_by == 2
    assert relations.answered == 3
    nobody = {n.pseudonym.pk for n in relations.nobody_chose}
    assert a.pk not in nobody and d.pk in nobody
    mutual = [e for e in relations.edges if e.mutual]
    assert len(mutual) == 1  # a and b chose each other: one line, two arrowheads
    assert len(relations.edges) == 3
    assert all(0 <= n.x <= relations.size and 0 <= n.y <= relations.size for n in relations.nodes)


def test_results_outlive_the_raw_answers(world, room):
    from datetime import timedelta

    from django.utils import timezone

    session = _answered(world.user("leader"), room, 5)
    before = selectors.group_results(room, session.year)
    assert services.raw_answers_purge(today=timezone.localdate() + timedelta(days=600)) == 1
    assert not Response.objects.filter(session=session).exists()
    after = selectors.group_results(room, session.year)
    assert [q.counts for q in after.questions] == [q.counts for q in before.questions]
