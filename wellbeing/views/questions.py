"""The municipality's questions and results."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.permissions import require
from core.views import crumbs
from institutions.access import municipality_for

from .. import permissions, selectors, services, speech
from ..forms import QuestionForm
from ..models import Question, Session
from .common import _year
from .tablet import _audio_url


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
