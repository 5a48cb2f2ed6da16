"""Concrete projects: the municipality's and the daycares', shared across the municipality."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from core.permissions import require
from core.views import apply, crumbs
from institutions.access import institution_for, municipality_for

from .. import permissions, selectors, services
from ..forms import ProjectForm
from ..models import Project
from .common import form_page, goal_crumbs


def _projects_crumbs(municipality, *trail):
    return crumbs((_("Projects"), reverse("goals:projects", args=[municipality.pk])), *trail)


def _project_url(project: Project) -> str:
    return reverse("goals:project_detail", args=[project.municipality_id, project.pk])


def _project(request: HttpRequest, municipality_id: int, project_id: int) -> Project:
    municipality = municipality_for(request, municipality_id)
    return get_object_or_404(
        Project.objects.visible_to(request.user)
        .filter(municipality=municipality)
        .select_related("municipality", "owner_institution", "strategy_item__focus_area__period"),
        pk=project_id,
    )


@login_required
def projects(request: HttpRequest, municipality_id: int) -> HttpResponse:
    municipality = municipality_for(request, municipality_id)
    require(permissions.can_view_projects(request.user, municipality))
    return render(
        request,
        "goals/projects.html",
        {
            "municipality": municipality,
            "projects": selectors.projects(municipality),
            "can_create": permissions.can_create_municipal_project(request.user, municipality),
            "breadcrumbs": crumbs((_("Projects"), "")),
        },
    )


def _create(request, *, municipality, owner_institution, cancel_url, breadcrumbs):
    form = ProjectForm(
        request.POST or None,
        municipality=municipality,
        initial={
            "status": Project.Status.PLANNED,
            "institutions": [owner_institution] if owner_institution else [],
        },
    )
    if request.method == "POST" and form.is_valid():
        done = apply(
            form,
            lambda: services.project_create(
                actor=request.user,
                municipality=municipality,
                owner_institution=owner_institution,
                **form.cleaned_data,
            ),
        )
        if done:
            messages.success(request, _("The project was created."))
            return redirect(_project_url(done.value))
    return form_page(
        request,
        form=form,
        title=(
            _("New project of %(name)s") % {"name": owner_institution.name}
            if owner_institution
            else _("New project of the municipality")
        ),
        cancel_url=cancel_url,
        breadcrumbs=breadcrumbs,
    )


@login_required
def project_create(request: HttpRequest, municipality_id: int) -> HttpResponse:
    municipality = municipality_for(request, municipality_id)
    require(permissions.can_create_municipal_project(request.user, municipality))
    return _create(
        request,
        municipality=municipality,
        owner_institution=None,
        cancel_url=reverse("goals:projects", args=[municipality.pk]),
        breadcrumbs=_projects_crumbs(municipality, (_("New project"), "")),
    )


@login_required
def institution_project_create(request: HttpRequest, pk: int) -> HttpResponse:
    institution = institution_for(request, pk)
    require(permissions.can_create_institution_project(request.user, institution))
    return _create(
        request,
        municipality=institution.municipality,
        owner_institution=institution,
        cancel_url=reverse("goals:board", args=[institution.pk]),
        breadcrumbs=goal_crumbs(institution, (_("New project"), "")),
    )


@login_required
def project_detail(request: HttpRequest, municipality_id: int, project_id: int) -> HttpResponse:
    project = _project(request, municipality_id, project_id)
    require(permissions.can_view_projects(request.user, project.municipality))
    return render(
        request,
        "goals/project_detail.html",
        {
            "project": project,
            "institutions": project.institutions.order_by("name"),
            "themes": project.themes.all(),
            "can_edit": permissions.can_edit_project(request.user, project),
            "breadcrumbs": _projects_crumbs(project.municipality, (project.title, "")),
        },
    )


@login_required
def project_edit(request: HttpRequest, municipality_id: int, project_id: int) -> HttpResponse:
    project = _project(request, municipality_id, project_id)
    require(permissions.can_edit_project(request.user, project))
    form = ProjectForm(request.POST or None, municipality=project.municipality, project=project)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if apply(
            form, lambda: services.project_update(actor=request.user, project=project, **data)
        ):
            messages.success(request, _("The project was saved."))
            return redirect(_project_url(project))
    return form_page(
        request,
        form=form,
        title=_("Edit the project"),
        cancel_url=_project_url(project),
        breadcrumbs=_projects_crumbs(
            project.municipality, (project.title, _project_url(project)), (_("Edit"), "")
        ),
    )
