from django.contrib import admin
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from institutions.models import Child

from .models import PersonalDataAccess
from .support import PersonalDataAdmin, pseudonym


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(PersonalDataAdmin):
    """Read only: the log is evidence and is changed by nobody. It names the people looked
    up by their ids only (the staff who looked, by name: that is what it is for)."""

    list_display = [
        "at",
        "actor",
        "actor_role",
        "action",
        "purpose",
        "reason",
        "child_ref",
        "guardian_ref",
        "signup_ref",
    ]
    list_filter = ["action", "actor_role"]
    list_select_related = ["actor"]
    date_hierarchy = "at"
    fields = [
        "at",
        "actor",
        "actor_role",
        "institution",
        "action",
        "purpose",
        "reason",
        "child_ref",
        "guardian_ref",
        "signup_ref",
        "view",
        "path",
    ]
    readonly_fields = fields

    @admin.display(description=_("child"))
    def child_ref(self, obj):
        return pseudonym(Child, obj.child_id) if obj.child_id else ""

    @admin.display(description=_("guardian"))
    def guardian_ref(self, obj):
        return pseudonym(get_user_model(), obj.guardian_id) if obj.guardian_id else ""

    @admin.display(description=_("sign-up"))
    def signup_ref(self, obj):
        signup = PersonalDataAccess.signup.field.related_model
        return pseudonym(signup, obj.signup_id) if obj.signup_id else ""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
