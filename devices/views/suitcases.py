"""Digital suitcases: list, detail, calendars, booking, waiting list, hand-over, return,
closure days."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.permissions import require
from core.views import act, apply, crumbs
from institutions.access import institution_for, municipality_for

from .. import permissions, selectors, services
from ..forms import BookingForm, ChecklistForm, ClosureForm, PhotoForm, SuitcaseForm, WaitingForm
from ..models import Booking, BookingCheck, SuitcasePhoto, WaitingListEntry
from .common import booking_for, month_of, neighbours, suitcase_crumbs, suitcase_for


@login_required
def suitcases(request: HttpRequest, municipality_id: int) -> HttpResponse:
    municipality = municipality_for(request, municipality_id)
    require(permissions.can_view_suitcases(request.user, municipality))
    today = timezone.localdate()
    return render(
        request,
        "devices/suitcases.html",
        {
            "municipality": municipality,
            "suitcases": list(selectors.suitcases_of(municipality, today)),
            "can_manage": permissions.can_manage_municipality(request.user, municipality),
            "my_daycares": permissions.device_institutions(request.user, municipality.pk),
            "breadcrumbs": crumbs((_("Digital suitcases"), "")),
        },
    )


@login_required
def suitcase_create(request: HttpRequest, municipality_id: int) -> HttpResponse:
    municipality = municipality_for(request, municipality_id)
    require(permissions.can_manage_municipality(request.user, municipality))
    form = SuitcaseForm(request.POST or None, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        done = apply(
            form,
            lambda: services.suitcase_create(
                actor=request.user, municipality=municipality, **form.service_data()
            ),
        )
        if done:
            messages.success(request, _("The suitcase was created."))
            return redirect("devices:suitcase", done.value.pk)
    return render(
        request,
        "devices/form.html",
        {
            "form": form,
            "title": _("New digital suitcase"),
            "cancel_url": reverse("devices:suitcases", args=[municipality.pk]),
            "breadcrumbs": suitcase_crumbs(municipality.pk, (_("New digital suitcase"), "")),
        },
    )


@login_required
def suitcase_detail(request: HttpRequest, pk: int) -> HttpResponse:
    suitcase = suitcase_for(request, pk)
    today = timezone.localdate()
    can_manage = permissions.can_manage_suitcase(request.user, suitcase)
    return render(
        request,
        "devices/suitcase.html",
        {
            "suitcase": suitcase,
            **selectors.suitcase_detail(suitcase, today),
            "can_manage": can_manage,
            "can_book": permissions.can_book(request.user, suitcase),
            "photo_form": PhotoForm() if can_manage else None,
            "breadcrumbs": suitcase_crumbs(suitcase.municipality_id, (suitcase.name, "")),
        },
    )


@login_required
def suitcase_edit(request: HttpRequest, pk: int) -> HttpResponse:
    suitcase = suitcase_for(request, pk)
    require(permissions.can_manage_suitcase(request.user, suitcase))
    form = SuitcaseForm(request.POST or None, instance=suitcase, municipality=suitcase.municipality)
    if request.method == "POST" and form.is_valid():
        call = lambda: services.suitcase_update(  # noqa: E731
            actor=request.user, suitcase=suitcase, **form.service_data()
        )
        if apply(form, call):
            messages.success(request, _("The suitcase was saved."))
            return redirect("devices:suitcase", suitcase.pk)
    return render(
        request,
        "devices/form.html",
        {
            "form": form,
            "title": _("Change %(name)s") % {"name": suitcase.name},
            "cancel_url": reverse("devices:suitcase", args=[suitcase.pk]),
            "breadcrumbs": suitcase_crumbs(
                suitcase.municipality_id,
                (suitcase.name, reverse("devices:suitcase", args=[suitcase.pk])),
                (_("Change"), ""),
            ),
        },
    )


@login_required
@require_POST
def suitcase_photo_add(request: HttpRequest, pk: int) -> HttpResponse:
    suitcase = suitcase_for(request, pk)
    require(permissions.can_manage_suitcase(request.user, suitcase))
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        act(
            request,
            lambda: services.suitcase_photo_add(
                actor=request.user,
                suitcase=suitcase,
                upload=form.cleaned_data["image"],
                description=form.cleaned_data["description"],
            ),
            _("The photo was added."),
        )
    else:
        messages.error(request, " ".join(m for ms in form.errors.values() for m in ms))
    return redirect("devices:suitcase", suitcase.pk)


@login_required
def suitcase_photo(request: HttpRequest, pk: int, photo_id: int) -> FileResponse:
    suitcase = suitcase_for(request, pk)
    photo = get_object_or_404(SuitcasePhoto, pk=photo_id, suitcase=suitcase)
    try:
        handle = photo.image.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    return FileResponse(handle, content_type=photo.content_type)


@login_required
def suitcase_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    suitcase = suitcase_for(request, pk)
    month = month_of(request)
    start, end = selectors.month_bounds(month)
    bookings = list(
        suitcase.bookings.holding()
        .filter(starts_on__lte=end, ends_on__gte=start)
        .select_related("institution")
    )
    previous, following = neighbours(month)
    return render(
        request,
        "devices/calendar.html",
        {
            "title": _("Calendar: %(name)s") % {"name": suitcase.name},
            "suitcase": suitcase,
            "month": month,
            "weeks": selectors.month_grid(
                bookings,
                month,
                closed_days=selectors.closed_days(suitcase.municipality_id, start, end),
            ),
            "bookings": bookings,
            "show": "institution",
            "link_bookings": permissions.can_manage_suitcase(request.user, suitcase),
            "can_book": bool(permissions.can_book(request.user, suitcase)),
            "previous": previous,
            "following": following,
            "breadcrumbs": suitcase_crumbs(
                suitcase.municipality_id,
                (suitcase.name, reverse("devices:suitcase", args=[suitcase.pk])),
                (_("Calendar"), ""),
            ),
        },
    )


@login_required
def institution_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    """A daycare's bookings month by month, with its waiting-list entries and offers."""
    institution = institution_for(request, pk)
    require(permissions.can_view_devices(request.user, institution))
    month = month_of(request)
    start, end = selectors.month_bounds(month)
    bookings = list(
        institution.suitcase_bookings.holding()
        .filter(starts_on__lte=end, ends_on__gte=start)
        .select_related("suitcase")
    )
    previous, following = neighbours(month)
    today = timezone.localdate()
    return render(
        request,
        "devices/calendar.html",
        {
            "title": _("Suitcases: %(name)s") % {"name": institution.name},
            "institution": institution,
            "month": month,
            "weeks": selectors.month_grid(
                bookings,
                month,
                closed_days=selectors.closed_days(institution.municipality_id, start, end),
            ),
            "bookings": bookings,
            "show": "suitcase",
            "link_bookings": True,
            "previous": previous,
            "following": following,
            "coming": list(
                institution.suitcase_bookings.filter(
                    status__in=[Booking.Status.BOOKED, Booking.Status.HANDED_OUT],
                    ends_on__gte=today,
                )
                .select_related("suitcase")
                .order_by("starts_on")
            ),
            "waiting": list(
                institution.suitcase_waits.filter(status__in=WaitingListEntry.OPEN)
                .select_related("suitcase")
                .order_by("created_at")
            ),
            "can_manage": permissions.can_manage_devices(request.user, institution),
            "breadcrumbs": crumbs(
                (institution.name, reverse("institutions:detail", args=[institution.pk])),
                (_("Digital suitcases"), ""),
            ),
        },
    )


