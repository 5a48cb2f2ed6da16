from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from privacy.support import PersonalDataAdmin, pseudonym

from .models import Capacity, Letter, Offer, Policy, Signup, Wish
from .selectors import people_in_signups


class WishInline(admin.TabularInline):
    # Sign-ups, offers and letters move only through the services (their locks,
    # constraints, letters and log), never by hand here.
    model = Wish
    extra = 0
    fields = ["rank", "institution"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Policy)
class PolicyAdmin(admin.ModelAdmin):
    list_display = ["municipality", "guarantee_age_weeks", "guarantee_months_after_signup"]


@admin.register(Signup)
class SignupAdmin(PersonalDataAdmin):
    read_only = True
    list_display = [
        "pseudonym",
        "municipality",
        "state",
        "channel",
        "signed_up_on",
        "guarantee_date",
    ]
    list_filter = ["state", "channel", "municipality"]
    list_select_related = ["municipality"]
    inlines = [WishInline]

    def people_shown(self, obj):
        return people_in_signups([obj])


@admin.register(Capacity)
class CapacityAdmin(admin.ModelAdmin):
    list_display = ["group", "month", "places", "offered"]
    raw_id_fields = ["group"]


@admin.register(Offer)
class OfferAdmin(PersonalDataAdmin):
    read_only = True
    list_display = [
        "pseudonym",
        "signup_ref",
        "institution",
        "group",
        "start_date",
        "deadline",
        "state",
    ]
    list_select_related = ["institution", "group"]

    @admin.display(description=_("sign-up"))
    def signup_ref(self, obj):
        return pseudonym(Signup, obj.signup_id)

    def people_shown(self, obj):
        return people_in_signups([obj.signup])


@admin.register(Letter)
class LetterAdmin(PersonalDataAdmin):
    read_only = True
    list_display = ["pseudonym", "signup_ref", "kind", "created_at", "made_at"]
    # The letter itself (the PDF, with the child's name and birth date) stays in the portal.
    exclude = ["pdf"]

    @admin.display(description=_("sign-up"))
    def signup_ref(self, obj):
        return pseudonym(Signup, obj.signup_id)

    def people_shown(self, obj):
        return people_in_signups([obj.signup])
