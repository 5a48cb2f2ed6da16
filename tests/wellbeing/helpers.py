"""Shared set-up for the wellbeing tests: a group with children, questions, sessions."""

from __future__ import annotations

from datetime import date

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from tests.factories import ChildFactory
from wellbeing import services
from wellbeing.models import Question

WAV = b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\x10\x00\x00\x00\x01\x00\x01\x00" + b"\x00" * 20


def add_children(group, count: int, start: int = 0):
    return [
        ChildFactory(group=group, first_name=f"Barn{start + n:02d}", birth_date=date(2021, 3, 1))
        for n in range(count)
    ]


def questions_of(municipality) -> list[Question]:
    services.questions_ensure_defaults(municipality=municipality)
    return list(Question.objects.filter(municipality=municipality).active().order_by("position"))


def give_audio(question: Question) -> Question:
    """A stored sound file for a question, without running the synthesiser."""
    name = f"wellbeing/test/{question.pk}.wav"
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(WAV))
    Question.objects.filter(pk=question.pk).update(
        audio=name, audio_text=question.text, audio_source=Question.AudioSource.SPEECH
    )
    question.refresh_from_db()
    return question


def answer_all(session, pseudonym, *, value=3, chosen=()):
    """One child's complete pass through the session's questions."""
    response = services.response_begin(session=session, pseudonym=pseudonym)
    for question in Question.objects.filter(pk__in=session.question_ids).order_by("position"):
        if question.kind == Question.Kind.PEERS:
            services.peers_record(response=response, question=question, chosen=list(chosen))
        else:
            services.answer_record(response=response, question=question, value=value)
    response.refresh_from_db()
    return response
