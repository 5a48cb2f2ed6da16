"""allauth adapters: no self-sign-up (people are invited), and two-factor login cannot
be switched off by those who must use it."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.http import HttpRequest

from institutions.selectors import roles_for


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # Accounts are made by accepting an invitation (institutions.services).
        return False


class MFAAdapter(DefaultMFAAdapter):
    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        if (
            authenticator.type == Authenticator.Type.TOTP
            and roles_for(authenticator.user).requires_two_factor
        ):
            return False
        return super().can_delete_authenticator(authenticator)
