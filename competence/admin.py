from django.contrib import admin

from .models import (
    CalendarFeed,
    Comment,
    CompetencePlan,
    Event,
    Meeting,
    MeetingAttendance,
    MeetingFile,
    Network,
    NetworkMember,
    PlanActivity,
    Post,
    PostFile,
    Registration,
)


class ActivityInline(admin.TabularInline):
    model = PlanActivity
    extra = 0
    fields = ("kind", "title", "starts_on", "planned_cost_ore", "spent_cost_ore")


@admin.register(CompetencePlan)
class CompetencePlanAdmin(admin.ModelAdmin):
    list_display = ("institution", "year", "budget_ore", "hours")
    list_filter = ("year", "institution__municipality")
    search_fields = ("institution__name",)
    inlines = [ActivityInline]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ("title", "municipality", "starts_at", "capacity", "confirmed_count")
    list_filter = ("municipality", "kind", "is_kickoff")
    # Seats are kept by the services (with a lock); never edited by hand.
    readonly_fields = ("confirmed_count",)


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ("event", "user", "institution", "status", "as_leader", "checked_in_at")
    list_filter = ("status", "event")
    search_fields = ("user__name", "user__email", "institution__name")
    raw_id_fields = ("user", "registered_by", "institution")

    def has_change_permission(self, request, obj=None):
        # Changing a status by hand would bypass the capacity and the waiting list.
        return False


class MemberInline(admin.TabularInline):
    model = NetworkMember
    extra = 0
    raw_id_fields = ("institution",)


@admin.register(Network)
class NetworkAdmin(admin.ModelAdmin):
    list_display = ("name", "municipality", "cadence", "organiser")
    list_filter = ("municipality",)
    inlines = [MemberInline]


class FileInline(admin.TabularInline):
    model = MeetingFile
    extra = 0


class AttendanceInline(admin.TabularInline):
    model = MeetingAttendance
    extra = 0
    raw_id_fields = ("institution",)


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ("network", "starts_at", "place")
    list_filter = ("network__municipality",)
    inlines = [AttendanceInline, FileInline]


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    list_display = ("user", "created_at", "revoked_at", "last_read_at")
    exclude = ("token",)
    raw_id_fields = ("user",)


class PostFileInline(admin.TabularInline):
    model = PostFile
    extra = 0


class CommentInline(admin.TabularInline):
    model = Comment
    extra = 0


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ("title", "institution", "created_at")
    list_filter = ("institution__municipality", "age_group")
    search_fields = ("title",)
    inlines = [PostFileInline, CommentInline]
