from django.contrib import admin

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
class ChildAdmin(admin.ModelAdmin):
    list_display = ["first_name", "group", "birth_date", "left_on"]
    raw_id_fields = ["group"]
    search_fields = ["first_name"]


@admin.register(Guardianship)
class GuardianshipAdmin(admin.ModelAdmin):
    raw_id_fields = ["child", "guardian"]


@admin.register(ChildrenCount)
class ChildrenCountAdmin(admin.ModelAdmin):
    list_display = ["institution", "counted_on", "aged_0_2", "aged_3_5", "aged_6_plus"]
    raw_id_fields = ["institution"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = [
        "email",
        "municipality",
        "institution",
        "role",
        "municipal_role",
        "created_at",
        "accepted_at",
    ]
    raw_id_fields = ["institution", "child", "invited_by", "accepted_by"]
    readonly_fields = ["token"]
