"""Pages of competence development.

Every view fetches its object through the user's scope (`visible_to`): outsiders get
404. It then checks the role in permissions.py: 403 without it. Writes go through one
service; its ValidationError is shown in the form's error summary.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from core.permissions import require
from core.views import apply
from institutions.access import institution_for, municipality_for
from institutions.models import Institution, Municipality

from . import ical, permissions, selectors, services
from .forms import (
    ActivityForm,
    AttendanceForm,
    CommentForm,
    EventForm,
    GenerateMeetingsForm,
    MeetingForm,
    MinutesForm,
    NetworkForm,
    PlanForm,
    PostForm,
    RegistrationForm,
    member_choices,
)
from .models import (
    CalendarFeed,
    Event,
    Meeting,
    Network,
    Post,
    Registration,
)
from .themes import AgeGroup, Theme

FORM_TEMPLATE = "core/form.html"

# Access helpers ---------------------------------------------------------------------


def _event(request: HttpRequest, pk: int) -> Event:
    return get_object_or_404(
        Event.objects.visible_to(request.user).select_related("municipality"), pk=pk
    )


def _network(request: HttpRequest, pk: int) -> Network:
    return get_object_or_404(
        Network.objects.visible_to(request.user).select_related("municipality", "organiser"),
        pk=pk,
    )


def _meeting(request: HttpRequest, pk: int) -> Meeting:
    return get_object_or_404(
        Meeting.objects.visible_to(request.user).select_related(
            "network__municipality", "network__organiser", "minutes_by"
        ),
        pk=pk,
    )


def _post(request: HttpRequest, pk: int) -> Post:
    return get_object_or_404(
        Post.objects.visible_to(request.user).select_related("institution__municipality", "author"),
        pk=pk,
    )


def _crumbs(municipality: Municipality | None, *trail: tuple[str, str]):
    crumbs = [(_("Home"), reverse("home"))]
    if municipality is not None:
        crumbs.append(
            (_("Competence development"), reverse("competence:overview", args=[municipality.pk]))
        )
    return [*crumbs, *trail]


def _form_page(request, form, *, title, crumbs, intro="", submit_label="", cancel_url=""):
    return render(
        request,
        FORM_TEMPLATE,
        {
            "form": form,
            "title": title,
            "intro": intro,
            "submit_label": submit_label,
            "cancel_url": cancel_url,
            "breadcrumbs": crumbs,
        },
        status=400 if form.is_bound and form.errors else 200,
    )


def _flash_error(request, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


# The municipality's competence pages ------------------------------------------------


@login_required
def overview(request: HttpRequest, municipality_id: int) -> HttpResponse:
    municipality = municipality_for(request, municipality_id, check=permissions.can_view_competence)
    user = request.user
    now = timezone.now()
    return render(
        request,
        "competence/overview.html",
        {
            "municipality": municipality,
            "events": municipality.events.filter(ends_at__gte=now).order_by("starts_at")[:3],
            "networks": selectors.networks_of(municipality)[:5],
            "posts": selectors.posts_for(municipality=municipality, user=user)[:3],
            "plan_institutions": permissions.staff_institutions(user, municipality),
            "can": {
                "events": permissions.can_manage_events(user, municipality),
                "networks": permissions.can_create_network(user, municipality),
                "share": permissions.can_share_experience(user, municipality),
                "plans": permissions.is_municipal(user, municipality),
            },
            "year": timezone.localdate().year,
            "breadcrumbs": _crumbs(None, (_("Competence development"), "")),
        },
    )


@login_required
def ambassadors(request: HttpRequest, municipality_id: int) -> HttpResponse:
    municipality = municipality_for(request, municipality_id, check=permissions.can_view_competence)
    rows = selectors.ambassador_directory(municipality)
    return render(
        request,
        "competence/ambassadors.html",
        {
            "municipality": municipality,
            "rows": rows,
            "named": sum(1 for r in rows if r.ambassadors),
            "breadcrumbs": _crumbs(municipality, (_("Digital ambassadors"), "")),
        },
    )


@login_required
def plans(request: HttpRequest, municipality_id: int) -> HttpResponse:
    municipality = municipality_for(request, municipality_id, check=permissions.can_view_competence)
    require(permissions.can_view_plans_overview(request.user, municipality))
    this_year = timezone.localdate().year
    try:
        year = int(request.GET.get("aar", this_year))
    except ValueError:
        year = this_year
    if not 2000 <= year <= 2100:
        year = this_year
    rows = selectors.municipal_plans(municipality, year)
    return render(
        request,
        "competence/plans.html",
        {
            "municipality": municipality,
            "rows": rows,
            "year": year,
            "years": range(this_year + 1, this_year - 4, -1),
            "breadcrumbs": _crumbs(municipality, (_("Competence plans"), "")),
        },
    )


# Competence plans -------------------------------------------------------------------


@login_required
def plan_current(request: HttpRequest, pk: int) -> HttpResponse:
    institution = institution_for(request, pk, check=permissions.can_view_plan)
    return redirect("competence:plan", institution.pk, timezone.localdate().year)


def _check_year(year: int) -> None:
    if not 2000 <= year <= 2100:
        raise Http404


def _plan_crumbs(institution: Institution, year: int, *trail):
    return [
        (_("Home"), reverse("home")),
        (institution.name, reverse("institutions:detail", args=[institution.pk])),
        (
            _("Competence plan %(year)d") % {"year": year},
            reverse("competence:plan", args=[institution.pk, year]) if trail else "",
        ),
        *trail,
    ]


@login_required
def plan(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    institution = institution_for(request, pk, check=permissions.can_view_plan)
    _check_year(year)
    plan, totals = selectors.plan_with_totals(institution, year)
    return render(
        request,
        "competence/plan.html",
        {
            "institution": institution,
            "year": year,
            "plan": plan,
            "totals": totals,
            "activities": selectors.plan_activities(plan),
            "can": {
                "edit": permissions.can_edit_plan(request.user, institution),
                "activities": permissions.can_manage_activities(request.user, institution),
            },
            "breadcrumbs": _plan_crumbs(institution, year),
        },
    )


@login_required
def plan_edit(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    institution = institution_for(request, pk, check=permissions.can_view_plan)
    _check_year(year)
    require(permissions.can_edit_plan(request.user, institution))
    current = institution.competence_plans.filter(year=year).first()
    form = PlanForm(request.POST or None, initial=PlanForm.initial_for(current))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if apply(
            form,
            lambda: services.plan_save(
                actor=request.user,
                institution=institution,
                year=year,
                budget_ore=data["budget_ore"],
                hours=data["hours"],
                notes=data["notes"],
            ),
        ):
            messages.success(request, _("The competence plan was saved."))
            return redirect("competence:plan", institution.pk, year)
    return _form_page(
        request,
        form,
        title=_("Money and hours for %(year)d") % {"year": year},
        intro=_("What %(name)s sets aside for competence development in digitalisation.")
        % {"name": institution.name},
        cancel_url=reverse("competence:plan", args=[institution.pk, year]),
        crumbs=_plan_crumbs(institution, year, (_("Money and hours"), "")),
    )


def _activity_values(data: dict) -> dict:
    return {
        name: data[name]
        for name in (
            "kind",
            "title",
            "starts_on",
            "ends_on",
            "planned_cost_ore",
            "spent_cost_ore",
            "planned_hours",
            "spent_hours",
            "participants",
        )
    }


@login_required
def activity_create(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    institution = institution_for(request, pk, check=permissions.can_view_plan)
    _check_year(year)
    require(permissions.can_manage_activities(request.user, institution))
    form = ActivityForm(request.POST or None, institution=institution)
    if request.method == "POST" and form.is_valid():
        values = _activity_values(form.cleaned_data)

        def create():
            plan = services.plan_for_year(institution=institution, year=year)
            services.activity_create(actor=request.user, plan=plan, **values)

        if apply(form, create):
            messages.success(request, _("The activity was added."))
            return redirect("competence:plan", institution.pk, year)
    return _form_page(
        request,
        form,
        title=_("New activity"),
        cancel_url=reverse("competence:plan", args=[institution.pk, year]),
        crumbs=_plan_crumbs(institution, year, (_("New activity"), "")),
    )


def _activity(institution: Institution, year: int, activity_id: int):
    from .models import PlanActivity

    return get_object_or_404(
        PlanActivity.objects.filter(plan__institution=institution, plan__year=year),
        pk=activity_id,
    )


@login_required
def activity_edit(request: HttpRequest, pk: int, year: int, activity_id: int) -> HttpResponse:
    institution = institution_for(request, pk, check=permissions.can_view_plan)
    require(permissions.can_manage_activities(request.user, institution))
    activity = _activity(institution, year, activity_id)
    form = ActivityForm(
        request.POST or None,
        institution=institution,
        initial=ActivityForm.initial_for(activity),
    )
    if request.method == "POST" and form.is_valid():
        values = _activity_values(form.cleaned_data)
        if apply(
            form,
            lambda: services.activity_update(actor=request.user, activity=activity, **values),
        ):
            messages.success(request, _("The activity was saved."))
            return redirect("competence:plan", institution.pk, year)
    return _form_page(
        request,
        form,
        title=activity.title,
        cancel_url=reverse("competence:plan", args=[institution.pk, year]),
        crumbs=_plan_crumbs(institution, year, (activity.title, "")),
    )


@login_required
@require_POST
def activity_delete(request: HttpRequest, pk: int, year: int, activity_id: int) -> HttpResponse:
    institution = institution_for(request, pk, check=permissions.can_view_plan)
    require(permissions.can_manage_activities(request.user, institution))
    activity = _activity(institution, year, activity_id)
    services.activity_delete(actor=request.user, activity=activity)
    messages.success(request, _("The activity was deleted."))
    return redirect("competence:plan", institution.pk, year)


# Events -----------------------------------------------------------------------------


@login_required
def events(request: HttpRequest, municipality_id: int) -> HttpResponse:
    municipality = municipality_for(request, municipality_id, check=permissions.can_view_competence)
    now = timezone.now()
    listed = selectors.events_for(municipality)
    return render(
        request,
        "competence/events.html",
        {
            "municipality": municipality,
            "upcoming": sorted((e for e in listed if e.ends_at >= now), key=lambda e: e.starts_at),
            "past": [e for e in listed if e.ends_at < now],
            "can_manage": permissions.can_manage_events(request.user, municipality),
            "breadcrumbs": _crumbs(municipality, (_("Events"), "")),
        },
    )


@login_required
def event_create(request: HttpRequest, municipality_id: int) -> HttpResponse:
    municipality = municipality_for(request, municipality_id, check=permissions.can_view_competence)
    require(permissions.can_manage_events(request.user, municipality))
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = apply(
            form,
            lambda: services.event_create(
                actor=request.user, municipality=municipality, **form.cleaned_data
            ),
        )
        if done:
            messages.success(request, _("The event was created."))
            return redirect("competence:event", done.value.pk)
    return _form_page(
        request,
        form,
        title=_("New event"),
        cancel_url=reverse("competence:events", args=[municipality.pk]),
        crumbs=_crumbs(
            municipality,
            (_("Events"), reverse("competence:events", args=[municipality.pk])),
            (_("New event"), ""),
        ),
    )


def _event_crumbs(event: Event, *trail):
    municipality = event.municipality
    return _crumbs(
        municipality,
        (_("Events"), reverse("competence:events", args=[municipality.pk])),
        (event.title, reverse("competence:event", args=[event.pk]) if trail else ""),
        *trail,
    )


def _registration_form(request, event: Event, data=None):
    """The form for whom the user may register, or None when there is nobody."""
    allowed = permissions.registrable_people(request.user, event)
    if not allowed:
        return None
    taken = set(event.registrations.active().values_list("user_id", flat=True))
    people = []
    for institution, may_register_others in allowed.items():
        candidates = member_choices(institution) if may_register_others else [request.user]
        people.append((institution, [u for u in candidates if u.pk not in taken]))
    form = RegistrationForm(data, people=people)
    return form if form.fields["person"].choices else None


@login_required
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(request, pk)
    user = request.user
    mine = permissions.staff_institutions(user, event.municipality_id)
    led = permissions.led_institutions(user, event.municipality_id)
    led_ids = {i.pk for i in led}
    # A leader sees her daycare's registrations; everyone sees their own.
    own = [
        r
        for r in selectors.registrations_of(event, mine)
        if r.institution_id in led_ids or r.user_id == user.pk
    ]
    rows = []
    for institution in led:
        regs = [r for r in own if r.institution_id == institution.pk]
        leaders = [r for r in regs if r.as_leader and r.status == Registration.Status.CONFIRMED]
        employees = [
            r for r in regs if not r.as_leader and r.status == Registration.Status.CONFIRMED
        ]
        after = selectors.event_is_over(event)
        rows.append((institution, selectors.completeness_of(leaders, employees, after=after)))
    closed = services.registration_open_error(event)
    return render(
        request,
        "competence/event.html",
        {
            "event": event,
            "registrations": [(r, permissions.can_cancel_registration(user, r)) for r in own],
            "completeness": rows,
            "form": None if closed else _registration_form(request, event),
            "closed": closed,
            "can": {
                "manage": permissions.can_manage_events(user, event.municipality),
                "registrations": permissions.can_view_registrations(user, event),
                "check_in": permissions.can_check_in(user, event),
            },
            "breadcrumbs": _event_crumbs(event),
        },
    )


@login_required
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(request, pk)
    require(permissions.can_manage_events(request.user, event.municipality))
    form = EventForm(request.POST or None, initial=EventForm.initial_for(event))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if apply(form, lambda: services.event_update(actor=request.user, event=event, **data)):
            messages.success(request, _("The event was saved."))
            return redirect("competence:event", event.pk)
    return _form_page(
        request,
        form,
        title=_("Edit %(name)s") % {"name": event.title},
        cancel_url=reverse("competence:event", args=[event.pk]),
        crumbs=_event_crumbs(event, (_("Edit"), "")),
    )


@login_required
@require_POST
def event_register(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(request, pk)
    require(permissions.can_register(request.user, event))
    form = _registration_form(request, event, request.POST)
    if form is None or not form.is_valid():
        messages.error(request, _("Choose a person who can be registered."))
        return redirect("competence:event", event.pk)
    data = form.cleaned_data
    try:
        registration = services.registration_create(
            actor=request.user, event=event, institution=data["institution"], user=data["user"]
        )
    except ValidationError as error:
        _flash_error(request, error)
    else:
        if registration.status == Registration.Status.CONFIRMED:
            messages.success(
                request, _("%(name)s is registered.") % {"name": registration.user.name}
            )
        else:
            messages.warning(
                request,
                _(
                    "The event is full. %(name)s is on the waiting list and moves up if a seat "
                    "becomes free."
                )
                % {"name": registration.user.name},
            )
    return redirect("competence:event", event.pk)


@login_required
@require_POST
def registration_cancel(request: HttpRequest, pk: int, registration_id: int) -> HttpResponse:
    event = _event(request, pk)
    registration = get_object_or_404(
        event.registrations.active().select_related("user", "event", "institution"),
        pk=registration_id,
    )
    require(permissions.can_cancel_registration(request.user, registration))
    try:
        services.registration_cancel(actor=request.user, registration=registration)
    except ValidationError as error:
        _flash_error(request, error)
    else:
        messages.success(
            request,
            _("The registration of %(name)s was cancelled.") % {"name": registration.user.name},
        )
    back = request.POST.get("next")
    if back == "registrations" and permissions.can_view_registrations(request.user, event):
        return redirect("competence:event_registrations", event.pk)
    return redirect("competence:event", event.pk)


@login_required
def event_registrations(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(request, pk)
    require(permissions.can_view_registrations(request.user, event))
    rows = selectors.event_completeness(event)
    return render(
        request,
        "competence/registrations.html",
        {
            "event": event,
            "rows": rows,
            "complete": sum(1 for r in rows if r.completeness.status == "met"),
            "waiting": selectors.waiting_list(event),
            "after": selectors.event_is_over(event),
            "can_manage": permissions.can_manage_events(request.user, event.municipality),
            "breadcrumbs": _event_crumbs(event, (_("Registrations"), "")),
        },
    )


@login_required
@require_POST
def event_invite(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(request, pk)
    require(permissions.can_manage_events(request.user, event.municipality))
    try:
        services.event_invitations_send(actor=request.user, event=event)
    except ValidationError as error:
        _flash_error(request, error)
    else:
        messages.success(
            request,
            _(
                "The invitation is on its way to the leaders and digital ambassadors of every "
                "daycare."
            ),
        )
    return redirect("competence:event", event.pk)


@login_required
def event_checkin(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(request, pk)
    require(permissions.can_check_in(request.user, event))
    people = list(selectors.check_in_list(event))
    query = request.GET.get("q", "").strip()
    shown = [
        r
        for r in people
        if not query
        or query.lower() in r.user.name.lower()
        or query.lower() in r.institution.name.lower()
    ]
    return render(
        request,
        "competence/checkin.html",
        {
            "event": event,
            "people": shown,
            "query": query,
            "arrived": sum(1 for r in people if r.checked_in_at),
            "total": len(people),
            "is_open": timezone.localdate() >= timezone.localtime(event.starts_at).date(),
            "breadcrumbs": _event_crumbs(event, (_("Check-in"), "")),
        },
    )


@login_required
@require_POST
def event_checkin_toggle(request: HttpRequest, pk: int, registration_id: int) -> HttpResponse:
    event = _event(request, pk)
    require(permissions.can_check_in(request.user, event))
    registration = get_object_or_404(
        event.registrations.select_related("user", "institution"), pk=registration_id
    )
    arrived = request.POST.get("arrived") == "1"
    try:
        registration = services.registration_check_in(
            actor=request.user, registration=registration, arrived=arrived
        )
    except ValidationError as error:
        if request.htmx:
            return HttpResponse(" ".join(error.messages), status=409)
        _flash_error(request, error)
        return redirect("competence:event_checkin", event.pk)
    if request.htmx:
        arrived_count = event.registrations.filter(
            status=Registration.Status.CONFIRMED, checked_in_at__isnull=False
        ).count()
        return render(
            request,
            "competence/partials/checkin_row.html",
            {
                "event": event,
                "registration": registration,
                "arrived": arrived_count,
                "total": event.confirmed_count,
                "oob": True,
            },
        )
    return redirect("competence:event_checkin", event.pk)


@login_required
@require_GET
def event_ics(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(request, pk)
    response = HttpResponse(
        ical.calendar([ical.event_entry(event)]), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="arrangement-{event.pk}.ics"'
    return response


# Networks ---------------------------------------------------------------------------


@login_required
def networks(request: HttpRequest, municipality_id: int) -> HttpResponse:
    municipality = municipality_for(request, municipality_id, check=permissions.can_view_competence)
    return render(
        request,
        "competence/networks.html",
        {
            "municipality": municipality,
            "networks": selectors.networks_of(municipality),
            "can_create": permissions.can_create_network(request.user, municipality),
            "breadcrumbs": _crumbs(municipality, (_("Networks"), "")),
        },
    )


def _network_values(data: dict) -> dict:
    return {
        name: data[name]
        for name in (
            "name",
            "purpose",
            "cadence",
            "audience",
            "organiser",
            "usual_place",
            "members",
        )
    }


@login_required
def network_create(request: HttpRequest, municipality_id: int) -> HttpResponse:
    municipality = municipality_for(request, municipality_id, check=permissions.can_view_competence)
    require(permissions.can_create_network(request.user, municipality))
    form = NetworkForm(
        request.POST or None,
        municipality=municipality,
        initial={"organiser": request.user, "cadence": 3},
    )
    if request.method == "POST" and form.is_valid():
        done = apply(
            form,
            lambda: services.network_create(
                actor=request.user,
                municipality=municipality,
                **_network_values(form.cleaned_data),
            ),
        )
        if done:
            messages.success(request, _("The network was created."))
            return redirect("competence:network", done.value.pk)
    return _form_page(
        request,
        form,
        title=_("New network"),
        cancel_url=reverse("competence:networks", args=[municipality.pk]),
        crumbs=_crumbs(
            municipality,
            (_("Networks"), reverse("competence:networks", args=[municipality.pk])),
            (_("New network"), ""),
        ),
    )


def _network_crumbs(network: Network, *trail):
    municipality = network.municipality
    return _crumbs(
        municipality,
        (_("Networks"), reverse("competence:networks", args=[municipality.pk])),
        (network.name, reverse("competence:network", args=[network.pk]) if trail else ""),
        *trail,
    )


@login_required
def network_detail(request: HttpRequest, pk: int) -> HttpResponse:
    network = _network(request, pk)
    members = network.members.order_by("name")
    people = selectors.network_people_by_daycare(network)
    return render(
        request,
        "competence/network.html",
        {
            "network": network,
            "members": [(m, people.get(m.pk, [])) for m in members],
            "meetings": selectors.network_meetings(network),
            "now": timezone.now(),
            "can_manage": permissions.can_manage_network(request.user, network),
            "breadcrumbs": _network_crumbs(network),
        },
    )


@login_required
def network_edit(request: HttpRequest, pk: int) -> HttpResponse:
    network = _network(request, pk)
    require(permissions.can_manage_network(request.user, network))
    form = NetworkForm(
        request.POST or None,
        municipality=network.municipality,
        initial=NetworkForm.initial_for(network),
    )
    if request.method == "POST" and form.is_valid():
        values = _network_values(form.cleaned_data)
        if apply(
            form, lambda: services.network_update(actor=request.user, network=network, **values)
        ):
            messages.success(request, _("The network was saved."))
            return redirect("competence:network", network.pk)
    return _form_page(
        request,
        form,
        title=_("Edit %(name)s") % {"name": network.name},
        cancel_url=reverse("competence:network", args=[network.pk]),
        crumbs=_network_crumbs(network, (_("Edit"), "")),
    )


@login_required
def network_generate(request: HttpRequest, pk: int) -> HttpResponse:
    network = _network(request, pk)
    require(permissions.can_manage_network(request.user, network))
    next_year = timezone.localdate().year + (1 if timezone.localdate().month >= 10 else 0)
    form = GenerateMeetingsForm(request.POST or None, initial={"year": next_year})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = apply(
            form,
            lambda: services.meetings_generate(
                actor=request.user,
                network=network,
                year=data["year"],
                weekday=data["weekday"],
                start=data["start"],
                duration=data["duration"],
            ),
        )
        if done:
            messages.success(
                request,
                _("%(count)d meetings were planned for %(year)d. Adjust the dates as needed.")
                % {"count": len(done.value), "year": data["year"]},
            )
            return redirect("competence:network", network.pk)
    return _form_page(
        request,
        form,
        title=_("Plan a year's meetings"),
        intro=_(
            "The network meets %(count)d times a year. The meetings are spread evenly over "
            "the year (none in July); you can move each one afterwards."
        )
        % {"count": network.cadence},
        submit_label=_("Plan the meetings"),
        cancel_url=reverse("competence:network", args=[network.pk]),
        crumbs=_network_crumbs(network, (_("Plan a year's meetings"), "")),
    )


def _meeting_crumbs(meeting: Meeting, *trail):
    return _network_crumbs(
        meeting.network,
        (
            _("Meeting %(date)s")
            % {"date": timezone.localtime(meeting.starts_at).strftime("%d.%m.%Y")},
            reverse("competence:meeting", args=[meeting.pk]) if trail else "",
        ),
        *trail,
    )


@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    present = set(meeting.attendances.values_list("institution_id", flat=True))
    members = list(meeting.network.members.order_by("name"))
    return render(
        request,
        "competence/meeting.html",
        {
            "meeting": meeting,
            "network": meeting.network,
            "attendance": [(m, m.pk in present) for m in members],
            "present_count": len(present),
            "files": meeting.files.all(),
            "has_started": timezone.now() >= meeting.starts_at,
            "can_manage": permissions.can_manage_meeting(request.user, meeting),
            "breadcrumbs": _meeting_crumbs(meeting),
        },
    )


@login_required
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    require(permissions.can_manage_meeting(request.user, meeting))
    form = MeetingForm(request.POST or None, initial=MeetingForm.initial_for(meeting))
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in ("starts_at", "ends_at", "place", "agenda")}
        if apply(
            form, lambda: services.meeting_update(actor=request.user, meeting=meeting, **data)
        ):
            messages.success(request, _("The meeting was saved."))
            return redirect("competence:meeting", meeting.pk)
    return _form_page(
        request,
        form,
        title=_("Date, place and agenda"),
        cancel_url=reverse("competence:meeting", args=[meeting.pk]),
        crumbs=_meeting_crumbs(meeting, (_("Edit"), "")),
    )


@login_required
def meeting_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    require(permissions.can_manage_meeting(request.user, meeting))
    form = MinutesForm(
        request.POST or None, request.FILES or None, initial={"minutes": meeting.minutes}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if apply(
            form,
            lambda: services.meeting_minutes_save(
                actor=request.user, meeting=meeting, minutes=data["minutes"], files=data["files"]
            ),
        ):
            messages.success(request, _("The minutes were saved."))
            return redirect("competence:meeting", meeting.pk)
    return _form_page(
        request,
        form,
        title=_("Minutes"),
        cancel_url=reverse("competence:meeting", args=[meeting.pk]),
        crumbs=_meeting_crumbs(meeting, (_("Minutes"), "")),
    )


@login_required
def meeting_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    require(permissions.can_manage_meeting(request.user, meeting))
    present = list(meeting.attendances.values_list("institution_id", flat=True))
    form = AttendanceForm(request.POST or None, meeting=meeting, initial={"present": present})
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data["present"]
        if apply(
            form,
            lambda: services.meeting_attendance_save(
                actor=request.user, meeting=meeting, institutions=chosen
            ),
        ):
            messages.success(request, _("The attendance was saved."))
            return redirect("competence:meeting", meeting.pk)
    return _form_page(
        request,
        form,
        title=_("Attendance"),
        intro=_("Tick the daycares that took part in the meeting."),
        cancel_url=reverse("competence:meeting", args=[meeting.pk]),
        crumbs=_meeting_crumbs(meeting, (_("Attendance"), "")),
    )


def _download(stored) -> FileResponse:
    try:
        handle = stored.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    inline = stored.content_type.startswith("image/") or stored.content_type == "application/pdf"
    response = FileResponse(
        handle, as_attachment=not inline, filename=stored.name, content_type=stored.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
def meeting_file(request: HttpRequest, pk: int, file_id: int) -> FileResponse:
    meeting = _meeting(request, pk)
    stored = get_object_or_404(meeting.files, pk=file_id)
    return _download(stored)


# The calendar feed ------------------------------------------------------------------


@login_required
def calendar_page(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        services.calendar_feed_create(user=request.user)
        messages.success(
            request,
            _("Your calendar address is ready. Any address you made before no longer works."),
        )
        return redirect("competence:calendar")
    feed = CalendarFeed.objects.filter(user=request.user, revoked_at=None).first()
    url = (
        request.build_absolute_uri(reverse("competence:calendar_feed", args=[feed.token]))
        if feed
        else ""
    )
    return render(
        request,
        "competence/calendar.html",
        {
            "feed": feed,
            "url": url,
            "webcal_url": url.replace("https://", "webcal://").replace("http://", "webcal://"),
            "events": selectors.calendar_events(request.user).filter(ends_at__gte=timezone.now())[
                :10
            ],
            "meetings": selectors.calendar_meetings(request.user, since=timezone.now())[:10],
            "breadcrumbs": [(_("Home"), reverse("home")), (_("Your calendar"), "")],
        },
    )


@login_required
@require_POST
def calendar_revoke(request: HttpRequest) -> HttpResponse:
    if services.calendar_feed_revoke(user=request.user):
        messages.success(request, _("The calendar address was revoked. It no longer works."))
    return redirect("competence:calendar")


@never_cache
@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """Open to whoever holds the address: the token is the credential. Only the owner's
    own events and meetings; a revoked address is not found."""
    feed = get_object_or_404(
        CalendarFeed.objects.select_related("user"),
        token=token,
        revoked_at=None,
        user__is_active=True,
    )
    user = feed.user
    entries = [ical.event_entry(e) for e in selectors.calendar_events(user)]
    entries += [ical.meeting_entry(m) for m in selectors.calendar_meetings(user)]
    CalendarFeed.objects.filter(pk=feed.pk).update(last_read_at=timezone.now())
    response = HttpResponse(
        ical.calendar(entries, name="Dagtilbudsportalen"),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = 'inline; filename="dagtilbudsportalen.ics"'
    response["X-Robots-Tag"] = "noindex"
    return response


# Knowledge sharing ------------------------------------------------------------------

PAGE_SIZE = 20


def _choice(value: str, choices) -> str:
    return value if value in {v for v, _label in choices} else ""


@login_required
def posts(request: HttpRequest, municipality_id: int) -> HttpResponse:
    municipality = municipality_for(request, municipality_id, check=permissions.can_view_competence)
    daycares = selectors.daycares_of(municipality)
    text = request.GET.get("q", "").strip()[:200]
    theme = _choice(request.GET.get("tema", ""), Theme.choices)
    age_group = _choice(request.GET.get("alder", ""), AgeGroup.choices)
    try:
        institution_id = int(request.GET.get("dagtilbud") or 0)
    except ValueError:
        institution_id = 0
    if institution_id not in {i.pk for i in daycares}:
        institution_id = 0
    found = selectors.posts_for(
        municipality=municipality,
        user=request.user,
        text=text,
        theme=theme,
        age_group=age_group,
        institution_id=institution_id,
    )
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("side"))
    if text:
        for post in page.object_list:
            post.title_highlight = selectors.highlighted(post.title_headline)
            post.body_highlight = selectors.highlighted(post.body_headline)
    query = request.GET.copy()
    query.pop("side", None)
    return render(
        request,
        "competence/posts.html",
        {
            "municipality": municipality,
            "page": page,
            "searching": bool(text),
            "text": text,
            "selected": {"theme": theme, "age_group": age_group, "institution": institution_id},
            "themes": Theme.choices,
            "age_groups": AgeGroup.choices,
            "daycares": daycares,
            "query_string": query.urlencode(),
            "can_share": permissions.can_share_experience(request.user, municipality),
            "breadcrumbs": _crumbs(municipality, (_("Knowledge sharing"), "")),
        },
    )


def _post_values(data: dict) -> dict:
    return {name: data[name] for name in ("title", "body", "themes", "device", "age_group")}


@login_required
def post_create(request: HttpRequest, municipality_id: int) -> HttpResponse:
    municipality = municipality_for(request, municipality_id, check=permissions.can_view_competence)
    require(permissions.can_share_experience(request.user, municipality))
    institutions = permissions.staff_institutions(request.user, municipality)
    form = PostForm(request.POST or None, request.FILES or None, institutions=institutions)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = apply(
            form,
            lambda: services.post_create(
                actor=request.user,
                institution=data["institution"],
                files=data["files"],
                **_post_values(data),
            ),
        )
        if done:
            messages.success(request, _("Your experience was shared with your colleagues."))
            return redirect("competence:post", done.value.pk)
    return _form_page(
        request,
        form,
        title=_("Share an experience"),
        intro=_(
            "Tell colleagues in the municipality's daycares what you tried with digital "
            "media: what you did, with which children, and what you learned."
        ),
        submit_label=_("Share"),
        cancel_url=reverse("competence:posts", args=[municipality.pk]),
        crumbs=_crumbs(
            municipality,
            (_("Knowledge sharing"), reverse("competence:posts", args=[municipality.pk])),
            (_("Share an experience"), ""),
        ),
    )


def _post_crumbs(post: Post, *trail):
    municipality = post.institution.municipality
    return _crumbs(
        municipality,
        (_("Knowledge sharing"), reverse("competence:posts", args=[municipality.pk])),
        (post.title, reverse("competence:post", args=[post.pk]) if trail else ""),
        *trail,
    )


def _useful_context(request, post: Post) -> dict:
    return {
        "post": post,
        "useful_count": post.useful_marks.count(),
        "marked": post.useful_marks.filter(user=request.user).exists(),
        "can_mark": permissions.can_mark_useful(request.user, post),
    }


@login_required
def post_detail(request: HttpRequest, pk: int) -> HttpResponse:
    post = _post(request, pk)
    user = request.user
    comments = post.comments.select_related("author").order_by("created_at", "pk")
    return render(
        request,
        "competence/post.html",
        {
            **_useful_context(request, post),
            "files": post.files.all(),
            "comments": [(c, permissions.can_delete_comment(user, c)) for c in comments],
            "comment_form": CommentForm(),
            "can": {
                "edit": permissions.can_edit_post(user, post),
                "delete": permissions.can_delete_post(user, post),
            },
            "breadcrumbs": _post_crumbs(post),
        },
    )


@login_required
def post_edit(request: HttpRequest, pk: int) -> HttpResponse:
    post = _post(request, pk)
    require(permissions.can_edit_post(request.user, post))
    form = PostForm(
        request.POST or None,
        request.FILES or None,
        institutions=[post.institution],
        post=post,
        initial=PostForm.initial_for(post),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if apply(
            form,
            lambda: services.post_update(
                actor=request.user,
                post=post,
                files=data["files"],
                remove_files=data.get("remove_files", []),
                **_post_values(data),
            ),
        ):
            messages.success(request, _("The experience was saved."))
            return redirect("competence:post", post.pk)
    return _form_page(
        request,
        form,
        title=_("Edit %(name)s") % {"name": post.title},
        cancel_url=reverse("competence:post", args=[post.pk]),
        crumbs=_post_crumbs(post, (_("Edit"), "")),
    )


@login_required
@require_POST
def post_delete(request: HttpRequest, pk: int) -> HttpResponse:
    post = _post(request, pk)
    require(permissions.can_delete_post(request.user, post))
    municipality_id = post.institution.municipality_id
    services.post_delete(actor=request.user, post=post)
    messages.success(request, _("The experience was deleted."))
    return redirect("competence:posts", municipality_id)


@login_required
@require_POST
def post_useful(request: HttpRequest, pk: int) -> HttpResponse:
    post = _post(request, pk)
    require(permissions.can_mark_useful(request.user, post))
    services.useful_toggle(actor=request.user, post=post)
    if request.htmx:
        return render(request, "competence/partials/useful.html", _useful_context(request, post))
    return redirect("competence:post", post.pk)


@login_required
@require_POST
def comment_create(request: HttpRequest, pk: int) -> HttpResponse:
    post = _post(request, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            comment = services.comment_create(
                actor=request.user, post=post, body=form.cleaned_data["body"]
            )
        except ValidationError as error:
            _flash_error(request, error)
        else:
            messages.success(request, _("Your comment was added."))
            return redirect(reverse("competence:post", args=[post.pk]) + f"#kommentar-{comment.pk}")
    else:
        messages.error(request, _("Write a comment of at most 5000 characters."))
    return redirect("competence:post", post.pk)


@login_required
@require_POST
def comment_delete(request: HttpRequest, pk: int, comment_id: int) -> HttpResponse:
    post = _post(request, pk)
    comment = get_object_or_404(post.comments.select_related("post__institution"), pk=comment_id)
    require(permissions.can_delete_comment(request.user, comment))
    services.comment_delete(actor=request.user, comment=comment)
    messages.success(request, _("The comment was deleted."))
    return redirect("competence:post", post.pk)


@login_required
def post_file(request: HttpRequest, pk: int, file_id: int) -> FileResponse:
    post = _post(request, pk)
    stored = get_object_or_404(post.files, pk=file_id)
    return _download(stored)
