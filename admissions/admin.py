from django.contrib import admin

from .models import Capacity, Letter, Offer, Policy, Signup, Wish


class WishInline(admin.TabularInline):
    model = Wish
    extra = 0
    raw_id_fields = ["institution"]


@admin.register(Policy)
class PolicyAdmin(admin.ModelAdmin):
    list_display = ["municipality", "guarantee_age_weeks", "guarantee_months_after_signup"]


@admin.register(Signup)
class SignupAdmin(admin.ModelAdmin):
    list_display = ["child_first_name", "municipality", "state", "channel", "guarantee_date"]
    list_filter = ["state", "channel"]
    raw_id_fields = ["parent", "child", "current_child", "created_by"]
    inlines = [WishInline]


@admin.register(Capacity)
class CapacityAdmin(admin.ModelAdmin):
    list_display = ["group", "month", "places", "offered"]
    raw_id_fields = ["group"]


@admin.register(Offer)
class OfferAdmin(admin.ModelAdmin):
    list_display = ["signup", "institution", "group", "start_date", "deadline", "state"]
    raw_id_fields = ["signup", "institution", "group", "capacity", "made_by", "answered_by"]


@admin.register(Letter)
class LetterAdmin(admin.ModelAdmin):
    list_display = ["signup", "kind", "created_at", "made_at"]
    raw_id_fields = ["signup", "offer"]
