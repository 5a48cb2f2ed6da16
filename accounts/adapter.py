"""allauth adapters: no self-sign-up (people are invited), and two-factor login cannot
be switched off by those who must use it."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode

from institutions.selectors import roles_for
from privacy.notices import unread_notice


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # Accounts are made by accepting an invitation (institutions.services).
        return False

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        # allauth answers a password reset for an unknown address with a mail inviting the
        # stranger to sign up, at a link that only says sign-up is closed. Send nothing:
        # the page shown is the same either way, so no account can be probed for.
        if template_prefix == "account/email/unknown_account":
            return
        super().send_mail(template_prefix, email, context)

    def post_login(self, request: HttpRequest, user, **kwargs):
        response = super().post_login(request, user, **kwargs)
        if (
            roles_for(user).requires_two_factor
            and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        ):
            # The person typed their password seconds ago and is now sent to set up
            # two-factor login, which allauth guards with a fresh authentication: count
            # this login as that, rather than ask for the password twice.
            records = request.session.get(AUTHENTICATION_METHODS_SESSION_KEY) or []
            if records and records[-1].get("method") == "password":
                records[-1]["reauthenticated"] = True
                request.session[AUTHENTICATION_METHODS_SESSION_KEY] = records
        return self._privacy_notice_first(user, response)

    def _privacy_notice_first(self, user, response):
        """A person who has not read their municipality's current privacy notice is shown
        it once, right after logging in, then sent on to where they were going. Reading
        it is recorded only when they confirm (a POST on the notice page)."""
        municipality = unread_notice(user)
        if municipality is None or not isinstance(response, HttpResponseRedirect):
            return response
        url = reverse("privacy:notice", args=[municipality.pk])
        return HttpResponseRedirect(f"{url}?{urlencode({'next': response.url})}")


class MFAAdapter(DefaultMFAAdapter):
    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        if (
            authenticator.type == Authenticator.Type.TOTP
            and roles_for(authenticator.user).requires_two_factor
        ):
            return False
        return super().can_delete_authenticator(authenticator)
