"""The notification list, opening and reading notifications, e-mail settings."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core import notifications as notices
from core.models import EmailPreference
from core.views import apply, crumbs

from ..forms import (
    EmailSettingsForm,
)
from .common import _page


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    page = _page(request, notices.notifications_for(request.user))
    return render(
        request,
        "messaging/notifications.html",
        {"page": page, "breadcrumbs": crumbs((_("Notifications"), ""))},
    )


@login_required
@require_http_methods(["GET", "POST"])
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Go to what a notification is about. Pressed in the list (POST), it is marked read
    on the way; a link (the daily e-mail's) only goes there, as a GET changes nothing."""
    notification = get_object_or_404(notices.notifications_for(request.user), pk=pk)
    if request.method == "POST":
        notices.notification_mark_read(user=request.user, notification=notification)
    target = notification.url
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("messaging:notifications")


@login_required
@require_POST
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    notices.notifications_mark_all_read(user=request.user)
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return redirect("messaging:notifications")


@login_required
def email_settings(request: HttpRequest) -> HttpResponse:
    current = dict(
        EmailPreference.objects.filter(user=request.user).values_list("category", "frequency")
    )
    form = EmailSettingsForm(request.POST or None, current=current)
    if (
        request.method == "POST"
        and form.is_valid()
        and apply(
            form,
            lambda: notices.email_preferences_set(user=request.user, frequencies=form.cleaned_data),
        )
    ):
        messages.success(request, _("Your e-mail settings were saved."))
        return redirect("messaging:email_settings")
    return render(
        request,
        "messaging/email_settings.html",
        {"form": form, "breadcrumbs": crumbs((_("E-mail settings"), ""))},
    )
