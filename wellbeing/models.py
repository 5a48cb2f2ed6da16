"""The children's own voice: a talking questionnaire answered on a tablet, the children's
choices of playmates, and the daycare's assessment of the children's environment.

Privacy by construction: answers never point at a child. They point at a `Pseudonym`,
and only the pseudonym row links to the child; that link is shown only to the group's
staff and the leader (see querysets.py). Raw answers are deleted after a configurable
time; `Tally` rows (counts per session and question) are what stays.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.uploads import AUDIO, Upload, check_upload, random_name

from .pictures import PICTURE_CHOICES, SYMBOL_CHOICES
from .querysets import (
    AssessmentQuerySet,
    PseudonymQuerySet,
    QuestionQuerySet,
    SessionQuerySet,
)


def _not_blank(field: str) -> Q:
    return Q(**{f"{field}__regex": r"\S"})


class Dimension(models.TextChoices):
    """The three sides of the children's environment the law names."""

    PHYSICAL = "physical", pgettext_lazy("children's environment", "Physical")
    PSYCHOLOGICAL = "psychological", pgettext_lazy("children's environment", "Psychological")
    AESTHETIC = "aesthetic", pgettext_lazy("children's environment", "Aesthetic")


class Smiley(models.IntegerChoices):
    SAD = 1, pgettext_lazy("smiley answer", "Sad")
    NEUTRAL = 2, pgettext_lazy("smiley answer", "In between")
    HAPPY = 3, pgettext_lazy("smiley answer", "Happy")


# A recording is short: a question read aloud.
RECORDING_MAX_BYTES = 2 * 1024 * 1024


def check_recording(upload) -> Upload:
    """An uploaded recording, recognised by its content (core.uploads), at most 2 MB."""
    return check_upload(upload, accept=(AUDIO,), max_bytes=RECORDING_MAX_BYTES)


def audio_path(instance: Question, filename: str) -> str:
    return random_name(f"wellbeing/recordings/{instance.municipality_id}", filename)


class Question(models.Model):
    """One screen of the questionnaire, owned by a municipality (which may edit the
    default wording, deactivate a question or add its own)."""

    class Kind(models.TextChoices):
        SMILEY = "smiley", pgettext_lazy("question kind", "Three smileys")
        PEERS = "peers", pgettext_lazy("question kind", "Choose playmates")

    class AudioSource(models.TextChoices):
        NONE = "none", pgettext_lazy("question audio", "No sound yet")
        SPEECH = "speech", pgettext_lazy("question audio", "Speech synthesis")
        RECORDING = "recording", pgettext_lazy("question audio", "Uploaded recording")

    municipality = models.ForeignKey(
        "institutions.Municipality", on_delete=models.CASCADE, related_name="wellbeing_questions"
    )
    default_code = models.CharField(max_length=30, blank=True, editable=False)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.SMILEY)
    text = models.CharField(
        _("question"),
        max_length=200,
        help_text=_("Said aloud to the child in Danish, exactly as written."),
    )
    dimension = models.CharField(
        _("part of the children's environment"), max_length=20, choices=Dimension.choices
    )
    picture = models.CharField(_("picture"), max_length=30, choices=PICTURE_CHOICES)
    position = models.PositiveSmallIntegerField(_("position"))
    is_active = models.BooleanField(_("in use"), default=True)
    audio = models.FileField(max_length=300, blank=True)
    audio_source = models.CharField(
        max_length=10, choices=AudioSource.choices, default=AudioSource.NONE
    )
    # The text the synthesised audio says; differs from `text` while new audio is made.
    audio_text = models.CharField(max_length=200, blank=True)
    audio_problem = models.CharField(max_length=300, blank=True)
    recording = models.FileField(_("recording"), upload_to=audio_path, max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "default_code"],
                condition=~Q(default_code=""),
                name="wellbeing_default_question_once",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["smiley", "peers"]), name="wellbeing_question_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(dimension__in=["physical", "psychological", "aesthetic"]),
                name="wellbeing_question_dimension_valid",
            ),
            models.CheckConstraint(
                condition=Q(audio_source__in=["none", "speech", "recording"]),
                name="wellbeing_question_audio_source_valid",
            ),
            models.CheckConstraint(condition=_not_blank("text"), name="wellbeing_question_text"),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def audio_is_current(self) -> bool:
        return self.audio_source == self.AudioSource.RECORDING or (
            bool(self.audio) and self.audio_text == self.text
        )


def _new_code() -> str:
    return secrets.token_hex(8)


class Pseudonym(models.Model):
    """The only link between a child and the child's answers. A child keeps one per
    group, with the picture (symbol) the child recognises as their own."""

    group = models.ForeignKey(
        "institutions.Group", on_delete=models.CASCADE, related_name="wellbeing_pseudonyms"
    )
    child = models.ForeignKey(
        "institutions.Child",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="wellbeing_pseudonyms",
    )
    code = models.CharField(max_length=16, unique=True, default=_new_code, editable=False)
    symbol = models.CharField(_("picture"), max_length=30, choices=SYMBOL_CHOICES)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PseudonymQuerySet.as_manager()

    class Meta:
        verbose_name = _("pseudonym")
        verbose_name_plural = _("pseudonyms")
        ordering = ["symbol"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "child"],
                condition=Q(child__isnull=False),
                name="wellbeing_pseudonym_one_per_child",
            ),
            # Two children of a group never share a picture.
            models.UniqueConstraint(
                fields=["group", "symbol"],
                condition=Q(child__isnull=False),
                name="wellbeing_symbol_unique_in_group",
            ),
        ]

    def __str__(self) -> str:
        return self.code


