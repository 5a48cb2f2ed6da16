from django.contrib import admin
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from core.models import EmailPreference, Notification
from privacy.support import PersonalDataAdmin, pseudonym

from .models import ClosurePeriod, Post, Thread

# Messages are the families' and staff's own: technical support sees when they were
# made, sent and read (here and in the three admins below), never what they say or to
# whom by name.


@admin.register(Notification)
class NotificationAdmin(PersonalDataAdmin):
    read_only = True
    list_display = [
        "pseudonym",
        "recipient_ref",
        "kind",
        "created_at",
        "read_at",
        "emailed_at",
        "email_failed_at",
    ]
    list_filter = ["kind", "email_digest"]
    fields = [
        "recipient_ref",
        "kind",
        "created_at",
        "read_at",
        "send_email",
        "email_digest",
        "emailed_at",
        "email_failed_at",
        "email_error",
        "email_attempts",
    ]
    readonly_fields = fields

    @admin.display(description=_("recipient"))
    def recipient_ref(self, obj):
        return pseudonym(get_user_model(), obj.recipient_id)


@admin.register(EmailPreference)
class EmailPreferenceAdmin(PersonalDataAdmin):
    read_only = True
    list_display = ["pseudonym", "user_ref", "category", "frequency", "updated_at"]
    fields = ["user_ref", "category", "frequency", "updated_at"]
    readonly_fields = fields

    @admin.display(description=_("user"))
    def user_ref(self, obj):
        return pseudonym(get_user_model(), obj.user_id)


@admin.register(Post)
class PostAdmin(PersonalDataAdmin):
    read_only = True
    list_display = ["pseudonym", "municipality", "institution", "audience", "kind", "publish_at"]
    list_filter = ["kind", "audience"]
    fields = ["municipality", "institution", "audience", "kind", "publish_at", "withdrawn_at"]
    readonly_fields = fields


@admin.register(Thread)
class ThreadAdmin(PersonalDataAdmin):
    read_only = True
    list_display = ["pseudonym", "institution", "created_at", "last_message_at", "sensitive"]
    fields = ["institution", "created_at", "last_message_at", "sensitive"]
    readonly_fields = fields


@admin.register(ClosurePeriod)
class ClosurePeriodAdmin(admin.ModelAdmin):
    list_display = ["institution", "starts_on", "ends_on"]
    raw_id_fields = ["institution"]
