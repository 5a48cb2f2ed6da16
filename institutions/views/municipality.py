"""The municipality's pages: its daycares, its people and roles, the import and the letterhead."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, OuterRef, Q, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.filenames import download_name
from core.permissions import require
from core.views import apply, crumbs

from .. import imports, letterhead, permissions, services
from ..access import municipality_for
from ..forms import (
    ImportForm,
    InstitutionForm,
    InvitationForm,
    LetterheadForm,
)
from ..models import (
    ChildrenCount,
    Institution,
    MunicipalRole,
)


@login_required
def municipality_institutions(request: HttpRequest, municipality_id: int) -> HttpResponse:
    municipality = municipality_for(request, municipality_id)
    require(permissions.can_view_municipality(request.user, municipality))
    latest = ChildrenCount.objects.filter(institution=OuterRef("pk")).order_by("-counted_on")
    institutions = municipality.institutions.annotate(
        group_count=Count("groups", filter=Q(groups__is_active=True), distinct=True),
        latest_0_2=Subquery(latest.values("aged_0_2")[:1]),
        latest_3_5=Subquery(latest.values("aged_3_5")[:1]),
    ).order_by("name")
    kind = request.GET.get("type", "")
    if kind in Institution.Kind.values:
        institutions = institutions.filter(kind=kind)
    ownership = request.GET.get("ejerform", "")
    if ownership in Institution.Ownership.values:
        institutions = institutions.filter(ownership=ownership)
    districts = list(
        municipality.institutions.exclude(district="")
        .values_list("district", flat=True)
        .distinct()
        .order_by("district")
    )
    # Only a district on offer filters; anything else (a stale link, bad input) is ignored.
    district = request.GET.get("distrikt", "")
    if district in districts:
        institutions = institutions.filter(district=district)
    return render(
        request,
        "institutions/municipality_institutions.html",
        {
            "municipality": municipality,
            "institutions": institutions,
            "kinds": Institution.Kind.choices,
            "ownerships": Institution.Ownership.choices,
            "districts": list(districts),
            "selected": {"kind": kind, "ownership": ownership, "district": district},
            "can_administer": permissions.can_administer_municipality(request.user, municipality),
            "breadcrumbs": crumbs((_("Institutions"), "")),
        },
    )


@login_required
def institution_create(request: HttpRequest, municipality_id: int) -> HttpResponse:
    municipality = municipality_for(request, municipality_id)
    require(permissions.can_administer_municipality(request.user, municipality))
    form = InstitutionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = apply(
            form,
            lambda: services.institution_create(
                actor=request.user, municipality=municipality, **form.cleaned_data
            ),
        )
        if done:
            messages.success(request, _("The institution was created."))
            return redirect("institutions:detail", done.value.pk)
    return render(
        request,
        "core/form.html",
        {
            "form": form,
            "title": _("New institution"),
            "cancel_url": reverse("institutions:municipality", args=[municipality.pk]),
            "breadcrumbs": crumbs(
                (_("Institutions"), reverse("institutions:municipality", args=[municipality.pk])),
                (_("New institution"), ""),
            ),
        },
    )


@login_required
def municipality_people(request: HttpRequest, municipality_id: int) -> HttpResponse:
    municipality = municipality_for(request, municipality_id)
    require(permissions.can_administer_municipality(request.user, municipality))
    form = InvitationForm(request.POST or None, roles=list(MunicipalRole.Role.choices))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def invite():
            services.invitation_create(
                actor=request.user,
                municipality=municipality,
                email=data["email"],
                name=data["name"],
                municipal_role=data["role"],
                language=data["language"],
            )

        if apply(form, invite):
            messages.success(
                request, _("The invitation was sent to %(email)s.") % {"email": data["email"]}
            )
            return redirect("institutions:municipality_people", municipality.pk)
    roles = municipality.roles.select_related("user").order_by("user__name")
    pending = municipality.invitations.filter(
        accepted_at=None, revoked_at=None, institution=None, child=None
    ).order_by("-created_at")
    return render(
        request,
        "institutions/municipality_people.html",
        {
            "municipality": municipality,
            "roles": roles,
            "pending": pending,
            "form": form,
            "now": timezone.now(),
            "breadcrumbs": crumbs((_("Municipal staff"), "")),
        },
    )


@login_required
@require_POST
def municipal_role_remove(request: HttpRequest, municipality_id: int, role_id: int) -> HttpResponse:
    municipality = municipality_for(request, municipality_id)
    require(permissions.can_administer_municipality(request.user, municipality))
    role = get_object_or_404(municipality.roles.select_related("user"), pk=role_id)
    try:
        services.municipal_role_remove(actor=request.user, role=role)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The role was removed."))
    return redirect("institutions:municipality_people", municipality.pk)


@login_required
def municipality_import(request: HttpRequest, municipality_id: int) -> HttpResponse:
    municipality = municipality_for(request, municipality_id)
    require(permissions.can_administer_municipality(request.user, municipality))
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = imports.import_file(
            actor=request.user,
            municipality=municipality,
            kind=form.cleaned_data["kind"],
            upload=form.cleaned_data["file"],
        )
        if result.ok:
            messages.success(
                request,
                _("The file was imported: %(created)d created, %(updated)d updated.")
                % {"created": result.created, "updated": result.updated},
            )
            return redirect("institutions:municipality_import", municipality.pk)
    status = 400 if result is not None and not result.ok else 200
    return render(
        request,
        "institutions/import.html",
        {
            "municipality": municipality,
            "form": form,
            "result": result,
            "templates": ImportForm.KIND_CHOICES,
            "breadcrumbs": crumbs((_("Import"), "")),
        },
        status=status,
    )


@login_required
def import_template(request: HttpRequest, municipality_id: int, kind: str) -> HttpResponse:
    municipality = municipality_for(request, municipality_id)
    require(permissions.can_administer_municipality(request.user, municipality))
    if kind not in imports.TEMPLATE_ROWS:
        raise Http404
    response = HttpResponse(imports.template_csv(kind), content_type="text/csv; charset=utf-8")
    name = download_name("skabelon", imports.TEMPLATE_NAMES[kind], extension="csv")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def letterhead_edit(request: HttpRequest, municipality_id: int) -> HttpResponse:
    """The municipality's letterhead and complaint guidance, printed on its letters."""
    municipality = municipality_for(
        request, municipality_id, check=permissions.can_administer_municipality
    )
    current = letterhead.letterhead_for(municipality)
    form = LetterheadForm(
        request.POST or None,
        request.FILES or None,
        instance=current,
        initial={
            field: letterhead.complaints_for(current, kind)
            for kind, field in letterhead.COMPLAINT_FIELDS.items()
        },
    )
    saved = (
        request.method == "POST"
        and form.is_valid()
        and apply(
            form,
            lambda: letterhead.letterhead_update(
                actor=request.user, municipality=municipality, **form.cleaned_data
            ),
        )
    )
    if saved:
        messages.success(
            request,
            _("The letterhead and complaint guidance are saved. The next letters carry them."),
        )
        return redirect("institutions:letterhead", municipality.pk)
    return render(
        request,
        "institutions/letterhead.html",
        {
            "form": form,
            "municipality": municipality,
            "logo_src": letterhead.logo_src(current),
            "breadcrumbs": crumbs((_("Letters and complaint guidance"), "")),
        },
        status=400 if form.errors else 200,
    )
