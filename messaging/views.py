from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import services
from .selectors import notifications_for


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    page = Paginator(notifications_for(request.user), 25).get_page(request.GET.get("side"))
    return render(
        request,
        "messaging/notifications.html",
        {"page": page, "breadcrumbs": [(_("Home"), "/"), (_("Notifications"), "")]},
    )


@login_required
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark a notification read and go to what it is about."""
    notification = get_object_or_404(notifications_for(request.user), pk=pk)
    services.notification_mark_read(user=request.user, notification=notification)
    target = notification.url
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("messaging:notifications")


@login_required
@require_POST
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    services.notifications_mark_all_read(user=request.user)
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return redirect("messaging:notifications")
