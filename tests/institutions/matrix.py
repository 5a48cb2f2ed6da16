"""Authorization matrix entries for the institutions app (see tests/security/matrix.py)."""

from django.urls import reverse
from django.utils import timezone

from institutions.models import WorkbookImport
from tests.security.matrix import (
    EVERYONE,
    INSTITUTION,
    LOGIN,
    MUNICIPAL_ADMIN,
    MUNICIPAL_READ,
    Case,
    at_institution,
    at_municipality,
    expect,
)


def _invitation_link(w) -> str:
    return reverse("institutions:invitation_accept", args=[w.objects["invitation"].token])


def extend_world(world) -> None:
    # An imported workbook: importing it again is refused, so POST answers with a redirect
    # and changes nothing.
    now = timezone.now()
    world.objects["workbook"] = WorkbookImport.objects.create(
        municipality=world.municipality,
        uploaded_by=world.user("admin"),
        file_name="kommunen.xlsx",
        file_sha256="0" * 64,
        state=WorkbookImport.State.IMPORTED,
        summary=EMPTY_SUMMARY,
        digest="0" * 64,
        expires_at=now,
        imported_at=now,
        imported_by=world.user("admin"),
    )


EMPTY_SUMMARY = {
    "daycares": {"new": 0, "changed": 0, "closed": 0, "renamed": []},
    "groups": {"new": 0, "changed": 0, "closed": 0},
    "children": {"new": 0, "changed": 0, "moved": 0, "transferred": 0, "left": 0},
    "staff": {"added": 0, "removed": 0},
    "guardians": {"added": 0, "removed": 0},
    "totals": {"daycares": 0, "groups": 0, "staff": 0, "children": 0, "guardians": 0},
    "invitations": {"staff": 0, "guardians": 0, "total": 0},
    "withdrawn": 0,
}

CASES = {
    # The municipality
    "institutions:municipality": Case(at_municipality("institutions:municipality"), MUNICIPAL_READ),
    "institutions:create": Case(at_municipality("institutions:create"), MUNICIPAL_ADMIN),
    "institutions:municipality_people": Case(
        at_municipality("institutions:municipality_people"), MUNICIPAL_ADMIN
    ),
    "institutions:municipal_role_remove": Case(
        at_municipality("institutions:municipal_role_remove", "consultant_role"),
        expect(403, anonymous=LOGIN, admin=302, other_admin=404),
        method="post",
    ),
    "institutions:letterhead": Case(at_municipality("institutions:letterhead"), MUNICIPAL_ADMIN),
    "institutions:municipality_import": Case(
        at_municipality("institutions:municipality_import"), MUNICIPAL_ADMIN
    ),
    "institutions:import_template": Case(
        at_municipality("institutions:import_template", "institutions"), MUNICIPAL_ADMIN
    ),
    # The onboarding workbook: the municipality's administrators only.
    "institutions:workbook": Case(at_municipality("institutions:workbook"), MUNICIPAL_ADMIN),
    "institutions:workbook_template": Case(
        at_municipality("institutions:workbook_template"), MUNICIPAL_ADMIN
    ),
    "institutions:workbook_import": Case(
        at_municipality("institutions:workbook_import", "workbook"), MUNICIPAL_ADMIN
    ),
    "institutions:workbook_commit": Case(
        at_municipality("institutions:workbook_commit", "workbook"),
        expect(403, anonymous=LOGIN, admin=302, other_admin=404),
        method="post",
    ),
    "institutions:workbook_progress": Case(
        at_municipality("institutions:workbook_progress", "workbook"), MUNICIPAL_ADMIN
    ),
    # One institution
    "institutions:detail": Case(
        at_institution("institutions:detail"),
        expect(
            403,
            **INSTITUTION,
            board_member=200,
            staff=200,
            ambassador=200,
            leader=200,
            consultant=200,
            admin=200,
        ),
    ),
    "institutions:edit": Case(
        at_institution("institutions:edit"), expect(403, **INSTITUTION, admin=200)
    ),
    "institutions:group_create": Case(
        at_institution("institutions:group_create"),
        expect(403, **INSTITUTION, leader=200, admin=200),
    ),
    "institutions:group_edit": Case(
        at_institution("institutions:group_edit", "room"),
        expect(403, **INSTITUTION, leader=200, admin=200),
    ),
    "institutions:people": Case(
        at_institution("institutions:people"),
        expect(
            403, **INSTITUTION, staff=200, ambassador=200, leader=200, consultant=200, admin=200
        ),
    ),
    "institutions:invite": Case(
        at_institution("institutions:invite"), expect(403, **INSTITUTION, leader=200, admin=200)
    ),
    "institutions:membership_remove": Case(
        at_institution("institutions:membership_remove", "staff_membership"),
        expect(403, **INSTITUTION, leader=302, admin=302),
        method="post",
    ),
    "institutions:invitation_revoke": Case(
        at_institution("institutions:invitation_revoke", "invitation"),
        expect(403, **INSTITUTION, leader=302, admin=302),
        method="post",
    ),
    "institutions:children": Case(
        at_institution("institutions:children"),
        expect(403, **INSTITUTION, staff=200, ambassador=200, leader=200),
    ),
    "institutions:child_create": Case(
        at_institution("institutions:child_create"), expect(403, **INSTITUTION, leader=200)
    ),
    "institutions:child": Case(
        at_institution("institutions:child", "child"),
        expect(403, **INSTITUTION, staff=200, ambassador=200, leader=200),
    ),
    "institutions:counts": Case(
        at_institution("institutions:counts"),
        expect(403, **INSTITUTION, leader=200, consultant=200, admin=200),
    ),
    "institutions:invitation_accept": Case(_invitation_link, EVERYONE),
}