class Session(models.Model):
    """A round of the questionnaire on the group's tablet, started by a staff member."""

    group = models.ForeignKey(
        "institutions.Group", on_delete=models.CASCADE, related_name="wellbeing_sessions"
    )
    institution = models.ForeignKey(
        "institutions.Institution", on_delete=models.CASCADE, related_name="wellbeing_sessions"
    )
    year = models.PositiveSmallIntegerField()
    question_ids = ArrayField(models.BigIntegerField())
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    started_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Filled in when the session closes: children who completed the questionnaire.
    respondents = models.PositiveIntegerField(default=0)
    raw_purged_at = models.DateTimeField(null=True, blank=True)

    objects = SessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("questionnaire session")
        verbose_name_plural = _("questionnaire sessions")
        ordering = ["-started_at", "-pk"]
        constraints = [
            # One open session per group: the tablet shows one.
            models.UniqueConstraint(
                fields=["group"],
                condition=Q(closed_at__isnull=True),
                name="wellbeing_one_open_session_per_group",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100),
                name="wellbeing_session_year_sane",
            ),
            models.CheckConstraint(
                condition=Q(raw_purged_at__isnull=True) | Q(closed_at__isnull=False),
                name="wellbeing_purged_only_when_closed",
            ),
        ]
        indexes = [models.Index(fields=["institution", "year"])]

    def __str__(self) -> str:
        return f"{self.group} {self.started_at:%Y-%m-%d}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class Response(models.Model):
    """One child's pass through the questionnaire, under the child's pseudonym."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="responses")
    pseudonym = models.ForeignKey(Pseudonym, on_delete=models.CASCADE, related_name="responses")
    year = models.PositiveSmallIntegerField()
    started_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "pseudonym"], name="wellbeing_response_once_per_session"
            ),
            # A child completes the questionnaire at most once a year, so counts per
            # year are counts of children.
            models.UniqueConstraint(
                fields=["pseudonym", "year"],
                condition=Q(completed_at__isnull=False),
                name="wellbeing_response_completed_once_a_year",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pseudonym_id}/{self.session_id}"


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    # 1–3 for a smiley question; empty for the playmates question (choices are below).
    value = models.PositiveSmallIntegerField(choices=Smiley.choices, null=True, blank=True)
    answered_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"], name="wellbeing_answer_once_per_question"
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=1, value__lte=3),
                name="wellbeing_answer_value_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.value}"


class PeerChoice(models.Model):
    """ "Who do you like to play with?": the chooser tapped the chosen child's picture."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="choices")
    chooser = models.ForeignKey(Pseudonym, on_delete=models.CASCADE, related_name="+")
    chosen = models.ForeignKey(Pseudonym, on_delete=models.CASCADE, related_name="chosen_by")

    class Meta:
        verbose_name = _("choice of playmate")
        verbose_name_plural = _("choices of playmates")
        constraints = [
            models.UniqueConstraint(fields=["response", "chosen"], name="wellbeing_choice_once"),
            models.CheckConstraint(
                condition=~Q(chooser=F("chosen")), name="wellbeing_choice_not_oneself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.chooser_id} → {self.chosen_id}"


class Tally(models.Model):
    """The counts that stay when raw answers are deleted: per session and question."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="tallies")
    question = models.ForeignKey(
        Question, on_delete=models.SET_NULL, null=True, related_name="tallies"
    )
    question_text = models.CharField(max_length=200)
    dimension = models.CharField(max_length=20, choices=Dimension.choices)
    position = models.PositiveSmallIntegerField()
    sad = models.PositiveIntegerField(default=0)
    neutral = models.PositiveIntegerField(default=0)
    happy = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("tally")
        verbose_name_plural = _("tallies")
        constraints = [
            models.UniqueConstraint(fields=["session", "question"], name="wellbeing_tally_once"),
        ]

    def __str__(self) -> str:
        return self.question_text


class Assessment(models.Model):
    """The daycare's written assessment of the children's environment (børnemiljø-
    vurdering), with the children's answers beside it and an action plan in the goals app."""

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("assessment status", "Draft")
        COMPLETED = "completed", pgettext_lazy("assessment status", "Completed")

    institution = models.ForeignKey(
        "institutions.Institution",
        on_delete=models.CASCADE,
        related_name="environment_assessments",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    physical = models.TextField(_("the physical children's environment"), blank=True)
    psychological = models.TextField(_("the psychological children's environment"), blank=True)
    aesthetic = models.TextField(_("the aesthetic children's environment"), blank=True)
    children_perspective = models.TextField(
        _("how the children's perspective was included"), blank=True
    )
    # The action plan in the daycare's goals that follows up: an id, the foreign key kept
    # in the database (ON DELETE SET NULL, migration 0002); its name, link and steps come
    # through core.plans, so wellbeing imports nothing of goals.
    action_plan_id = models.BigIntegerField(_("action plan"), null=True, blank=True, db_index=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("children's environment assessment")
        verbose_name_plural = _("children's environment assessments")
        ordering = ["-year", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "year"], name="wellbeing_assessment_one_per_year"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "completed"]),
                name="wellbeing_assessment_status_valid",
            ),
            # A completed assessment has a date and all three parts written.
            models.CheckConstraint(
                condition=Q(status="draft")
                | (
                    Q(completed_on__isnull=False)
                    & _not_blank("physical")
                    & _not_blank("psychological")
                    & _not_blank("aesthetic")
                ),
                name="wellbeing_assessment_completed_in_full",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100), name="wellbeing_assessment_year_sane"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.institution}: {self.year}"

    @property
    def is_completed(self) -> bool:
        return self.status == self.Status.COMPLETED
