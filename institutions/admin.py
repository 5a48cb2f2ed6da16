from django.contrib import admin
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from privacy.support import PersonalDataAdmin, pseudonym

from .models import (
    Child,
    ChildrenCount,
    Group,
    Guardianship,
    Institution,
    Invitation,
    Membership,
    Municipality,
    MunicipalRole,
)


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


@admin.register(Institution)
class InstitutionAdmin(admin.ModelAdmin):
    list_display = ["name", "municipality", "kind", "ownership", "district", "is_active"]
    list_filter = ["municipality", "kind", "ownership"]
    search_fields = ["name"]


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    list_display = ["name", "institution", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "institution__name"]
    raw_id_fields = ["institution", "childminder"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "institution", "role"]
    list_filter = ["role"]
    search_fields = ["user__email", "institution__name"]
    raw_id_fields = ["user", "institution"]


@admin.register(MunicipalRole)
class MunicipalRoleAdmin(admin.ModelAdmin):
    list_display = ["user", "municipality", "role"]
    raw_id_fields = ["user"]


@admin.register(Child)
class ChildAdmin(PersonalDataAdmin):
    read_only = True
    list_display = ["pseudonym", "institution", "group", "started_on", "left_on", "created_at"]
    list_select_related = ["group__institution"]
    list_filter = ["group__institution__municipality"]

    @admin.display(description=_("institution"))
    def institution(self, obj):
        return obj.group.institution

    def people_shown(self, obj):
        return {"children": [obj]}


@admin.register(Guardianship)
class GuardianshipAdmin(PersonalDataAdmin):
    read_only = True
    list_display = ["pseudonym", "child_ref", "guardian_ref", "created_at"]

    @admin.display(description=_("child"))
    def child_ref(self, obj):
        return pseudonym(Child, obj.child_id)

    @admin.display(description=_("guardian"))
    def guardian_ref(self, obj):
        return pseudonym(get_user_model(), obj.guardian_id)

    def people_shown(self, obj):
        return {"children": [obj.child], "guardians": [obj.guardian]}


@admin.register(ChildrenCount)
class ChildrenCountAdmin(admin.ModelAdmin):
    list_display = ["institution", "counted_on", "aged_0_2", "aged_3_5", "aged_6_plus"]
    raw_id_fields = ["institution"]


@admin.register(Invitation)
class InvitationAdmin(PersonalDataAdmin):
    read_only = True
    # Who was invited (name, e-mail) stays on the invitation's page; an invitation to be a
    # child's guardian is the family's data and asks for a reason there.
    list_display = [
        "pseudonym",
        "municipality",
        "institution",
        "role",
        "municipal_role",
        "child_ref",
        "created_at",
        "accepted_at",
    ]
    list_select_related = ["municipality", "institution"]
    search_fields = ["pk__exact", "=email"]
    exclude = ["token"]

    @admin.display(description=_("child"))
    def child_ref(self, obj):
        return pseudonym(Child, obj.child_id) if obj.child_id else ""

    def people_shown(self, obj):
        if not obj.child_id:
            return {}
        return {"children": [obj.child], "guardians": [obj.accepted_by]}
