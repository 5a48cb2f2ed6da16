from django.contrib import admin

from .models import ClosurePeriod, EmailPreference, Notification, Post, Thread


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = [
        "subject",
        "recipient",
        "kind",
        "created_at",
        "read_at",
        "emailed_at",
        "email_failed_at",
    ]
    list_filter = ["kind", "email_digest"]
    search_fields = ["subject", "recipient__email"]
    raw_id_fields = ["recipient"]


@admin.register(EmailPreference)
class EmailPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "category", "frequency", "updated_at"]
    raw_id_fields = ["user"]


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    # Technical support only: the text of posts is not shown here.
    list_display = ["id", "municipality", "institution", "audience", "kind", "publish_at"]
    list_filter = ["kind", "audience"]
    fields = ["municipality", "institution", "audience", "kind", "publish_at", "withdrawn_at"]
    readonly_fields = fields


@admin.register(Thread)
class ThreadAdmin(admin.ModelAdmin):
    # Families' conversations are private: technical staff see only their metadata.
    list_display = ["id", "institution", "created_at", "last_message_at", "sensitive"]
    fields = ["institution", "created_at", "last_message_at", "sensitive"]
    readonly_fields = fields


@admin.register(ClosurePeriod)
class ClosurePeriodAdmin(admin.ModelAdmin):
    list_display = ["institution", "starts_on", "ends_on"]
    raw_id_fields = ["institution"]
