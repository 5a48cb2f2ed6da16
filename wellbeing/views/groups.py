"""A daycare's and a group's pages: results, starting a session, pictures and the relations map."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from privacy import log, purposes

from .. import selectors, services, speech
from ..forms import SymbolForm
from ..models import Pseudonym, Session
from ..pictures import SYMBOL_CHOICES
from ..querysets import wellbeing_groups
from .common import _group, _group_crumbs, _institution, _institution_crumbs, _posted_int, _year


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
