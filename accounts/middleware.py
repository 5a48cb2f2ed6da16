"""Session expiry after inactivity, and two-factor login for those who must use it."""

from __future__ import annotations

import time

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from institutions.selectors import roles_for

LAST_SEEN_KEY = "_portal_last_seen"
# Refresh the timestamp at most once a minute, so most requests write no session.
TOUCH_INTERVAL = 60


class SessionIdleTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # In process_view, not __call__: every middleware has seen the request by now, so
        # the message below has somewhere to go wherever this sits in MIDDLEWARE (it comes
        # before MessageMiddleware there, and adding a message in __call__ raised).
        if request.user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(LAST_SEEN_KEY)
            if last_seen is not None and now - last_seen > settings.SESSION_IDLE_TIMEOUT:
                logout(request)
                messages.info(
                    request, _("You were logged out because you had been inactive for a while.")
                )
            elif last_seen is None or now - last_seen >= TOUCH_INTERVAL:
                request.session[LAST_SEEN_KEY] = now
        return None


TWO_FACTOR_OK_KEY = "_portal_two_factor_ok"
# Pages a person without two-factor login may still reach while setting it up.
EXEMPT_URL_NAMES = {
    "mfa_activate_totp",
    "mfa_index",
    "mfa_view_recovery_codes",
    "mfa_generate_recovery_codes",
    "mfa_download_recovery_codes",
    "account_reauthenticate",
    "account_logout",
    "set_language",
    "healthz",
    "accessibility",
    "privacy",
}


class RequireTwoFactorMiddleware:
    """Municipal administrators and leaders set up two-factor login before anything else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or request.session.get(TWO_FACTOR_OK_KEY):
            return None
        match = request.resolver_match
        if match is None or match.url_name in EXEMPT_URL_NAMES:
            return None
        if request.path.startswith(settings.STATIC_URL):
            return None
        if not roles_for(user).requires_two_factor:
            return None
        if Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            request.session[TWO_FACTOR_OK_KEY] = True
            return None
        messages.warning(
            request,
            _(
                "Your role requires two-factor login. Set it up with an authenticator app "
                "before you continue."
            ),
        )
        return redirect(reverse("mfa_activate_totp"))
