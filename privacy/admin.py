from django.contrib import admin

from .models import PersonalDataAccess


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(admin.ModelAdmin):
    """Read only: the log is evidence and is changed by nobody."""

    list_display = ["at", "actor", "actor_role", "action", "purpose", "child", "guardian"]
    list_filter = ["action", "actor_role"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
