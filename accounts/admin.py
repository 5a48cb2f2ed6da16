from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from privacy.support import PersonalDataAdmin, pseudonym

from .models import User


def _as_parent(user) -> dict[str, list]:
    """A parent's account is the family's data: technical support opens it with a reason,
    and the look is logged. Other accounts (staff) are not."""
    if user.guardianships.exists() or user.admission_signups.exists():
        return {"guardians": [user]}
    return {}


@admin.register(User)
class UserAdmin(PersonalDataAdmin, BaseUserAdmin):
    ordering = ["pk"]
    list_display = ["pseudonym", "is_active", "is_staff", "last_login", "date_joined"]
    # Found by id or by the exact address someone gives in a support case.
    search_fields = ["pk__exact", "=email"]
    fieldsets = (
        (None, {"fields": ("email",)}),
        (gettext_lazy("Person"), {"fields": ("name", "phone", "language")}),
        (gettext_lazy("Access"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (gettext_lazy("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "name", "password1", "password2")}),
    )
    readonly_fields = ["last_login", "date_joined"]
    filter_horizontal = ()
    list_filter = ["is_active", "is_staff"]

    def people_shown(self, obj):
        return _as_parent(obj)

    def user_change_password(self, request, id, form_url=""):
        # Nobody sets another person's password: they choose a new one themselves with
        # "Forgot your password?" on the portal's login page.
        messages.info(
            request,
            _(
                "Passwords are only set by the person themselves, with “Forgot your "
                "password?” on the login page."
            ),
        )
        return HttpResponseRedirect(reverse("admin:accounts_user_change", args=[id]))


admin.site.unregister(EmailAddress)


@admin.register(EmailAddress)
class EmailAddressAdmin(PersonalDataAdmin):
    list_display = ["pseudonym", "user_ref", "primary", "verified"]
    list_filter = ["primary", "verified"]
    search_fields = ["pk__exact", "=email"]
    raw_id_fields = ["user"]

    @admin.display(description=gettext_lazy("user"))
    def user_ref(self, obj):
        return pseudonym(User, obj.user_id)

    def people_shown(self, obj):
        return _as_parent(obj.user)


admin.site.unregister(Authenticator)


@admin.register(Authenticator)
class AuthenticatorAdmin(admin.ModelAdmin):
    # The secret is never shown: with it anyone could make the person's codes.
    list_display = ["id", "user_ref", "type", "created_at", "last_used_at"]
    list_filter = ["type"]
    fields = ["user_ref", "type", "created_at", "last_used_at"]
    readonly_fields = fields

    @admin.display(description=gettext_lazy("user"))
    def user_ref(self, obj):
        return pseudonym(User, obj.user_id)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
