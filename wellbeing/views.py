"""Pages of the children's own voice: the tablet questionnaire, a group's results,
pictures and relations map, the daycare's results and environment assessment, the
municipality's questions and results.

Every view fetches its object through the scopes in querysets.py (404 outside them),
checks the role in permissions.py (403), then calls one service. Pages that show the
children's answers or link a pseudonym to a child write an access entry in the audit
trail (who, when, which group).
"""

from __future__ import annotations

import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.middleware import holds_no_personal_data
from core.permissions import require
from core.plans import action_plans
from core.views import apply, crumbs
from institutions.access import municipality_for
from institutions.models import Group, Institution
from privacy import log, purposes

from . import permissions, selectors, services, speech
from .forms import AssessmentForm, QuestionForm, SymbolForm
from .models import Assessment, Pseudonym, Question, Response, Session
from .pdf import render_assessment
from .pictures import SYMBOL_CHOICES
from .querysets import wellbeing_groups, wellbeing_institutions

# Access helpers ------------------------------------------------------------------------


def _institution(request: HttpRequest, pk: int) -> Institution:
    return get_object_or_404(
        wellbeing_institutions(request.user).select_related("municipality"), pk=pk
    )


def _group(request: HttpRequest, pk: int) -> Group:
    return get_object_or_404(
        wellbeing_groups(request.user).select_related("institution__municipality"), pk=pk
    )


def _session(request: HttpRequest, pk: int) -> Session:
    return get_object_or_404(
        Session.objects.visible_to(request.user).select_related("group__institution"), pk=pk
    )


def _response(request: HttpRequest, pk: int) -> Response:
    sessions = Session.objects.visible_to(request.user)
    return get_object_or_404(
        Response.objects.filter(session__in=sessions).select_related(
            "session__group__institution", "pseudonym"
        ),
        pk=pk,
    )


def _institution_crumbs(institution: Institution, *trail):
    return crumbs(
        (institution.name, reverse("institutions:detail", args=[institution.pk])),
        (_("The children's own voice"), reverse("wellbeing:institution", args=[institution.pk])),
        *trail,
    )


def _group_crumbs(group: Group, *trail):
    return _institution_crumbs(
        group.institution, (group.name, reverse("wellbeing:group", args=[group.pk])), *trail
    )


def _posted_int(raw) -> int | None:
    """A whole number (an id, a smiley) sent by the browser, or None if it is not a plain one."""
    if not isinstance(raw, str) or not raw.isascii() or not raw.isdigit() or len(raw) > 18:
        return None
    return int(raw)


def _year(request: HttpRequest, years: list[int]) -> int:
    try:
        year = int(request.GET.get("aar", ""))
    except ValueError:
        return years[0]
    return year if year in years else years[0]


# The daycare ----------------------------------------------------------------------------


@login_required
def institution_overview(request: HttpRequest, pk: int) -> HttpResponse:
    institution = _institution(request, pk)
    sessions = Session.objects.filter(institution=institution)
    years = selectors.years_with_sessions(sessions)
    year = _year(request, years)
    results = selectors.institution_results(institution, year)
    services.access_log(
        actor=request.user, action="wellbeing.institution_results_viewed", institution=institution
    )
    return render(
        request,
        "wellbeing/institution.html",
        {
            "institution": institution,
            "my_groups": wellbeing_groups(request.user)
            .filter(institution=institution)
            .order_by("name"),
            "results": results,
            "groups": selectors.group_respondents(institution, year),
            "years": years,
            "year": year,
            "min_children": selectors.MIN_CHILDREN,
            "breadcrumbs": _institution_crumbs(institution),
        },
    )


# A group --------------------------------------------------------------------------------


@login_required
def group_detail(request: HttpRequest, pk: int) -> HttpResponse:
    group = _group(request, pk)
    sessions = Session.objects.filter(group=group)
    years = selectors.years_with_sessions(sessions)
    year = _year(request, years)
    services.access_log(actor=request.user, action="wellbeing.group_results_viewed", group=group)
    return render(
        request,
        "wellbeing/group.html",
        {
            "group": group,
            "institution": group.institution,
            "open_session": sessions.filter(closed_at__isnull=True).first(),
            "sessions": sessions.select_related("started_by").order_by("-started_at")[:20],
            "results": selectors.group_results(group, year),
            "years": years,
            "year": year,
            "min_children": selectors.MIN_CHILDREN,
            "speech_available": speech.is_available(),
            "breadcrumbs": _group_crumbs(group),
        },
    )


@login_required
@require_POST
def session_start(request: HttpRequest, pk: int) -> HttpResponse:
    group = _group(request, pk)
    try:
        session = services.session_start(actor=request.user, group=group)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("wellbeing:group", group.pk)
    return redirect("wellbeing:tablet", session.pk)


