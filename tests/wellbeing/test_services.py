"""The questionnaire's services: sessions, pseudonyms, answers, tallies and deletion."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.models import AuditEntry
from tests.wellbeing.helpers import answer_all
from wellbeing import services
from wellbeing.models import Answer, PeerChoice, Pseudonym, Question, Response, Session, Tally
from wellbeing.pictures import DEFAULT_QUESTIONS

pytestmark = pytest.mark.django_db


def test_the_municipality_gets_its_own_copy_of_the_default_questions_once(world):
    assert services.questions_ensure_defaults(municipality=world.municipality) == len(
        DEFAULT_QUESTIONS
    )
    assert services.questions_ensure_defaults(municipality=world.municipality) == 0
    questions = Question.objects.filter(municipality=world.municipality)
    assert questions.count() == len(DEFAULT_QUESTIONS)
    codes = set(questions.values_list("default_code", flat=True))
    for topic in ("play", "friends", "scolded", "say", "space", "noise", "playground", "safe"):
        assert topic in codes
    assert questions.filter(kind=Question.Kind.PEERS).count() == 1


def test_each_child_gets_a_picture_of_their_own_and_answers_point_only_at_a_pseudonym(world, room):
    pseudonyms = services.pseudonyms_ensure(group=room)
    assert len(pseudonyms) == room.children.count() == 7
    assert len({p.symbol for p in pseudonyms}) == 7
    assert len({p.code for p in pseudonyms}) == 7
    # No answer table has a column pointing at a child.
    for model in (Response, Answer, PeerChoice, Tally, Session):
        assert all(
            getattr(f, "related_model", None).__name__ != "Child"
            for f in model._meta.get_fields()
            if getattr(f, "related_model", None)
        )


def test_two_children_of_a_group_never_share_a_picture(world, room):
    first, second, *_ = services.pseudonyms_ensure(group=room)
    with pytest.raises(ValidationError):
        services.pseudonym_set_symbol(
            actor=world.user("staff"), pseudonym=second, symbol=first.symbol
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Pseudonym.objects.filter(pk=second.pk).update(symbol=first.symbol)


def test_a_child_who_leaves_loses_the_link_but_the_answers_stay_pseudonymous(world, room, session):
    alma = world.objects["child"]
    pseudonym = room.wellbeing_pseudonyms.get(child=alma)
    answer_all(session, pseudonym)
    alma.left_on = timezone.localdate()
    alma.save()
    services.pseudonyms_ensure(group=room)
    pseudonym.refresh_from_db()
    assert pseudonym.child is None
    assert pseudonym.responses.count() == 1


def test_starting_twice_returns_the_one_open_session(world, room):
    first = services.session_start(actor=world.user("staff"), group=room)
    again = services.session_start(actor=world.user("leader"), group=room)
    assert first == again
    assert Session.objects.filter(group=room).count() == 1
    assert AuditEntry.objects.filter(action="wellbeing.session_started").count() == 1


def test_a_complete_pass_answers_every_question_and_closing_counts_it(world, room, session):
    pseudonyms = list(room.wellbeing_pseudonyms.filter(child__isnull=False))
    answer_all(session, pseudonyms[0], value=3, chosen=pseudonyms[1:3])
    answer_all(session, pseudonyms[1], value=1, chosen=pseudonyms[:1])
    unfinished = services.response_begin(session=session, pseudonym=pseudonyms[2])
    first = Question.objects.get(pk=session.question_ids[0])
    services.answer_record(response=unfinished, question=first, value=2)

    services.session_close(actor=world.user("staff"), session=session)

    session.refresh_from_db()
    assert session.respondents == 2
    assert not Response.objects.filter(pk=unfinished.pk).exists()
    tally = Tally.objects.get(session=session, question=first)
    assert (tally.happy, tally.neutral, tally.sad) == (1, 0, 1)
    assert not Tally.objects.filter(session=session, question__kind="peers").exists()
    assert PeerChoice.objects.filter(response__session=session).count() == 3


def test_bad_answers_are_refused_and_nothing_is_stored(world, room, session):
    pseudonym = room.wellbeing_pseudonyms.filter(child__isnull=False).first()
    response = services.response_begin(session=session, pseudonym=pseudonym)
    smiley = Question.objects.get(pk=session.question_ids[0])
    peers = Question.objects.get(pk__in=session.question_ids, kind="peers")
    with pytest.raises(ValidationError):
        services.answer_record(response=response, question=smiley, value=4)
    with pytest.raises(ValidationError):
        services.answer_record(response=response, question=peers, value=3)
    with pytest.raises(ValidationError):
        services.peers_record(response=response, question=peers, chosen=[pseudonym])
    foreign = Question.objects.create(
        municipality=world.other_municipality,
        text="Andet",
        dimension="physical",
        picture="play",
        position=1,
    )
    with pytest.raises(ValidationError):
        services.answer_record(response=response, question=foreign, value=3)
    assert not Answer.objects.filter(response=response).exists()


def test_a_child_completes_the_questionnaire_once_a_year(world, room, session):
    pseudonym = room.wellbeing_pseudonyms.filter(child__isnull=False).first()
    answer_all(session, pseudonym)
    services.session_close(actor=None, session=session)
    later = services.session_start(actor=world.user("staff"), group=room)
    with pytest.raises(ValidationError, match=r"allerede svaret|already answered"):
        services.response_begin(session=later, pseudonym=pseudonym)
    # The database backs it: a second completed response in the same year is refused.
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.create(
            session=later, pseudonym=pseudonym, year=later.year, completed_at=timezone.now()
        )


def test_answers_after_the_session_ended_are_refused(world, room, session):
    pseudonym = room.wellbeing_pseudonyms.filter(child__isnull=False).first()
    response = services.response_begin(session=session, pseudonym=pseudonym)
    services.session_close(actor=None, session=session)
    question = Question.objects.get(pk=session.question_ids[0])
    with pytest.raises(ValidationError):
        services.answer_record(response=response, question=question, value=3)


def test_raw_answers_go_after_18_months_and_the_counts_stay(world, room, session, settings):
    pseudonyms = list(room.wellbeing_pseudonyms.filter(child__isnull=False))
    for pseudonym in pseudonyms[:5]:
        answer_all(session, pseudonym, chosen=[p for p in pseudonyms if p != pseudonym][:1])
    services.session_close(actor=None, session=session)
    tallies_before = list(Tally.objects.filter(session=session).values_list("happy", flat=True))
    closed = timezone.localdate()

    assert services.raw_answers_purge(today=closed + timedelta(days=17 * 31)) == 0
    assert services.raw_answers_purge(today=closed + timedelta(days=19 * 31)) == 1
    assert not Response.objects.filter(session=session).exists()
    assert not Answer.objects.filter(response__session=session).exists()
    assert not PeerChoice.objects.filter(response__session=session).exists()
    assert list(Tally.objects.filter(session=session).values_list("happy", flat=True)) == (
        tallies_before
    )
    session.refresh_from_db()
    assert session.raw_purged_at is not None and session.respondents == 5
    assert AuditEntry.objects.filter(action="wellbeing.raw_answers_deleted").count() == 1


def test_a_shorter_retention_deletes_the_raw_answers_sooner(world, room, session, settings):
    pseudonym = room.wellbeing_pseudonyms.filter(child__isnull=False).first()
    answer_all(session, pseudonym)
    services.session_close(actor=None, session=session)
    seven_months_on = timezone.localdate() + timedelta(days=7 * 31)

    assert services.raw_answers_purge(today=seven_months_on) == 0  # 18 months by default
    settings.WELLBEING_RAW_ANSWER_MONTHS = 6
    assert services.raw_answers_purge(today=seven_months_on) == 1
    assert not Response.objects.filter(session=session).exists()


def test_sessions_left_open_are_closed_by_the_hourly_job(world, room, session):
    Session.objects.filter(pk=session.pk).update(started_at=timezone.now() - timedelta(hours=13))
    assert services.sessions_close_stale() == 1
    session.refresh_from_db()
    assert session.closed_at is not None


def test_the_database_refuses_a_second_open_session(world):
    room = world.objects["room"]
    Session.objects.create(group=room, institution=world.institution, year=2026, question_ids=[1])
    with pytest.raises(IntegrityError), transaction.atomic():
        Session.objects.create(
            group=room,
            institution=world.institution,
            year=timezone.localdate().year,
            question_ids=[1],
        )
