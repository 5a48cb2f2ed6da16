"""Writes of the children's own voice. Each service runs in one transaction, locks what it
checks, writes an audit entry where a person acts, and raises ValidationError (in
Danish, for the page) when the state does not allow the action."""

from __future__ import annotations

import logging
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit
from core.dates import months_before
from core.plans import action_plans
from core.queue import enqueue
from institutions.models import Child, Group, Institution, Municipality

from . import selectors, speech
from .models import (
    Answer,
    Assessment,
    PeerChoice,
    Pseudonym,
    Question,
    Response,
    Session,
    Smiley,
    Tally,
    check_recording,
)
from .pictures import SYMBOLS

logger = logging.getLogger("wellbeing")

# A session left open on a tablet is closed by the nightly job after this long.
STALE_SESSION_HOURS = 12


def raw_answer_months() -> int:
    return int(getattr(settings, "WELLBEING_RAW_ANSWER_MONTHS", 18))


# Questions ------------------------------------------------------------------------------


def questions_ensure_defaults(*, municipality: Municipality) -> int:
    """Give the municipality its own copy of the default questions (once; idempotent and
    safe when two requests do it at once). Returns how many were created."""
    rows = selectors.default_questions_missing(municipality)
    if not rows:
        return 0
    # Speech for the default wording was usually made at build or seed time
    # (manage.py make_question_audio); reuse it where the file is there.
    for question in rows:
        _attach_existing_speech(question)
    Question.objects.bulk_create(rows, ignore_conflicts=True)
    created = Question.objects.filter(
        municipality=municipality, audio="", audio_source=Question.AudioSource.NONE
    ).values_list("pk", flat=True)
    for pk in created:
        enqueue("wellbeing.make_question_audio", pk)
    return len(rows)


def _attach_existing_speech(question: Question) -> None:
    from django.core.files.storage import default_storage

    name = speech.audio_name(question.text)
    if default_storage.exists(name):
        question.audio = name
        question.audio_text = question.text
        question.audio_source = Question.AudioSource.SPEECH


def _next_position(municipality: Municipality) -> int:
    last = (
        Question.objects.filter(municipality=municipality)
        .order_by("-position")
        .values_list("position", flat=True)
        .first()
    )
    return (last or 0) + 10


@transaction.atomic
def question_create(*, actor, municipality: Municipality, data: dict) -> Question:
    """A question of the municipality's own, at the end unless a position is given."""
    recording = data.pop("recording", None)
    data.pop("remove_recording", None)
    position = data.pop("position", None) or _next_position(municipality)
    question = Question.objects.create(municipality=municipality, position=position, **data)
    if recording:
        _store_recording(question, recording)
    else:
        enqueue_audio(question)
    audit(
        actor=actor,
        action="wellbeing.question_created",
        obj=question,
        municipality=municipality,
        summary=question.text,
    )
    return question


@transaction.atomic
def question_update(*, actor, question: Question, data: dict) -> Question:
    question = Question.objects.select_for_update().get(pk=question.pk)
    recording = data.pop("recording", None)
    remove_recording = data.pop("remove_recording", False)
    changes = {}
    for name, value in data.items():
        if value is not None and getattr(question, name) != value:
            changes[name] = [str(getattr(question, name)), str(value)]
            setattr(question, name, value)
    if recording:
        _store_recording(question, recording)
        changes["recording"] = ["", recording.name]
    elif remove_recording and question.recording:
        question.recording.delete(save=False)
        question.recording = ""
        question.audio = ""
        question.audio_source = Question.AudioSource.NONE
        changes["recording"] = ["", _("removed")]
    question.save()
    if not question.recording and not question.audio_is_current:
        enqueue_audio(question)
    if changes:
        audit(
            actor=actor,
            action="wellbeing.question_changed",
            obj=question,
            municipality=question.municipality,
            summary=question.text,
            changes=changes,
        )
    return question


def _store_recording(question: Question, upload) -> None:
    checked = check_recording(upload)
    question.recording.save(checked.name, checked.content, save=False)
    question.audio = question.recording.name
    question.audio_source = Question.AudioSource.RECORDING
    question.audio_text = ""
    question.audio_problem = ""
    question.save()


def enqueue_audio(question: Question) -> None:
    """Make the spoken question after the transaction commits (Celery)."""
    enqueue("wellbeing.make_question_audio", question.pk)