@login_required
def booking_create(request: HttpRequest, pk: int) -> HttpResponse:
    suitcase = suitcase_for(request, pk)
    require(permissions.can_book(request.user, suitcase))
    if permissions.can_manage_suitcase(request.user, suitcase):
        daycares = list(suitcase.municipality.institutions.daycares().order_by("name"))
    else:
        daycares = permissions.device_institutions(request.user, suitcase.municipality_id)
    form = BookingForm(request.POST or None, institutions=daycares)
    if request.method == "POST" and form.is_valid():
        done = apply(
            form,
            lambda: services.booking_create(
                actor=request.user, suitcase=suitcase, **form.cleaned_data
            ),
        )
        if done:
            messages.success(request, _("The suitcase is booked."))
            return redirect("devices:booking", done.value.pk)
    return render(
        request,
        "devices/form.html",
        {
            "form": form,
            "title": _("Book %(name)s") % {"name": suitcase.name},
            "intro": _(
                "Choose the hand-over day and the return day. Weekends and closure days "
                "cannot be used, and %(days)s days are kept free after each return to check "
                "the contents."
            )
            % {"days": suitcase.handover_days},
            "submit_label": _("Book"),
            "cancel_url": reverse("devices:suitcase", args=[suitcase.pk]),
            "side_url": reverse("devices:suitcase_calendar", args=[suitcase.pk]),
            "side_label": _("See the calendar"),
            "breadcrumbs": suitcase_crumbs(
                suitcase.municipality_id,
                (suitcase.name, reverse("devices:suitcase", args=[suitcase.pk])),
                (_("Book"), ""),
            ),
        },
    )


