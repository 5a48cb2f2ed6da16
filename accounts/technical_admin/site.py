"""The technical admin (/teknisk-admin/) has no login of its own.

Django's admin site comes with its own login form, password change and logout: password
only, no throttling, no second factor. Here every one of those is the portal's: the
login is allauth's (throttled, two-factor), and so are the password change and the
logout. Who may enter, and with which second factor, is decided where it is for the rest
of the portal (accounts.middleware.RequireTwoFactorMiddleware, which asks technical staff
for the code they used at this login before any admin page answers). What support may
see once inside is privacy.support's business: every model registered here has its
fields that point at people made id fields.
"""

from __future__ import annotations

from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.db.models.base import ModelBase
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _

from privacy.support import people_by_id


class TechnicalAdminSite(admin.AdminSite):
    site_header = _("Dagtilbudsportalen: technical administration")
    site_title = _("Technical administration")
    index_title = _("Technical support")

    def register(self, model_or_iterable, admin_class=None, **options):
        super().register(model_or_iterable, admin_class, **options)
        models = (
            [model_or_iterable] if isinstance(model_or_iterable, ModelBase) else model_or_iterable
        )
        for model in models:
            if model in self._registry:  # not a swapped-out model (auth.User)
                people_by_id(self._registry[model])

    @method_decorator(secure_admin_login)
    def login(self, request, extra_context=None):
        # Reached only by someone logged in (secure_admin_login sends everyone else to the
        # portal's login, and answers 403 to people who are not technical staff).
        return HttpResponseRedirect(reverse("admin:index", current_app=self.name))

    def logout(self, request, extra_context=None):
        # 307 repeats the request at the portal's logout: a POST (with its CSRF token)
        # logs out there at once, a GET shows the portal's own question.
        return HttpResponseRedirect(reverse("account_logout"), status=307)

    def password_change(self, request, extra_context=None):
        return HttpResponseRedirect(reverse("account_change_password"))

    def password_change_done(self, request, extra_context=None):
        return HttpResponseRedirect(reverse("account_change_password"))
