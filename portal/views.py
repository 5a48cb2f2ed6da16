"""The shell's own pages: home, health check, language switch, statements."""

from __future__ import annotations

import logging
import sys

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.db.utils import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from core.shell import home_sections
from institutions.selectors import roles_for

logger = logging.getLogger(__name__)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """A home page per role: each role the person holds adds a section of what they can do.
    The sections of what the person does most lead, in full; the rest follow in brief."""
    sections = home_sections(request, roles_for(request.user))
    lead = [section for section in sections if section.lead]
    brief = [section for section in sections if not section.lead and section.cards]
    if not lead:
        lead, brief = sections, []
    return render(request, "portal/home.html", {"sections": lead, "brief": brief})


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch between Danish and English; remembered on the account and in a cookie."""
    language = request.POST.get("language", "")
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    if request.user.is_authenticated and request.user.language != language:
        request.user.language = language
        request.user.save(update_fields=["language"])
    response = redirect(next_url)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=365 * 24 * 3600,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        secure=getattr(settings, "LANGUAGE_COOKIE_SECURE", False),
    )
    return response


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when PostgreSQL and Redis answer; 503 naming what is down."""
    checks: dict[str, str] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as exc:
        logger.warning("Health check: database down: %s", exc)
        checks["database"] = "down"
    if settings.REDIS_URL:
        try:
            import redis

            redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2).ping()
            checks["redis"] = "ok"
        except Exception as exc:
            logger.warning("Health check: Redis down: %s", exc)
            checks["redis"] = "down"
    else:
        checks["redis"] = "not configured (tasks run inline)"
    down = sorted(name for name, state in checks.items() if state == "down")
    body = {"status": "down" if down else "ok", "checks": checks}
    if down:
        body["down"] = down
    return JsonResponse(body, status=503 if down else 200)


# The oldest task waiting in the outbox may be this old before the portal is not ready:
# the relay runs every minute, so older means the broker has not taken tasks for a while.
OUTBOX_MAX_AGE_SECONDS = 300


def readyz(request: HttpRequest) -> JsonResponse:
    """Readiness for the load balancer and the operator: PostgreSQL, Redis, a worker's
    heartbeat, beat's last tick and the age of the outbox. 200 when all are well; 503
    naming what is not. Ids and ages only, nothing personal."""
    from django.utils import timezone

    from core import health
    from outbox.models import OutboxMessage

    checks: dict[str, object] = {}
    down: list[str] = []
    try:
        oldest = OutboxMessage.objects.order_by("created_at").values_list("created_at", flat=True)
        first = oldest.first()
        checks["database"] = "ok"
        age = round((timezone.now() - first).total_seconds()) if first else 0
        checks["outbox"] = {"waiting": OutboxMessage.objects.count(), "oldest_seconds": age}
        if age > OUTBOX_MAX_AGE_SECONDS:
            down.append("outbox")
    except Exception as exc:
        logger.warning("Readiness: database down: %s", exc)
        checks["database"] = "down"
        down.append("database")
    if not settings.REDIS_URL:
        checks["redis"] = checks["worker"] = checks["beat"] = "not configured (tasks run inline)"
    else:
        try:
            beats = health.last_beats()
            checks["redis"] = "ok"
        except Exception as exc:
            logger.warning("Readiness: Redis down: %s", exc)
            beats = None
            checks["redis"] = "down"
            down.append("redis")
        if beats is not None:
            workers = {k: v for k, v in beats.items() if k.startswith("worker:")}
            fresh = [v for v in workers.values() if v <= health.STALE_AFTER]
            newest = min(workers.values(), default=None)
            checks["worker"] = {"fresh": len(fresh), "last_seconds": newest}
            checks["beat"] = {"last_seconds": beats.get("beat")}
            if not fresh:
                down.append("worker")
            if beats.get("beat") is None or beats["beat"] > health.STALE_AFTER:
                down.append("beat")
    body = {"status": "down" if down else "ok", "checks": checks}
    if down:
        body["down"] = sorted(down)
    return JsonResponse(body, status=503 if down else 200)


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(
        request, "portal/accessibility.html", {"breadcrumbs": [(_("Accessibility statement"), "")]}
    )


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page; when the database could not be reached (a restart, a failover), a 503
    that asks to try again in a moment. Renders without touching the database."""
    exc = sys.exc_info()[1]
    unreachable = isinstance(exc, (OperationalError, InterfaceError)) or (
        isinstance(exc, DatabaseError) and "connection" in str(exc).lower()
    )
    if unreachable:
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = "5"
        return response
    return HttpResponse(loader.get_template("500.html").render(), status=500)
