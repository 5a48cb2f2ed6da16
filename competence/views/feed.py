"""The user's personal calendar feed: the page, revoking the address and the feed itself."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from .. import ical, selectors, services
from ..models import CalendarFeed


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