def question_audio_make(*, question_id: int) -> bool:
    """Speak the question's current text with espeak-ng and attach the file. Idempotent:
    a question with current audio or an uploaded recording is left alone. Returns
    whether the question has current sound afterwards."""
    question = Question.objects.filter(pk=question_id).first()
    if question is None:
        return False
    if question.recording or question.audio_is_current:
        return True
    text = question.text
    try:
        name = speech.ensure_audio(text)
    except speech.SpeechUnavailable as problem:
        logger.warning("No speech for question %s: %s", question_id, problem)
        with transaction.atomic():
            locked = Question.objects.select_for_update().get(pk=question_id)
            if not locked.recording and locked.text == text:
                locked.audio_problem = str(problem)[:300]
                if locked.audio_text != text:
                    locked.audio = ""
                    locked.audio_source = Question.AudioSource.NONE
                locked.save(update_fields=["audio", "audio_source", "audio_problem", "updated_at"])
        return False
    with transaction.atomic():
        locked = Question.objects.select_for_update().get(pk=question_id)
        # The text may have changed while speaking; that edit queued its own task.
        if locked.recording or locked.text != text:
            return False
        locked.audio = name
        locked.audio_text = text
        locked.audio_source = Question.AudioSource.SPEECH
        locked.audio_problem = ""
        locked.save(
            update_fields=["audio", "audio_text", "audio_source", "audio_problem", "updated_at"]
        )
    return True


# Children's pictures ---------------------------------------------------------------------


def _current_children(group: Group):
    return Child.objects.filter(group=group).current()


@transaction.atomic
def pseudonyms_ensure(*, group: Group) -> list[Pseudonym]:
    """Every current child of the group gets a pseudonym and a picture of their own;
    a child who left loses the link (their earlier answers stay pseudonymous)."""
    Group.objects.select_for_update().get(pk=group.pk)
    children = list(_current_children(group).order_by("first_name", "pk"))
    current_ids = {c.pk for c in children}
    Pseudonym.objects.filter(group=group, child__isnull=False).exclude(
        child_id__in=current_ids
    ).update(child=None)
    existing = {p.child_id: p for p in Pseudonym.objects.filter(group=group, child__isnull=False)}
    taken = {p.symbol for p in existing.values()}
    free = [key for key in SYMBOLS if key not in taken]
    new = []
    for child in children:
        if child.pk in existing:
            continue
        if not free:
            raise ValidationError(_("The group has more children than there are pictures."))
        new.append(Pseudonym(group=group, child=child, symbol=free.pop(0)))
    Pseudonym.objects.bulk_create(new)
    return list(
        Pseudonym.objects.filter(group=group, child__isnull=False)
        .select_related("child")
        .order_by("child__first_name", "pk")
    )


@transaction.atomic
def pseudonym_set_symbol(*, actor, pseudonym: Pseudonym, symbol: str) -> Pseudonym:
    """Give a child another picture; two children of a group never share one."""
    if symbol not in SYMBOLS:
        raise ValidationError(_("Choose one of the pictures."))
    Group.objects.select_for_update().get(pk=pseudonym.group_id)
    taken = (
        Pseudonym.objects.filter(group_id=pseudonym.group_id, symbol=symbol, child__isnull=False)
        .exclude(pk=pseudonym.pk)
        .exists()
    )
    if taken:
        raise ValidationError(_("Another child in the group already has that picture."))
    pseudonym.symbol = symbol
    pseudonym.save(update_fields=["symbol"])
    audit(
        actor=actor,
        action="wellbeing.picture_changed",
        obj=pseudonym,
        institution=pseudonym.group.institution,
        summary=str(pseudonym.group),
    )
    return pseudonym


# Sessions and answers ----------------------------------------------------------------


@transaction.atomic
def session_start(*, actor, group: Group) -> Session:
    """Open the questionnaire for the group on the tablet. A group has one open session
    at a time (a database constraint); starting again returns the open one."""
    group = Group.objects.select_for_update().select_related("institution").get(pk=group.pk)
    open_session = Session.objects.open().filter(group=group).first()
    if open_session is not None:
        return open_session
    municipality = group.institution.municipality
    questions_ensure_defaults(municipality=municipality)
    question_ids = list(
        Question.objects.filter(municipality=municipality)
        .active()
        .order_by("position", "pk")
        .values_list("pk", flat=True)
    )
    if not question_ids:
        raise ValidationError(_("The municipality has no questions in use."))
    pseudonyms_ensure(group=group)
    session = Session.objects.create(
        group=group,
        institution=group.institution,
        year=timezone.localdate().year,
        question_ids=question_ids,
        started_by=actor,
    )
    audit(
        actor=actor,
        action="wellbeing.session_started",
        obj=session,
        institution=group.institution,
        summary=str(group),
    )
    return session


