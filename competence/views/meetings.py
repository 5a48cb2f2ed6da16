"""A network's meetings: details, minutes, attendance and files."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.permissions import require
from core.views import apply

from .. import permissions, services
from ..forms import AttendanceForm, MeetingForm, MinutesForm
from ..models import Meeting
from .common import _download, _form_page, _network_crumbs


def _meeting(request: HttpRequest, pk: int) -> Meeting:
    return get_object_or_404(
        Meeting.objects.visible_to(request.user).select_related(
            "network__municipality", "network__organiser", "minutes_by"
        ),
        pk=pk,
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


@login_required
def meeting_file(request: HttpRequest, pk: int, file_id: int) -> FileResponse:
    meeting = _meeting(request, pk)
    stored = get_object_or_404(meeting.files, pk=file_id)
    return _download(stored)
