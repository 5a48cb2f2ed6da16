"""Session expiry after inactivity, and two-factor login for those who must use it."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME, logout
from django.contrib.auth.views import redirect_to_login
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
# The same, named with their app: the privacy notice shown right after login, and its
# "I have read it", come before setting up two-factor login.
EXEMPT_VIEW_NAMES = {"privacy:notice", "privacy:notice_read"}


def used_second_factor(request) -> bool:
    """Whether this login session included the second factor: a code at login or when
    asked again, or the code that set up the authenticator after this login began."""
    records = get_authentication_records(request, request.user)
    if any(record.get("method") == "mfa" for record in records):
        return True
    if not records:
        return False
    began = datetime.fromtimestamp(records[0]["at"], tz=UTC)
    return Authenticator.objects.filter(
        user=request.user, type=Authenticator.Type.TOTP, created_at__gte=began
    ).exists()


class RequireTwoFactorMiddleware:
    """Those whose roles require two-factor login (institutions.selectors.Roles) set it up
    before anything else. The technical admin asks more: technical staff must have used
    the second factor in this very session, so a session begun with a password alone
    (before two-factor was set up, or by any other way in) opens no admin page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated:
            return None
        match = request.resolver_match
        if match is None or match.url_name in EXEMPT_URL_NAMES:
            return None
        if match.view_name in EXEMPT_VIEW_NAMES:
            return None
        if request.path.startswith(settings.STATIC_URL):
            return None
        if not request.session.get(TWO_FACTOR_OK_KEY) and roles_for(user).requires_two_factor:
            if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
                messages.warning(
                    request,
                    _(
                        "Your role requires two-factor login. Set it up with an authenticator "
                        "app before you continue."
                    ),
                )
                return redirect(reverse("mfa_activate_totp"))
            request.session[TWO_FACTOR_OK_KEY] = True
        if user.is_staff and "admin" in match.app_names and not used_second_factor(request):
            return redirect_to_login(
                request.get_full_path(), reverse("mfa_reauthenticate"), REDIRECT_FIELD_NAME
            )
        return None