@login_required
def waiting_join(request: HttpRequest, pk: int) -> HttpResponse:
    suitcase = suitcase_for(request, pk)
    require(permissions.can_book(request.user, suitcase))
    if permissions.can_manage_suitcase(request.user, suitcase):
        daycares = list(suitcase.municipality.institutions.daycares().order_by("name"))
    else:
        daycares = permissions.device_institutions(request.user, suitcase.municipality_id)
    form = WaitingForm(request.POST or None, institutions=daycares)
    if request.method == "POST" and form.is_valid():
        call = lambda: services.waiting_join(  # noqa: E731
            actor=request.user, suitcase=suitcase, **form.cleaned_data
        )
        if apply(form, call):
            messages.success(
                request, _("You are on the waiting list. You will be told when a slot is free.")
            )
            return redirect("devices:suitcase", suitcase.pk)
    return render(
        request,
        "devices/form.html",
        {
            "form": form,
            "title": _("Waiting list for %(name)s") % {"name": suitcase.name},
            "intro": _(
                "When a booking is cancelled or the suitcase comes back early, the first in "
                "line whose wanted period fits is offered the free days and has two days to "
                "answer."
            ),
            "submit_label": _("Join the waiting list"),
            "cancel_url": reverse("devices:suitcase", args=[suitcase.pk]),
            "breadcrumbs": suitcase_crumbs(
                suitcase.municipality_id,
                (suitcase.name, reverse("devices:suitcase", args=[suitcase.pk])),
                (_("Waiting list"), ""),
            ),
        },
    )