def _lock_open_session(session: Session) -> Session:
    locked = Session.objects.select_for_update().get(pk=session.pk)
    if not locked.is_open:
        raise ValidationError(_("The session has ended."))
    return locked


@transaction.atomic
def response_begin(*, session: Session, pseudonym: Pseudonym) -> Response:
    """The child tapped their picture: start (or resume) their answers in this session."""
    session = _lock_open_session(session)
    if pseudonym.group_id != session.group_id or pseudonym.child_id is None:
        raise ValidationError(_("That picture does not belong to a child in the group."))
    done = Response.objects.filter(
        pseudonym=pseudonym, year=session.year, completed_at__isnull=False
    ).exclude(session=session)
    if done.exists():
        raise ValidationError(_("This child has already answered this year."))
    response, _created = Response.objects.get_or_create(
        session=session, pseudonym=pseudonym, defaults={"year": session.year}
    )
    return response


def next_question_id(response: Response) -> int | None:
    answered = set(response.answers.values_list("question_id", flat=True))
    return next((pk for pk in response.session.question_ids if pk not in answered), None)


def _check_answerable(response: Response, question: Question) -> Response:
    _lock_open_session(response.session)
    response = Response.objects.select_for_update().get(pk=response.pk)
    if response.completed_at is not None:
        raise ValidationError(_("These answers are already complete."))
    if question.pk not in response.session.question_ids:
        raise ValidationError(_("That question is not part of this session."))
    return response


@transaction.atomic
def answer_record(*, response: Response, question: Question, value: int) -> Response:
    """A smiley tapped. Answering the last question completes the response."""
    response = _check_answerable(response, question)
    if question.kind != Question.Kind.SMILEY:
        raise ValidationError(_("Choose the children you like to play with."))
    if value not in Smiley.values:
        raise ValidationError(_("Choose one of the three faces."))
    Answer.objects.update_or_create(response=response, question=question, defaults={"value": value})
    return _complete_if_done(response)


@transaction.atomic
def peers_record(*, response: Response, question: Question, chosen: list[Pseudonym]) -> Response:
    """ "Who do you like to play with?": the pictures tapped (possibly none)."""
    response = _check_answerable(response, question)
    if question.kind != Question.Kind.PEERS:
        raise ValidationError(_("Choose one of the three faces."))
    for peer in chosen:
        if peer.group_id != response.session.group_id or peer.child_id is None:
            raise ValidationError(_("That picture does not belong to a child in the group."))
        if peer.pk == response.pseudonym_id:
            raise ValidationError(_("Choose other children than yourself."))
    PeerChoice.objects.filter(response=response).delete()
    PeerChoice.objects.bulk_create(
        [PeerChoice(response=response, chooser_id=response.pseudonym_id, chosen=p) for p in chosen]
    )
    Answer.objects.update_or_create(response=response, question=question, defaults={"value": None})
    return _complete_if_done(response)


def _complete_if_done(response: Response) -> Response:
    if next_question_id(response) is not None:
        return response
    response.completed_at = timezone.now()
    try:
        with transaction.atomic():
            response.save(update_fields=["completed_at"])
    except IntegrityError as error:
        raise ValidationError(_("This child has already answered this year.")) from error
    return response


@transaction.atomic
def session_close(*, actor, session: Session) -> Session:
    """End the session: unfinished answers are dropped, the counts per question are
    written (they outlive the raw answers), and the session leaves the tablet."""
    session = Session.objects.select_for_update().select_related("group").get(pk=session.pk)
    if not session.is_open:
        return session
    Response.objects.filter(session=session, completed_at__isnull=True).delete()
    tallies_write(session=session)
    session.respondents = session.responses.count()
    session.closed_at = timezone.now()
    session.closed_by = actor if getattr(actor, "is_authenticated", False) else None
    session.save(update_fields=["respondents", "closed_at", "closed_by"])
    audit(
        actor=actor,
        action="wellbeing.session_closed",
        obj=session,
        institution=session.institution,
        summary=_("%(group)s: %(count)d children answered")
        % {"group": session.group, "count": session.respondents},
    )
    return session


