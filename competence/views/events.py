"""Courses and events: creating them, registration and waiting list, invitations,
check-in and the event's calendar file."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.permissions import require
from core.views import apply
from institutions.access import municipality_for

from .. import ical, permissions, selectors, services
from ..forms import EventForm, RegistrationForm, member_choices
from ..models import Event, Registration
from .common import _crumbs, _flash_error, _form_page


def _event(request: HttpRequest, pk: int) -> Event:
    return get_object_or_404(
        Event.objects.visible_to(request.user).select_related("municipality"), pk=pk
    )


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


def _seats_note(institution, seats: set[tuple[int, bool]]) -> str:
    leader, employee = (institution.pk, True) in seats, (institution.pk, False) in seats
    if leader and employee:
        text = _(
            "%(place)s has registered its leader and one employee, the seats the kick-off "
            "conference has for each daycare. To send someone else, cancel a registration first."
        )
    elif employee:
        text = _(
            "%(place)s has registered one employee for the kick-off conference, which is for "
            "the leader and one employee from each daycare."
        )
    else:
        text = _(
            "%(place)s has registered its leader for the kick-off conference, which is for "
            "the leader and one employee from each daycare."
        )
    return text % {"place": institution.name}


def _registration_form(request, event: Event, data=None):
    """The form for whom the user may register, or None when there is nobody, and the
    daycares whose kick-off seats (the leader and one employee) left someone out, each
    with a note saying so.

    A posted form accepts everyone the user may register, so that a seat taken a moment
    ago is refused by the service in words; the page offers only the free seats."""
    allowed = permissions.registrable_people(request.user, event)
    if not allowed:
        return None, []
    taken = set(event.registrations.active().values_list("user_id", flat=True))
    seats = selectors.kickoff_seats_taken(event, allowed)
    leaders = selectors.leaders_among(allowed) if seats else set()
    people, full = [], []
    for institution, may_register_others in allowed.items():
        candidates = member_choices(institution) if may_register_others else [request.user]
        unregistered = [u for u in candidates if u.pk not in taken]
        free = [
            u
            for u in unregistered
            if (institution.pk, (institution.pk, u.pk) in leaders) not in seats
        ]
        if len(free) < len(unregistered):
            full.append((institution, _seats_note(institution, seats)))
        people.append((institution, free if data is None else candidates))
    form = RegistrationForm(data, people=people)
    return (form if form.fields["person"].choices else None), full


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
    form, full = (None, []) if closed else _registration_form(request, event)
    return render(
        request,
        "competence/event.html",
        {
            "event": event,
            "registrations": [(r, permissions.can_cancel_registration(user, r)) for r in own],
            "completeness": rows,
            "form": form,
            "full": full,
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
    form, _full = _registration_form(request, event, request.POST)
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