@login_required
def pictures(request: HttpRequest, pk: int) -> HttpResponse:
    """The children of the group with their pictures: the key from pseudonym to child."""
    group = _group(request, pk)
    if request.method == "POST":
        pseudonym_id = _posted_int(request.POST.get("pseudonym"))
        if pseudonym_id is None:
            raise Http404
        pseudonym = get_object_or_404(
            Pseudonym.objects.filter(group=group, child__isnull=False), pk=pseudonym_id
        )
        form = SymbolForm(request.POST)
        if form.is_valid():
            try:
                with transaction.atomic():  # the new picture and its log row, or neither
                    services.pseudonym_set_symbol(
                        actor=request.user,
                        pseudonym=pseudonym,
                        symbol=form.cleaned_data["symbol"],
                    )
                    log.log_access(
                        request,
                        children=[pseudonym.child],
                        institution=group.institution,
                        action=log.CHANGE,
                        purpose=purposes.WELLBEING_PICTURES,
                    )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("The picture was changed."))
        else:
            messages.error(request, _("Choose one of the pictures."))
        return redirect("wellbeing:pictures", group.pk)
    pseudonyms, waiting = selectors.group_pictures(group)
    services.access_log(actor=request.user, action="wellbeing.pictures_viewed", group=group)
    log.log_access(
        request,
        children=[p.child for p in pseudonyms] + waiting,
        institution=group.institution,
        purpose=purposes.WELLBEING_PICTURES,
    )
    return render(
        request,
        "wellbeing/pictures.html",
        {
            "group": group,
            "pseudonyms": pseudonyms,
            "waiting": waiting,
            "symbol_choices": SYMBOL_CHOICES,
            "breadcrumbs": _group_crumbs(group, (_("The children's pictures"), "")),
        },
    )


@login_required
@require_POST
def pictures_give(request: HttpRequest, pk: int) -> HttpResponse:
    """Give every child new in the group a picture of their own (starting the
    questionnaire does it too)."""
    group = _group(request, pk)
    try:
        services.pseudonyms_ensure(group=group)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The new children have their pictures."))
    return redirect("wellbeing:pictures", group.pk)


@login_required
def relations(request: HttpRequest, pk: int) -> HttpResponse:
    group = _group(request, pk)
    sessions = Session.objects.filter(group=group)
    years = selectors.years_with_sessions(sessions)
    year = _year(request, years)
    services.access_log(actor=request.user, action="wellbeing.relations_viewed", group=group)
    found = selectors.group_relations(group, year)
    log.log_access(
        request,
        children=[n.pseudonym.child for n in found.nodes],
        institution=group.institution,
        purpose=purposes.RELATIONS_MAP,
    )
    return render(
        request,
        "wellbeing/relations.html",
        {
            "group": group,
            "relations": found,
            "years": years,
            "year": year,
            "breadcrumbs": _group_crumbs(group, (_("Relations map"), "")),
        },
    )


# The tablet -----------------------------------------------------------------------------


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


# The children's environment assessment ---------------------------------------------------


def _assessment_year(request: HttpRequest) -> int:
    this_year = timezone.localdate().year
    try:
        year = int(request.GET.get("aar", this_year))
    except ValueError:
        return this_year
    return year if 2000 <= year <= this_year + 1 else this_year


def _assessment_context(institution: Institution, assessment: Assessment | None, year: int):
    results = selectors.institution_results(institution, year)
    dimensions = []
    for value, label, total, questions in results.by_dimension():
        dimensions.append(
            {
                "value": value,
                "label": label,
                "heading": Assessment._meta.get_field(value).verbose_name,
                "text": getattr(assessment, value, "") if assessment else "",
                "total": total,
                "questions": questions,
            }
        )
    plan_id = assessment.action_plan_id if assessment else None
    plan = action_plans(ids=[plan_id], with_steps=True).get(plan_id) if plan_id else None
    return {"results": results, "dimensions": dimensions, "plan": plan}


@login_required
def assessment(request: HttpRequest, pk: int) -> HttpResponse:
    institution = _institution(request, pk)
    year = _assessment_year(request)
    current = Assessment.objects.filter(institution=institution, year=year).first()
    can_edit = permissions.can_edit_assessment(request.user, institution)
    form = None
    if can_edit:
        form = AssessmentForm(request.POST or None, instance=current, institution=institution)
    if request.method == "POST":
        require(can_edit)
        if form.is_valid():
            complete = "complete" in request.POST
            if apply(
                form,
                lambda: services.assessment_save(
                    actor=request.user,
                    institution=institution,
                    year=year,
                    data=dict(form.cleaned_data),
                    complete=complete,
                ),
            ):
                messages.success(
                    request,
                    _("The assessment was completed.")
                    if complete
                    else _("The assessment was saved."),
                )
                return redirect(f"{reverse('wellbeing:assessment', args=[pk])}?aar={year}")
    services.access_log(
        actor=request.user, action="wellbeing.assessment_viewed", institution=institution
    )
    history = Assessment.objects.filter(institution=institution).order_by("-year")
    return render(
        request,
        "wellbeing/assessment.html",
        {
            "institution": institution,
            "assessment": current,
            "year": year,
            "form": form,
            "history": history,
            "min_children": selectors.MIN_CHILDREN,
            **_assessment_context(institution, current, year),
            "breadcrumbs": _institution_crumbs(institution, (_("Children's environment"), "")),
        },
        status=400 if form is not None and form.errors else 200,
    )


