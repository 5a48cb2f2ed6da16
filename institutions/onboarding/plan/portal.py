"""The plan being made (`Plan`: the changes, the summary, the problems) and the portal
as it is, read once in a few queries."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from ...models import Child, Group, Guardianship, Institution, Invitation, Membership
from ..check import Problem

INSTITUTION_FIELDS = (
    "kind",
    "ownership",
    "street",
    "postcode",
    "city",
    "district",
    "email",
    "phone",
)
OPS = (
    "institutions_new",
    "institutions_set",
    "institutions_close",
    "groups_new",
    "groups_set",
    "groups_close",
    "children_new",
    "children_set",
    "children_leave",
    "guardianships_new",
    "guardianships_set",
    "guardianships_remove",
    "memberships_new",
    "memberships_set",
    "memberships_remove",
    "invitations_new",
    "invitations_set",
    "invitations_revoke",
)


@dataclass
class Plan:
    ops: dict[str, list] = field(default_factory=lambda: {name: [] for name in OPS})
    summary: dict = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    # The letters of the workbook's columns, {sheet's records: {field: letter}}.
    columns: dict = field(default_factory=dict)

    @property
    def digest(self) -> str:
        text = json.dumps(self.ops, sort_keys=True, separators=(",", ":"), default=str)
        return hashlib.sha256(text.encode()).hexdigest()


def problem(plan: Plan, sheet, record: dict, column: str, message: str) -> Problem:
    """A problem found against the portal, named as the check names its own."""
    letter = plan.columns.get(sheet.records, {}).get(column, "")
    return Problem(sheet.name, message, record["row"], letter, sheet.column(column).title)


def changes_between(current: dict, wanted: dict) -> dict:
    return {name: value for name, value in wanted.items() if current.get(name) != value}


# The portal as it is --------------------------------------------------------------


@dataclass
class Portal:
    institutions: list[dict]
    groups: list[dict]
    children: list[dict]
    unkeyed_children: list[dict]
    memberships: list[dict]
    guardianships: list[dict]
    invitations: list[dict]
    guardian_users: dict[str, int]


def read_portal(municipality) -> Portal:
    institutions = list(
        Institution.objects.filter(municipality=municipality).values(
            "id", "name", "external_key", "is_active", *INSTITUTION_FIELDS
        )
    )
    groups = list(
        Group.objects.filter(institution__municipality=municipality).values(
            "id", "institution_id", "name", "kind", "is_active", "external_key"
        )
    )
    fields = (
        "id",
        "external_key",
        "group_id",
        "group__institution_id",
        "first_name",
        "last_name",
        "birth_date",
        "started_on",
    )
    children = list(
        Child.objects.filter(key_municipality=municipality, left_on=None).values(*fields)
    )
    unkeyed = list(
        Child.objects.filter(
            group__institution__municipality=municipality, left_on=None, external_key=None
        ).values(*fields)
    )
    memberships = list(
        Membership.objects.filter(institution__municipality=municipality).values(
            "id", "institution_id", "role", "external_key", "user_id", "user__email"
        )
    )
    current = {c["id"] for c in children} | {c["id"] for c in unkeyed}
    guardianships = [
        g
        for g in Guardianship.objects.filter(
            child__group__institution__municipality=municipality, child__left_on=None
        ).values("id", "child_id", "external_key", "guardian_id", "guardian__email")
        if g["child_id"] in current
    ]
    # Guardians the portal knows by their id, also through children who have left.
    guardian_users = dict(
        Guardianship.objects.filter(
            child__key_municipality=municipality, external_key__isnull=False
        )
        .order_by("created_at")
        .values_list("external_key", "guardian_id")
    )
    invitations = list(
        Invitation.objects.filter(municipality=municipality, accepted_at=None, revoked_at=None)
        .exclude(institution=None, child=None)
        .values("id", "email", "name", "institution_id", "role", "child_id", "external_key")
    )
    return Portal(
        institutions,
        groups,
        children,
        unkeyed,
        memberships,
        guardianships,
        invitations,
        guardian_users,
    )
