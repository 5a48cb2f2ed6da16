"""Carry out a plan (plan.py) in the database, in bulk.

Called inside the import's transaction, with the municipality locked. The order matters
for the database's own checks: invitations are withdrawn and roles removed before new
ones are made for the same people, children leave before their moved record takes their
id, renamed daycares and groups pass through a name no one has before they take a name
another one gives up.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db.models import Exists, F, OuterRef, Value
from django.db.models.functions import Greatest
from django.utils import timezone

from ..models import (
    Child,
    Group,
    Guardianship,
    Institution,
    Invitation,
    Membership,
    Municipality,
    WorkbookImport,
)

BATCH = 2000


@dataclass
class Written:
    invitations: int = 0
    # Seconds spent writing the invitations (the rest of the import is the rows).
    invitations_seconds: float = 0.0
    # Children whose record the import created or changed, by institution: logged as
    # changes to their data.
    children: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))


def _update(model, changes: list, *, extra=None) -> None:
    """Set fields per row: [[pk, {field: value}], ...], in bulk."""
    if not changes:
        return
    objects = model.objects.in_bulk([pk for pk, _fields in changes])
    fields: set[str] = set()
    for pk, values in changes:
        obj = objects[pk]
        for name, value in values.items():
            setattr(obj, name, value)
            fields.add(name)
        if extra:
            fields |= extra(obj, values)
    model.objects.bulk_update(list(objects.values()), sorted(fields), batch_size=BATCH)


def _rename_safely(model, changes: list) -> None:
    """Names are unique (in a municipality, in a daycare): rows that swap names would
    collide halfway, so the renamed rows first take a name of their own."""
    renamed = [pk for pk, values in changes if "name" in values]
    if renamed:
        objects = list(model.objects.filter(pk__in=renamed))
        for obj in objects:
            obj.name = f"\u2060{obj.pk}\u2060"
        model.objects.bulk_update(objects, ["name"], batch_size=BATCH)


def _keyed(municipality: Municipality):
    def extra(obj, values) -> set[str]:
        if "external_key" in values:
            obj.key_municipality = municipality
            return {"key_municipality"}
        return set()

    return extra


def write(*, municipality: Municipality, ops: dict, actor, workbook: WorkbookImport) -> Written:
    today = timezone.localdate()
    now = timezone.now()
    written = Written()

    # Out first: withdrawn invitations, ended roles and custody.
    Invitation.objects.filter(pk__in=ops["invitations_revoke"]).update(revoked_at=now)
    ending = Membership.objects.filter(pk__in=ops["memberships_remove"])
    # A childminder whose role ends leaves her homes in that daycare: one update for all.
    homes_ending = ending.filter(
        role=Membership.Role.CHILDMINDER,
        institution_id=OuterRef("institution_id"),
        user_id=OuterRef("childminder_id"),
    )
    Group.objects.filter(Exists(homes_ending)).update(childminder=None)
    ending.delete()
    Guardianship.objects.filter(pk__in=ops["guardianships_remove"]).delete()

    # Daycares.
    Institution.objects.filter(pk__in=ops["institutions_close"]).update(is_active=False)
    _rename_safely(Institution, ops["institutions_set"])
    _update(Institution, ops["institutions_set"])
    Institution.objects.bulk_create(
        [
            Institution(
                municipality=municipality,
                external_key=row["key"],
                name=row["name"],
                kind=row["kind"],
                ownership=row.get("ownership") or Institution.Ownership.MUNICIPAL,
                **{f: row.get(f, "") for f in ("street", "postcode", "city", "district")},
                **{f: row.get(f, "") for f in ("email", "phone")},
            )
            for row in ops["institutions_new"]
        ],
        batch_size=BATCH,
    )
    institutions = dict(
        Institution.objects.filter(
            municipality=municipality, external_key__isnull=False
        ).values_list("external_key", "pk")
    )

    # Groups and childminder homes.
    Group.objects.filter(pk__in=ops["groups_close"]).update(is_active=False)
    _rename_safely(Group, ops["groups_set"])
    _update(Group, ops["groups_set"], extra=_keyed(municipality))
    Group.objects.bulk_create(
        [
            Group(
                institution_id=institutions[row["daycare"]],
                key_municipality=municipality,
                external_key=row["key"],
                name=row["name"],
                kind=row["kind"],
            )
            for row in ops["groups_new"]
        ],
        batch_size=BATCH,
    )
    groups = dict(
        Group.objects.filter(key_municipality=municipality).values_list("external_key", "pk")
    )
    group_institution = dict(
        Group.objects.filter(key_municipality=municipality).values_list("pk", "institution_id")
    )

    # Children: leavers first, then changes, then the new records.
    leaving = Child.objects.filter(pk__in=ops["children_leave"])
    for pk, institution_id in leaving.values_list("pk", "group__institution_id"):
        written.children[institution_id].add(pk)
    leaving.update(left_on=Greatest(Value(today), F("started_on")))
    children_set = []
    for pk, values in ops["children_set"]:
        values = dict(values)
        if "group" in values:
            values["group_id"] = groups[values.pop("group")]
        for name in ("birth_date", "started_on"):
            if name in values:
                values[name] = date.fromisoformat(values[name])
        children_set.append([pk, values])
    _update(Child, children_set, extra=_keyed(municipality))
    for pk, institution_id in Child.objects.filter(
        pk__in=[pk for pk, _values in children_set]
    ).values_list("pk", "group__institution_id"):
        written.children[institution_id].add(pk)
    created = Child.objects.bulk_create(
        [
            Child(
                group_id=groups[row["group"]],
                key_municipality=municipality,
                external_key=row["key"],
                first_name=row["first_name"],
                last_name=row["last_name"],
                birth_date=date.fromisoformat(row["birth_date"]),
                started_on=date.fromisoformat(row["started_on"]) if row["started_on"] else None,
            )
            for row in ops["children_new"]
        ],
        batch_size=BATCH,
    )
    for child in created:
        written.children[group_institution[child.group_id]].add(child.pk)
    children = dict(
        Child.objects.filter(key_municipality=municipality, left_on=None).values_list(
            "external_key", "pk"
        )
    )

    # People: custody and roles for people the portal knows, then invitations.
    _update(Guardianship, [[pk, {"external_key": key}] for pk, key in ops["guardianships_set"]])
    Guardianship.objects.bulk_create(
        [
            Guardianship(child_id=children[child], external_key=key, guardian_id=user)
            for child, key, user in ops["guardianships_new"]
        ],
        batch_size=BATCH,
    )
    _update(Membership, [[pk, {"external_key": key}] for pk, key in ops["memberships_set"]])
    Membership.objects.bulk_create(
        [
            Membership(
                institution_id=institutions[daycare], role=role, external_key=key, user_id=user
            )
            for daycare, role, key, user in ops["memberships_new"]
        ],
        batch_size=BATCH,
    )
    started = time.perf_counter()
    invitations_set = []
    for pk, values in ops["invitations_set"]:
        values = dict(values)
        if "child" in values:
            values["child_id"] = children[values.pop("child")]
        invitations_set.append([pk, values])
    _update(Invitation, invitations_set)
    expires = now + settings.INVITATION_VALID_FOR
    Invitation.objects.bulk_create(
        [
            Invitation(
                email=email,
                name=name,
                municipality=municipality,
                institution_id=institutions[daycare] if daycare else None,
                role=role,
                child_id=children[child] if child else None,
                invited_by=actor,
                language=settings.LANGUAGE_CODE,
                expires_at=expires,
                workbook=workbook,
                external_key=key,
            )
            for email, name, daycare, role, child, key in ops["invitations_new"]
        ],
        batch_size=BATCH,
    )
    written.invitations = len(ops["invitations_new"])
    written.invitations_seconds = time.perf_counter() - started
    return written