@login_required
def assessment_pdf(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    institution = _institution(request, pk)
    current = get_object_or_404(
        Assessment.objects.visible_to(request.user), institution=institution, year=year
    )
    services.access_log(
        actor=request.user,
        action="wellbeing.assessment_pdf_viewed",
        institution=institution,
        obj=current,
    )
    pdf = render_assessment(current, _assessment_context(institution, current, year))
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"boernemiljoevurdering-{year}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# The municipality -------------------------------------------------------------------------


@login_required
def questions(request: HttpRequest, municipality_id: int) -> HttpResponse:
    municipality = municipality_for(request, municipality_id)
    require(permissions.can_view_questions(request.user, municipality))
    can_edit = permissions.can_edit_questions(request.user, municipality)
    rows = list(Question.objects.filter(municipality=municipality).order_by("position", "pk"))
    # Default questions not yet copied are shown as they ship; they are copied when taken
    # into use (below) or when a daycare starts the questionnaire, never by looking.
    defaults = selectors.default_questions_missing(municipality)
    rows = sorted(rows + defaults, key=lambda q: (q.position, q.pk is None, q.pk or 0))
    return render(
        request,
        "wellbeing/questions.html",
        {
            "municipality": municipality,
            "questions": [(q, _audio_url(q) if q.pk else "") for q in rows],
            "defaults_waiting": bool(defaults),
            "can_edit": can_edit,
            "speech_available": speech.is_available(),
            "breadcrumbs": crumbs((_("Questions for the children"), "")),
        },
    )


@login_required
@require_POST
def questions_take_defaults(request: HttpRequest, municipality_id: int) -> HttpResponse:
    municipality = municipality_for(request, municipality_id)
    require(permissions.can_edit_questions(request.user, municipality))
    if services.questions_ensure_defaults(municipality=municipality):
        messages.success(request, _("The default questions are the municipality's own to change."))
    return redirect("wellbeing:questions", municipality.pk)


def _question_form_page(request, municipality, form, title, cancel):
    return render(
        request,
        "wellbeing/question_form.html",
        {
            "municipality": municipality,
            "form": form,
            "title": title,
            "cancel_url": cancel,
            "breadcrumbs": crumbs(
                (_("Questions for the children"), cancel),
                (title, ""),
            ),
        },
        status=400 if form.errors else 200,
    )


@login_required
def question_create(request: HttpRequest, municipality_id: int) -> HttpResponse:
    municipality = municipality_for(request, municipality_id)
    require(permissions.can_edit_questions(request.user, municipality))
    form = QuestionForm(request.POST or None, request.FILES or None)
    cancel = reverse("wellbeing:questions", args=[municipality.pk])
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        services.question_create(actor=request.user, municipality=municipality, data=data)
        messages.success(request, _("The question was added."))
        return redirect(cancel)
    return _question_form_page(request, municipality, form, _("New question"), cancel)


@login_required
def question_edit(request: HttpRequest, municipality_id: int, question_id: int) -> HttpResponse:
    municipality = municipality_for(request, municipality_id)
    require(permissions.can_edit_questions(request.user, municipality))
    current = get_object_or_404(municipality.wellbeing_questions, pk=question_id)
    form = QuestionForm(request.POST or None, request.FILES or None, instance=current)
    cancel = reverse("wellbeing:questions", args=[municipality.pk])
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        # The form wrote its values onto the instance; the service compares with the row.
        current.refresh_from_db()
        services.question_update(actor=request.user, question=current, data=data)
        messages.success(request, _("The question was saved."))
        return redirect(cancel)
    return _question_form_page(request, municipality, form, _("Edit question"), cancel)


@login_required
def municipality_results(request: HttpRequest, municipality_id: int) -> HttpResponse:
    municipality = municipality_for(request, municipality_id)
    require(permissions.can_view_municipal_results(request.user, municipality))
    sessions = Session.objects.filter(institution__municipality=municipality)
    years = selectors.years_with_sessions(sessions)
    year = _year(request, years)
    total, rows = selectors.municipality_results(municipality, year)
    services.access_log(
        actor=request.user,
        action="wellbeing.municipality_results_viewed",
        obj=municipality,
        municipality=municipality,
    )
    return render(
        request,
        "wellbeing/municipality.html",
        {
            "municipality": municipality,
            "results": total,
            "rows": rows,
            "years": years,
            "year": year,
            "min_children": selectors.MIN_CHILDREN,
            "breadcrumbs": crumbs((_("The children's own voice"), "")),
        },
    )