def tallies_write(*, session: Session) -> list[Tally]:
    """Counts per question of the session's completed answers (replacing earlier ones)."""
    questions = {q.pk: q for q in Question.objects.filter(pk__in=session.question_ids)}
    counts = (
        Answer.objects.filter(
            response__session=session,
            response__completed_at__isnull=False,
            value__isnull=False,
        )
        .values("question_id")
        .annotate(
            sad=Count("pk", filter=Q(value=Smiley.SAD)),
            neutral=Count("pk", filter=Q(value=Smiley.NEUTRAL)),
            happy=Count("pk", filter=Q(value=Smiley.HAPPY)),
        )
    )
    by_question = {row["question_id"]: row for row in counts}
    Tally.objects.filter(session=session).delete()
    rows = []
    for pk in session.question_ids:
        question = questions.get(pk)
        if question is None or question.kind != Question.Kind.SMILEY:
            continue
        row = by_question.get(pk, {})
        rows.append(
            Tally(
                session=session,
                question=question,
                question_text=question.text,
                dimension=question.dimension,
                position=question.position,
                sad=row.get("sad", 0),
                neutral=row.get("neutral", 0),
                happy=row.get("happy", 0),
            )
        )
    return Tally.objects.bulk_create(rows)


def sessions_close_stale(*, now=None) -> int:
    """Close sessions left open on a tablet for more than STALE_SESSION_HOURS."""
    now = now or timezone.now()
    stale = Session.objects.open().filter(started_at__lt=now - timedelta(hours=STALE_SESSION_HOURS))
    closed = 0
    for session in stale.order_by("pk"):
        session_close(actor=None, session=session)
        closed += 1
    return closed


def raw_answers_purge(*, today: date | None = None) -> int:
    """Delete the raw answers and choices of sessions closed more than
    WELLBEING_RAW_ANSWER_MONTHS ago, keeping their tallies. Returns sessions purged."""
    today = today or timezone.localdate()
    cutoff = months_before(today, raw_answer_months())
    due = Session.objects.filter(
        closed_at__isnull=False, closed_at__date__lt=cutoff, raw_purged_at__isnull=True
    )
    purged = 0
    for session_id in due.order_by("pk").values_list("pk", flat=True):
        with transaction.atomic():
            session = Session.objects.select_for_update().get(pk=session_id)
            if session.raw_purged_at is not None:
                continue
            if not session.tallies.exists():
                tallies_write(session=session)
            Response.objects.filter(session=session).delete()
            session.raw_purged_at = timezone.now()
            session.save(update_fields=["raw_purged_at"])
            audit(
                actor=None,
                action="wellbeing.raw_answers_deleted",
                obj=session,
                institution=session.institution,
                summary=_("Raw answers deleted after %(months)d months; the counts are kept.")
                % {"months": raw_answer_months()},
            )
            purged += 1
    return purged


# The children's environment assessment --------------------------------------------------


@transaction.atomic
def assessment_save(
    *, actor, institution: Institution, year: int, data: dict, complete: bool
) -> Assessment:
    """Write the daycare's assessment for `year`; `complete` marks it done (all three
    parts must then be written)."""
    plan_id = data.get("action_plan_id")
    if plan_id is not None:
        plan = action_plans(ids=[plan_id]).get(plan_id)
        if plan is None or plan.owner_id != institution.pk:
            raise ValidationError(_("Choose one of the daycare's own action plans."))
    assessment, _created = Assessment.objects.select_for_update().get_or_create(
        institution=institution, year=year, defaults={"created_by": actor}
    )
    before = {name: getattr(assessment, name) for name in data}
    for name, value in data.items():
        setattr(assessment, name, value)
    if complete:
        missing = [
            str(Assessment._meta.get_field(name).verbose_name)
            for name in ("physical", "psychological", "aesthetic")
            if not (getattr(assessment, name) or "").strip()
        ]
        if missing:
            raise ValidationError(
                _("Write about %(parts)s before you complete the assessment.")
                % {"parts": ", ".join(missing)}
            )
        assessment.status = Assessment.Status.COMPLETED
        assessment.completed_on = assessment.completed_on or timezone.localdate()
    assessment.save()
    audit(
        actor=actor,
        action="wellbeing.assessment_completed" if complete else "wellbeing.assessment_saved",
        obj=assessment,
        institution=institution,
        summary=str(assessment),
        changes={
            name: [str(before[name]), str(getattr(assessment, name))]
            for name in data
            if before[name] != getattr(assessment, name) and name != "action_plan_id"
        },
    )
    return assessment


def access_log(
    *, actor, action: str, group: Group | None = None, institution=None, obj=None, municipality=None
):
    """Record that `actor` looked at the children's answers or relations (who, when, what).
    The actions end in "_viewed": a record of a look, the one thing a GET writes here."""
    institution = institution or (group.institution if group is not None else None)
    target = obj or group or institution
    return audit(
        actor=actor,
        action=action,
        obj=target,
        institution=institution,
        municipality=municipality,
        summary=str(target),
    )
