from django.contrib import admin

from .models import (
    Booking,
    Device,
    DeviceChange,
    PurchaseProgramme,
    RotationPlan,
    Suitcase,
    SuitcaseClosure,
    SuitcaseItem,
    WaitingListEntry,
    WifiSite,
)


class DeviceChangeInline(admin.TabularInline):
    model = DeviceChange
    extra = 0
    readonly_fields = ["actor", "action", "changes", "created_at"]


@admin.register(Device)
class DeviceAdmin(admin.ModelAdmin):
    list_display = ["model", "kind", "institution", "group", "status", "asset_tag"]
    list_filter = ["kind", "status"]
    search_fields = ["model", "serial_number", "asset_tag"]
    inlines = [DeviceChangeInline]


@admin.register(WifiSite)
class WifiSiteAdmin(admin.ModelAdmin):
    list_display = ["name", "institution", "coverage", "established_on"]


class SuitcaseItemInline(admin.TabularInline):
    model = SuitcaseItem
    extra = 0


@admin.register(Suitcase)
class SuitcaseAdmin(admin.ModelAdmin):
    list_display = ["name", "municipality", "status", "home_base"]
    inlines = [SuitcaseItemInline]


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    list_display = ["suitcase", "institution", "starts_on", "ends_on", "status", "flagged"]
    list_filter = ["status", "flagged"]


admin.site.register(SuitcaseClosure)
admin.site.register(RotationPlan)
admin.site.register(WaitingListEntry)
admin.site.register(PurchaseProgramme)
