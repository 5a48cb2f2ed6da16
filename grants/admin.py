from django.contrib import admin

from .models import (
    Application,
    ApplicationEvent,
    BudgetLine,
    DigitalBudgetLine,
    EarmarkAllocation,
    Expense,
    Grant,
    Pool,
    ReviewComment,
    Share,
    ShareRun,
)


@admin.register(Pool)
class PoolAdmin(admin.ModelAdmin):
    list_display = ["name", "municipality", "kind", "total_ore", "committed_ore", "published_at"]
    list_filter = ["municipality", "kind"]
    search_fields = ["name"]
    readonly_fields = ["committed_ore"]


class BudgetLineInline(admin.TabularInline):
    model = BudgetLine
    extra = 0


class EventInline(admin.TabularInline):
    model = ApplicationEvent
    extra = 0
    readonly_fields = ["from_state", "to_state", "actor", "note", "created_at"]


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["project", "institution", "pool", "state", "amount_asked_ore", "approved_ore"]
    list_filter = ["state", "pool__municipality"]
    search_fields = ["project", "institution__name"]
    inlines = [BudgetLineInline, EventInline]
    # States move only through the services (and their history); not by hand here.
    readonly_fields = ["state", "outcome", "approved_ore", "decided_at", "committed_note"]

    @admin.display(description="")
    def committed_note(self, obj):
        return "Afgørelser træffes i portalen, så puljens forbrug følger med."


class AllocationInline(admin.TabularInline):
    model = EarmarkAllocation
    extra = 0
    readonly_fields = ["earmark", "amount_ore", "spent_ore"]


@admin.register(Grant)
class GrantAdmin(admin.ModelAdmin):
    list_display = ["pool", "institution", "amount_ore", "returned_ore", "closed_at"]
    list_filter = ["pool__municipality"]
    inlines = [AllocationInline]
    readonly_fields = ["amount_ore", "returned_ore", "closed_at"]


admin.site.register(ShareRun)
admin.site.register(Share)
admin.site.register(Expense)
admin.site.register(ReviewComment)
admin.site.register(DigitalBudgetLine)
