"""Pages for institutions, groups, children, counts, people and invitations.

Every view starts by fetching its object through the user's scope (`visible_to`):
outsiders get 404. It then checks the role in permissions.py: 403 without it.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.filenames import download_name
from core.permissions import require
from core.views import apply, crumbs
from privacy import log, purposes

from . import imports, letterhead, permissions, selectors, services
from .access import institution_for, municipality_for
from .forms import (
    AcceptInvitationForm,
    ChildForm,
    ChildrenCountForm,
    GroupForm,
    GuardianInvitationForm,
    ImportForm,
    InstitutionForm,
    InvitationForm,
    LetterheadForm,
)
from .models import (
    Child,
    ChildrenCount,
    Institution,
    Invitation,
    Membership,
    MunicipalRole,
)

# Access helpers ---------------------------------------------------------------------


def _institution_crumbs(institution: Institution, *trail: tuple[str, str]):
    return crumbs((institution.name, reverse("institutions:detail", args=[institution.pk])), *trail)


# Municipality -----------------------------------------------------------------------


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


# One institution --------------------------------------------------------------------


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


# Children ---------------------------------------------------------------------------


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


# Invitations ------------------------------------------------------------------------


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
