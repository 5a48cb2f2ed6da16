"""Speak the questions with espeak-ng ahead of time: the default wording (shared by every
municipality) and every question still without current sound. Run at build or seed time;
edited questions get their sound from a Celery task when saved."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from wellbeing import speech
from wellbeing.models import Question
from wellbeing.pictures import DEFAULT_QUESTIONS
from wellbeing.services import question_audio_make


class Command(BaseCommand):
    help = "Make the spoken audio of the default questions and of questions without sound."

    def handle(self, *args, **options):
        if not speech.is_available():
            self.stderr.write(
                "espeak-ng is not installed: no speech made. Install the Debian package "
                "espeak-ng, or upload recordings for the questions."
            )
            return
        for _code, text, *_rest in DEFAULT_QUESTIONS:
            speech.ensure_audio(text)
        made = 0
        for pk in Question.objects.filter(recording="").values_list("pk", flat=True):
            made += question_audio_make(question_id=pk)
        self.stdout.write(
            f"Speech ready for {len(DEFAULT_QUESTIONS)} default questions; "
            f"{made} questions have sound."
        )