@login_required
@require_POST
def offer_answer(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(
        WaitingListEntry.objects.visible_to(request.user).select_related("suitcase", "institution"),
        pk=pk,
    )
    require(permissions.can_answer_offer(request.user, entry))
    answer = request.POST.get("answer")
    if answer == "accept":
        act(
            request,
            lambda: services.offer_accept(actor=request.user, entry=entry),
            _("The slot is yours: the suitcase is booked."),
        )
    elif answer == "decline":
        act(
            request,
            lambda: services.offer_decline(actor=request.user, entry=entry),
            _("You declined the slot; it goes to the next in line."),
        )
    elif answer == "withdraw":
        act(
            request,
            lambda: services.waiting_withdraw(actor=request.user, entry=entry),
            _("You left the waiting list."),
        )
    else:
        # Anything else is not an answer: leaving the list must be asked for by name.
        messages.error(request, _("Choose whether to accept, decline or leave the list."))
    return redirect("devices:institution_calendar", entry.institution_id)


def _booking_crumbs(booking, *trail):
    return suitcase_crumbs(
        booking.suitcase.municipality_id,
        (booking.suitcase.name, reverse("devices:suitcase", args=[booking.suitcase_id])),
        (_("Booking"), reverse("devices:booking", args=[booking.pk]) if trail else ""),
        *trail,
    )


@login_required
def booking_detail(request: HttpRequest, pk: int) -> HttpResponse:
    booking = booking_for(request, pk)
    require(permissions.can_view_booking(request.user, booking))
    checks = list(booking.checks.select_related("item"))
    return render(
        request,
        "devices/booking.html",
        {
            "booking": booking,
            "handover_checks": [c for c in checks if c.stage == BookingCheck.Stage.HANDOVER],
            "return_checks": [c for c in checks if c.stage == BookingCheck.Stage.RETURN],
            "can_hand_over": permissions.can_hand_over(request.user, booking),
            "can_cancel": permissions.can_cancel_booking(request.user, booking)
            and booking.status == Booking.Status.BOOKED,
            "breadcrumbs": _booking_crumbs(booking),
        },
    )


@login_required
@require_POST
def booking_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    booking = booking_for(request, pk)
    require(permissions.can_cancel_booking(request.user, booking))
    act(
        request,
        lambda: services.booking_cancel(actor=request.user, booking=booking),
        _("The booking was cancelled."),
    )
    return redirect("devices:booking", booking.pk)


def _checklist(request, pk: int, *, returning: bool) -> HttpResponse:
    booking = booking_for(request, pk)
    require(permissions.can_hand_over(request.user, booking))
    items = list(booking.suitcase.items.all())
    form = ChecklistForm(request.POST or None, items=items, returning=returning)
    if request.method == "POST" and form.is_valid():
        if returning:
            call = lambda: services.booking_return(  # noqa: E731
                actor=request.user,
                booking=booking,
                counts=form.counts(),
                note=form.cleaned_data["note"],
                returned_on=form.cleaned_data.get("returned_on"),
            )
        else:
            call = lambda: services.booking_hand_over(  # noqa: E731
                actor=request.user,
                booking=booking,
                counts=form.counts(),
                note=form.cleaned_data["note"],
            )
        if apply(form, call):
            booking.refresh_from_db()
            if booking.flagged:
                messages.warning(
                    request,
                    _("Something was missing or broken: the administrators have been told."),
                )
            else:
                messages.success(
                    request,
                    _("The return was registered.") if returning else _("Hand-over registered."),
                )
            return redirect("devices:booking", booking.pk)
    title = _("Return of %(name)s") if returning else _("Hand-over of %(name)s")
    return render(
        request,
        "devices/checklist.html",
        {
            "form": form,
            "booking": booking,
            "title": title % {"name": booking.suitcase.name},
            "breadcrumbs": _booking_crumbs(
                booking, (_("Return") if returning else _("Hand-over"), "")
            ),
        },
    )


@login_required
def booking_hand_over(request: HttpRequest, pk: int) -> HttpResponse:
    return _checklist(request, pk, returning=False)


@login_required
def booking_return(request: HttpRequest, pk: int) -> HttpResponse:
    return _checklist(request, pk, returning=True)


@login_required
def closures(request: HttpRequest, municipality_id: int) -> HttpResponse:
    municipality = municipality_for(request, municipality_id)
    require(permissions.can_manage_municipality(request.user, municipality))
    form = ClosureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        call = lambda: services.closure_create(  # noqa: E731
            actor=request.user, municipality=municipality, **form.cleaned_data
        )
        if apply(form, call):
            messages.success(request, _("The closure days were added."))
            return redirect("devices:closures", municipality.pk)
    return render(
        request,
        "devices/closures.html",
        {
            "municipality": municipality,
            "form": form,
            "closures": list(
                municipality.suitcase_closures.filter(
                    ends_on__gte=timezone.localdate().replace(month=1, day=1)
                )
            ),
            "breadcrumbs": suitcase_crumbs(municipality.pk, (_("Closure days"), "")),
        },
    )


@login_required
@require_POST
def closure_delete(request: HttpRequest, municipality_id: int, closure_id: int) -> HttpResponse:
    municipality = municipality_for(request, municipality_id)
    require(permissions.can_manage_municipality(request.user, municipality))
    closure = get_object_or_404(municipality.suitcase_closures, pk=closure_id)
    services.closure_delete(actor=request.user, closure=closure)
    messages.success(request, _("The closure days were removed."))
    return redirect("devices:closures", municipality.pk)
