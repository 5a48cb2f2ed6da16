"""The daycare's children's environment assessment and its PDF."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.permissions import require
from core.plans import action_plans
from core.views import apply
from institutions.models import Institution

from .. import permissions, selectors, services
from ..forms import AssessmentForm
from ..models import Assessment
from ..pdf import render_assessment
from .common import _institution, _institution_crumbs


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
