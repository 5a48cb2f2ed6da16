"""A daycare's pages: the daycare and its groups, its staff and invitations."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.permissions import require
from core.views import apply

from .. import permissions, selectors, services
from ..access import institution_for
from ..forms import (
    AcceptInvitationForm,
    GroupForm,
    InstitutionForm,
    InvitationForm,
)
from ..models import (
    Invitation,
    Membership,
)
from .common import _institution_crumbs


@login_required
def institution_detail(request: HttpRequest, pk: int) -> HttpResponse:
    institution = institution_for(request, pk)
    require(permissions.can_view_institution(request.user, institution))
    groups = (
        institution.groups.filter(is_active=True)
        .select_related("childminder")
        .annotate(child_count=Count("children", filter=Q(children__left_on=None)))
    )
    key_people = (
        institution.memberships.filter(
            role__in=[Membership.Role.LEADER, Membership.Role.AMBASSADOR]
        )
        .select_related("user")
        .order_by("role", "user__name")
    )
    user = request.user
    # The same indicators, for the same people, as the daycare's own dashboard page.
    indicator_rows = (
        selectors.indicator_rows([institution])[institution.pk]
        if permissions.can_view_institution_indicators(user, institution)
        else []
    )
    return render(
        request,
        "institutions/detail.html",
        {
            "institution": institution,
            "groups": groups,
            "key_people": key_people,
            "latest_count": institution.children_counts.order_by("-counted_on").first(),
            "indicator_rows": indicator_rows,
            "can_fix": permissions.can_work_on_indicators(user, institution),
            "can": {
                "edit": permissions.can_edit_institution(user, institution),
                "groups": permissions.can_manage_groups(user, institution),
                "people": permissions.can_view_people(user, institution),
                "children": permissions.can_view_children(user, institution),
                "counts": permissions.can_view_children_counts(user, institution),
            },
            "breadcrumbs": _institution_crumbs(institution),
        },
    )


@login_required
def institution_edit(request: HttpRequest, pk: int) -> HttpResponse:
    institution = institution_for(request, pk)
    require(permissions.can_edit_institution(request.user, institution))
    form = InstitutionForm(request.POST or None, instance=institution)
    if request.method == "POST" and form.is_valid():
        # The form only validated; the service writes (and audits) the change.
        data = form.cleaned_data
        institution.refresh_from_db()
        if apply(
            form,
            lambda: services.institution_update(
                actor=request.user, institution=institution, **data
            ),
        ):
            messages.success(request, _("The institution was saved."))
            return redirect("institutions:detail", institution.pk)
    return render(
        request,
        "core/form.html",
        {
            "form": form,
            "title": _("Edit %(name)s") % {"name": institution.name},
            "cancel_url": reverse("institutions:detail", args=[institution.pk]),
            "breadcrumbs": _institution_crumbs(institution, (_("Edit"), "")),
        },
    )


@login_required
def group_create(request: HttpRequest, pk: int) -> HttpResponse:
    institution = institution_for(request, pk)
    require(permissions.can_manage_groups(request.user, institution))
    form = GroupForm(request.POST or None, institution=institution)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if apply(
            form, lambda: services.group_create(actor=request.user, institution=institution, **data)
        ):
            messages.success(request, _("The group was created."))
            return redirect("institutions:detail", institution.pk)
    return render(
        request,
        "core/form.html",
        {
            "form": form,
            "title": _("New group or childminder home"),
            "cancel_url": reverse("institutions:detail", args=[institution.pk]),
            "breadcrumbs": _institution_crumbs(institution, (_("New group"), "")),
        },
    )


@login_required
def group_edit(request: HttpRequest, pk: int, group_id: int) -> HttpResponse:
    institution = institution_for(request, pk)
    require(permissions.can_manage_groups(request.user, institution))
    group = get_object_or_404(institution.groups, pk=group_id)
    form = GroupForm(request.POST or None, instance=group, institution=institution)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        group.refresh_from_db()
        if apply(form, lambda: services.group_update(actor=request.user, group=group, **data)):
            messages.success(request, _("The group was saved."))
            return redirect("institutions:detail", institution.pk)
    return render(
        request,
        "core/form.html",
        {
            "form": form,
            "title": _("Edit %(name)s") % {"name": group.name},
            "cancel_url": reverse("institutions:detail", args=[institution.pk]),
            "breadcrumbs": _institution_crumbs(institution, (group.name, "")),
        },
    )


@login_required
def people(request: HttpRequest, pk: int) -> HttpResponse:
    institution = institution_for(request, pk)
    require(permissions.can_view_people(request.user, institution))
    memberships = institution.memberships.select_related("user").order_by("user__name", "role")
    can_invite = bool(permissions.invitable_roles(request.user, institution))
    pending = (
        institution.invitations.filter(accepted_at=None, revoked_at=None).order_by("-created_at")
        if can_invite
        else Invitation.objects.none()
    )
    return render(
        request,
        "institutions/people.html",
        {
            "institution": institution,
            "memberships": [
                (m, permissions.can_remove_membership(request.user, m)) for m in memberships
            ],
            "pending": pending,
            "can_invite": can_invite,
            "now": timezone.now(),
            "breadcrumbs": _institution_crumbs(institution, (_("Staff and roles"), "")),
        },
    )


@login_required
def invite(request: HttpRequest, pk: int) -> HttpResponse:
    institution = institution_for(request, pk)
    require(permissions.can_invite_to_institution(request.user, institution))
    allowed = permissions.invitable_roles(request.user, institution)
    choices = [(value, label) for value, label in Membership.Role.choices if value in allowed]
    initial = {"role": request.GET.get("role")} if request.GET.get("role") in allowed else {}
    form = InvitationForm(request.POST or None, roles=choices, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def create():
            services.invitation_create(
                actor=request.user,
                municipality=institution.municipality,
                institution=institution,
                email=data["email"],
                name=data["name"],
                role=data["role"],
                language=data["language"],
            )

        if apply(form, create):
            messages.success(
                request, _("The invitation was sent to %(email)s.") % {"email": data["email"]}
            )
            return redirect("institutions:people", institution.pk)
    return render(
        request,
        "core/form.html",
        {
            "form": form,
            "title": _("Invite a person to %(name)s") % {"name": institution.name},
            "intro": _(
                "The person receives an e-mail with a link to choose a password. "
                "The link is valid for 14 days."
            ),
            "submit_label": _("Send invitation"),
            "cancel_url": reverse("institutions:people", args=[institution.pk]),
            "breadcrumbs": _institution_crumbs(
                institution,
                (_("Staff and roles"), reverse("institutions:people", args=[institution.pk])),
                (_("Invite"), ""),
            ),
        },
    )


@login_required
@require_POST
def membership_remove(request: HttpRequest, pk: int, membership_id: int) -> HttpResponse:
    institution = institution_for(request, pk)
    membership = get_object_or_404(
        institution.memberships.select_related("user", "institution"), pk=membership_id
    )
    require(permissions.can_remove_membership(request.user, membership))
    try:
        services.membership_remove(actor=request.user, membership=membership)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The role was removed."))
    return redirect("institutions:people", institution.pk)


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, pk: int, invitation_id: int) -> HttpResponse:
    institution = institution_for(request, pk)
    invitation = get_object_or_404(
        Invitation.objects.filter(
            Q(institution=institution) | Q(child__group__institution=institution)
        ),
        pk=invitation_id,
    )
    # Whoever may invite to the role may withdraw the invitation: a leader cannot withdraw
    # the municipality's invitation of a co-leader.
    if invitation.child_id:
        require(permissions.can_invite_guardian(request.user, invitation.child))
    else:
        require(permissions.can_invite_to_institution(request.user, institution, invitation.role))
    try:
        services.invitation_revoke(actor=request.user, invitation=invitation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The invitation was withdrawn."))
    if invitation.child_id:
        return redirect("institutions:child", institution.pk, invitation.child_id)
    return redirect("institutions:people", institution.pk)


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """Open to anyone holding the link: the token is the credential."""
    invitation = get_object_or_404(
        Invitation.objects.select_related(
            "municipality", "institution", "child__group__institution"
        ),
        token=token,
    )
    problem = services.invitation_state_error(invitation)
    context = {
        "invitation": invitation,
        "problem": problem,
        "place": invitation.institution or invitation.municipality,
    }
    if problem:
        return render(request, "institutions/invitation_accept.html", context, status=410)
    from accounts.models import User

    has_account = User.objects.filter(email__iexact=invitation.email).exists()
    if request.user.is_authenticated and request.user.email.lower() != invitation.email:
        context["wrong_user"] = True
        if request.method == "POST" and request.POST.get("action") == "logout":
            logout(request)
            return redirect(request.path)
        return render(request, "institutions/invitation_accept.html", context)
    if has_account and not request.user.is_authenticated:
        context["login_url"] = reverse("account_login") + "?next=" + request.path
        return render(request, "institutions/invitation_accept.html", context)
    if has_account:
        if request.method == "POST":
            try:
                services.invitation_accept(invitation=invitation, user=request.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                return redirect(request.path)
            messages.success(
                request, _("You now have the role %(role)s.") % {"role": invitation.role_name}
            )
            return redirect("home")
        return render(request, "institutions/invitation_accept.html", context)
    form = AcceptInvitationForm(
        request.POST or None, email=invitation.email, initial={"name": invitation.name}
    )
    if request.method == "POST" and form.is_valid():
        done = apply(
            form,
            lambda: services.invitation_accept(
                invitation=invitation,
                name=form.cleaned_data["name"],
                password=form.cleaned_data["password1"],
            ),
        )
        if done:
            from allauth.account.internal.flows.login import record_authentication
            from allauth.account.utils import perform_login

            user = done.value
            # Choosing the password counts as logging in with it, and as a fresh one, so
            # setting up two-factor login right away does not ask for the password again.
            record_authentication(
                request, user, method="password", email=user.email, reauthenticated=True
            )
            messages.success(request, _("Welcome to Dagtilbudsportalen."))
            return perform_login(request, user, redirect_url=reverse("home"))
    context["form"] = form
    return render(request, "institutions/invitation_accept.html", context)
