"""The tablet questionnaire the children answer: pictures, questions read aloud, answers."""

from __future__ import annotations

import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.middleware import holds_no_personal_data
from privacy import log, purposes

from .. import selectors, services
from ..models import Pseudonym, Question, Session
from .common import _posted_int, _response, _session


def _tablet_render(request, template: str, context: dict, status: int = 200) -> HttpResponse:
    return render(request, f"wellbeing/tablet/{template}", context, status=status)


@login_required
def tablet(request: HttpRequest, pk: int) -> HttpResponse:
    """The group's children's pictures: each child taps their own to begin."""
    session = _session(request, pk)
    if not session.is_open:
        messages.info(request, _("The session has ended."))
        return redirect("wellbeing:group", session.group_id)
    children = selectors.tablet_children(session)
    log.log_access(
        request,
        children=[p.child for p, _done in children],
        institution=session.group.institution,
        purpose=purposes.WELLBEING_TABLET,
    )
    return _tablet_render(
        request,
        "choose.html",
        {
            "session": session,
            "group": session.group,
            "children": children,
        },
    )


@login_required
@require_POST
def response_begin(request: HttpRequest, pk: int, pseudonym_id: int) -> HttpResponse:
    session = _session(request, pk)
    pseudonym = get_object_or_404(Pseudonym.objects.filter(group=session.group), pk=pseudonym_id)
    try:
        response = services.response_begin(session=session, pseudonym=pseudonym)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("wellbeing:tablet", session.pk)
    return redirect("wellbeing:question", response.pk)


def _audio_url(question: Question) -> str:
    if not question.audio or not question.audio_is_current:
        return ""
    version = int(question.updated_at.timestamp())
    return f"{reverse('wellbeing:question_audio', args=[question.pk])}?v={version}"


@login_required
def question(request: HttpRequest, pk: int) -> HttpResponse:
    """The next unanswered question of this child's pass, one per screen."""
    response = _response(request, pk)
    session = response.session
    if not session.is_open:
        return redirect("wellbeing:group", session.group_id)
    next_id = services.next_question_id(response)
    if next_id is None:
        return redirect("wellbeing:thanks", response.pk)
    current = get_object_or_404(Question, pk=next_id)
    total = len(session.question_ids)
    step = session.question_ids.index(next_id) + 1
    context = {
        "response": response,
        "session": session,
        "question": current,
        "audio_url": _audio_url(current),
        "step": step,
        "total": total,
        "steps": range(1, total + 1),
    }
    if current.kind == Question.Kind.PEERS:
        chosen = set(response.choices.values_list("chosen_id", flat=True))
        peers = (
            Pseudonym.objects.filter(group=session.group, child__isnull=False)
            .exclude(pk=response.pseudonym_id)
            .select_related("child")
            .order_by("child__first_name", "pk")
        )
        context["peers"] = [(p, p.pk in chosen) for p in peers]
        return _tablet_render(request, "peers.html", context)
    return _tablet_render(request, "question.html", context)


@login_required
@require_POST
def answer(request: HttpRequest, pk: int, question_id: int) -> HttpResponse:
    response = _response(request, pk)
    session = response.session
    current = get_object_or_404(
        Question.objects.filter(municipality=session.institution.municipality_id), pk=question_id
    )
    try:
        if current.kind == Question.Kind.PEERS:
            ids = {_posted_int(v) for v in request.POST.getlist("chosen")}
            chosen = list(Pseudonym.objects.filter(group=session.group, pk__in=ids - {None}))
            if None in ids or len(chosen) != len(ids):
                raise ValidationError(_("That picture does not belong to a child in the group."))
            services.peers_record(response=response, question=current, chosen=chosen)
        else:
            value = _posted_int(request.POST.get("value")) or 0
            services.answer_record(response=response, question=current, value=value)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        if not Session.objects.filter(pk=session.pk, closed_at__isnull=True).exists():
            return redirect("wellbeing:group", session.group_id)
    return redirect("wellbeing:question", response.pk)


@login_required
def thanks(request: HttpRequest, pk: int) -> HttpResponse:
    response = _response(request, pk)
    return _tablet_render(
        request, "thanks.html", {"response": response, "session": response.session}
    )


@login_required
@require_POST
def session_close(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    session = services.session_close(actor=request.user, session=session)
    messages.success(
        request,
        _("The session has ended: %(count)d children answered.") % {"count": session.respondents},
    )
    return redirect("wellbeing:group", session.group_id)


@login_required
def question_audio(request: HttpRequest, pk: int) -> FileResponse:
    """The spoken question, for the tablet (and the administrator to listen to)."""
    current = get_object_or_404(Question.objects.visible_to(request.user), pk=pk)
    if not current.audio:
        raise Http404
    try:
        handle = current.audio.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    content_type = mimetypes.guess_type(current.audio.name)[0] or "application/octet-stream"
    content_type = {".m4a": "audio/mp4", ".wav": "audio/wav"}.get(
        current.audio.name[-4:], content_type
    )
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = "private, max-age=86400"
    # The same spoken question for every child: the tablet may keep it between children.
    return holds_no_personal_data(response)
