"""A daycare's children and children counts."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Count, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.permissions import require
from core.views import apply
from privacy import log, purposes

from .. import permissions, services
from ..access import institution_for
from ..forms import (
    ChildForm,
    ChildrenCountForm,
    GuardianInvitationForm,
)
from ..models import (
    Child,
)
from .common import _institution_crumbs


@login_required
def children(request: HttpRequest, pk: int) -> HttpResponse:
    institution = institution_for(request, pk)
    require(permissions.can_view_children(request.user, institution))
    groups = institution.groups.filter(is_active=True).prefetch_related(
        Prefetch(
            "children",
            queryset=Child.objects.current()
            .annotate(guardian_count=Count("guardianships"))
            .order_by("first_name"),
            to_attr="current_children",
        )
    )
    log.log_access(
        request,
        children=[c for g in groups for c in g.current_children],
        institution=institution,
        purpose=purposes.CHILDREN_LIST,
    )
    return render(
        request,
        "institutions/children.html",
        {
            "institution": institution,
            "groups": groups,
            "can_manage": permissions.can_manage_children(request.user, institution),
            "breadcrumbs": _institution_crumbs(institution, (_("Children"), "")),
        },
    )


@login_required
def child_create(request: HttpRequest, pk: int) -> HttpResponse:
    institution = institution_for(request, pk)
    require(permissions.can_manage_children(request.user, institution))
    form = ChildForm(request.POST or None, institution=institution)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        group = data.pop("group")

        def create():
            with transaction.atomic():  # the child and its log row, or neither
                child = services.child_create(actor=request.user, group=group, **data)
                log.log_access(
                    request,
                    children=[child],
                    institution=institution,
                    action=log.CHANGE,
                    purpose=purposes.CHILD_ADDED,
                )
            return child

        done = apply(form, create)
        if done:
            messages.success(request, _("The child was added."))
            return redirect("institutions:child", institution.pk, done.value.pk)
    return render(
        request,
        "core/form.html",
        {
            "form": form,
            "title": _("Add a child"),
            "intro": _("Record only what the daily work needs."),
            "cancel_url": reverse("institutions:children", args=[institution.pk]),
            "breadcrumbs": _institution_crumbs(
                institution,
                (_("Children"), reverse("institutions:children", args=[institution.pk])),
                (_("Add a child"), ""),
            ),
        },
    )


@login_required
def child_detail(request: HttpRequest, pk: int, child_id: int) -> HttpResponse:
    institution = institution_for(request, pk)
    require(permissions.can_view_children(request.user, institution))
    child = get_object_or_404(
        Child.objects.visible_to(request.user)
        .filter(group__institution=institution)
        .select_related("group"),
        pk=child_id,
    )
    can_invite = permissions.can_invite_guardian(request.user, child)
    form = GuardianInvitationForm(request.POST or None)
    if request.method == "POST":
        require(can_invite)
        if form.is_valid():
            data = form.cleaned_data

            def create():
                with transaction.atomic():  # the invitation and its log row, or neither
                    services.invitation_create(
                        actor=request.user,
                        municipality=institution.municipality,
                        child=child,
                        email=data["email"],
                        name=data["name"],
                        language=data["language"],
                    )
                    log.log_access(
                        request,
                        children=[child],
                        institution=institution,
                        action=log.CHANGE,
                        purpose=purposes.GUARDIAN_INVITED,
                    )

            if apply(form, create):
                messages.success(
                    request, _("The invitation was sent to %(email)s.") % {"email": data["email"]}
                )
                return redirect("institutions:child", institution.pk, child.pk)
    guardians = list(child.guardians.order_by("name"))
    log.log_access(
        request,
        children=[child],
        guardians=guardians,
        institution=institution,
        purpose=purposes.CHILD_PAGE,
    )
    return render(
        request,
        "institutions/child.html",
        {
            "institution": institution,
            "child": child,
            "guardians": guardians,
            "pending": child.invitations.filter(accepted_at=None, revoked_at=None)
            if can_invite
            else [],
            "form": form if can_invite else None,
            "now": timezone.now(),
            "breadcrumbs": _institution_crumbs(
                institution,
                (_("Children"), reverse("institutions:children", args=[institution.pk])),
                (child.first_name, ""),
            ),
        },
    )


@login_required
def children_counts(request: HttpRequest, pk: int) -> HttpResponse:
    institution = institution_for(request, pk)
    require(permissions.can_view_children_counts(request.user, institution))
    can_manage = permissions.can_manage_children_counts(request.user, institution)
    form = ChildrenCountForm(request.POST or None) if can_manage else None
    if request.method == "POST":
        require(can_manage)
        if form.is_valid():
            data = form.cleaned_data
            if apply(
                form,
                lambda: services.children_count_record(
                    actor=request.user, institution=institution, **data
                ),
            ):
                messages.success(request, _("The children count was recorded."))
                return redirect("institutions:counts", institution.pk)
    return render(
        request,
        "institutions/counts.html",
        {
            "institution": institution,
            "counts": institution.children_counts.order_by("-counted_on")[:40],
            "form": form,
            "breadcrumbs": _institution_crumbs(institution, (_("Children counts"), "")),
        },
    )
