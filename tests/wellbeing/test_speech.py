"""The spoken questions: made by espeak-ng after commit, shared by identical wording,
replaced by an uploaded recording, and a clear message where espeak-ng is missing."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage

from wellbeing import services, speech
from wellbeing.models import Question

pytestmark = pytest.mark.django_db

needs_espeak = pytest.mark.skipif(not speech.is_available(), reason="espeak-ng not installed")


@needs_espeak
def test_espeak_speaks_danish_as_wav():
    audio = speech.synthesize("Kan du lide at lege her?")
    assert audio[:4] == b"RIFF" and audio[8:12] == b"WAVE"
    assert len(audio) > 10_000


@needs_espeak
def test_an_edited_question_gets_new_sound_after_commit(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        question = services.question_create(
            actor=world.user("admin"),
            municipality=world.municipality,
            data={
                "text": "Kan du lide at male?",
                "kind": "smiley",
                "dimension": "aesthetic",
                "picture": "beauty",
                "is_active": True,
            },
        )
    question.refresh_from_db()
    assert question.audio_source == Question.AudioSource.SPEECH
    assert question.audio.name == speech.audio_name("Kan du lide at male?")
    assert default_storage.exists(question.audio.name)

    with django_capture_on_commit_callbacks(execute=True):
        services.question_update(
            actor=world.user("admin"), question=question, data={"text": "Kan du lide at tegne?"}
        )
    question.refresh_from_db()
    assert question.audio_text == "Kan du lide at tegne?"
    assert question.audio.name == speech.audio_name("Kan du lide at tegne?")


def test_without_espeak_the_question_says_why_it_has_no_sound(world, settings):
    settings.WELLBEING_ESPEAK = "no-such-espeak-program"
    question = Question.objects.create(
        municipality=world.municipality,
        text="Er her rart?",
        dimension="physical",
        picture="space",
        position=5,
    )
    assert services.question_audio_make(question_id=question.pk) is False
    question.refresh_from_db()
    assert "espeak-ng" in question.audio_problem
    assert not question.audio


def test_an_uploaded_recording_is_used_instead_of_speech(world, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.wellbeing.helpers import WAV

    settings.WELLBEING_ESPEAK = "no-such-espeak-program"
    question = services.question_create(
        actor=world.user("admin"),
        municipality=world.municipality,
        data={
            "text": "Hvem er din ven?",
            "kind": "smiley",
            "dimension": "psychological",
            "picture": "friends",
            "is_active": True,
            "recording": SimpleUploadedFile("ven.wav", WAV, content_type="audio/wav"),
        },
    )
    question.refresh_from_db()
    assert question.audio_source == Question.AudioSource.RECORDING
    assert question.audio.name == question.recording.name
    assert services.question_audio_make(question_id=question.pk) is True
