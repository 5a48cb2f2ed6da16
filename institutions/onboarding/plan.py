"""Compare a checked workbook with the portal: what an import would change.

Rows are matched by the municipality's own ids (`external_key`). A row without a match
may take over a row the portal already has without an id (a daycare of the same name, a
group of the same name in its daycare, a child of the same first name and birth date in
its daycare, a role or an invitation of the same e-mail address), so a municipality that
started by hand does not get everything twice. What the portal has with an id that the
workbook no longer has has left: daycares and groups close, children leave (and then
follow the retention rules), roles and custody given by a workbook end, their pending
invitations are withdrawn. What was made in the portal without an id (roles given by
invitation, goals, posts, threads) is never touched.

People are known by their id once they have accepted an invitation: a known guardian of
a new sibling, or a known member of staff in a new daycare, gets the new role at once; only
people the portal does not know yet are invited.

The plan is plain data: ids of the portal's rows and the workbook's own ids for rows that
do not exist yet. Its digest fingerprints exactly what would change, so an import goes
ahead only if the portal would still make the changes the preview showed.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _

from ..models import Child, Group, Guardianship, Institution, Invitation, Membership
from .check import Problem
from .sheets import DAYCARES, GROUPS

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


def _low(text: str) -> str:
    return " ".join(text.lower().split())


def _problem(plan: Plan, sheet, record: dict, column: str, message: str) -> Problem:
    """A problem found against the portal, named as the check names its own."""
    letter = plan.columns.get(sheet.records, {}).get(column, "")
    return Problem(sheet.name, message, record["row"], letter, sheet.column(column).title)


def _changes(current: dict, wanted: dict) -> dict:
    return {name: value for name, value in wanted.items() if current.get(name) != value}


# The portal as it is --------------------------------------------------------------


@dataclass
class _Portal:
    institutions: list[dict]
    groups: list[dict]
    children: list[dict]
    unkeyed_children: list[dict]
    memberships: list[dict]
    guardianships: list[dict]
    invitations: list[dict]
    guardian_users: dict[str, int]


def _portal(municipality) -> _Portal:
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
    return _Portal(
        institutions,
        groups,
        children,
        unkeyed,
        memberships,
        guardianships,
        invitations,
        guardian_users,
    )


# Matching, sheet by sheet -----------------------------------------------------------


def _daycares(plan: Plan, portal: _Portal, rows: list[dict]) -> dict[str, int | None]:
    """{daycare id: the institution's pk, or None for a new one}."""
    by_key = {i["external_key"]: i for i in portal.institutions if i["external_key"]}
    by_name = {_low(i["name"]): i for i in portal.institutions}
    keys = {r["key"] for r in rows}
    matched: dict[str, int | None] = {}
    taken: set[int] = set()
    summary = {"new": 0, "changed": 0, "closed": 0, "renamed": []}
    for row in rows:
        found = by_key.get(row["key"])
        if found is None:
            candidate = by_name.get(_low(row["name"]))
            if candidate is not None and candidate["external_key"] not in keys:
                found = candidate
        wanted = {"name": row["name"], "kind": row["kind"]}
        wanted.update({f: row[f] for f in INSTITUTION_FIELDS if f != "kind" and row[f]})
        if found is None:
            plan.ops["institutions_new"].append({"key": row["key"], **wanted})
            matched[row["key"]] = None
            summary["new"] += 1
            continue
        taken.add(found["id"])
        matched[row["key"]] = found["id"]
        changes = _changes(found, wanted)
        if found["external_key"] != row["key"]:
            changes["external_key"] = row["key"]
        if not found["is_active"]:
            changes["is_active"] = True
        if changes:
            plan.ops["institutions_set"].append([found["id"], changes])
            if set(changes) - {"external_key"}:
                summary["changed"] += 1
            if "name" in changes:
                summary["renamed"].append([found["name"], row["name"]])
    for institution in portal.institutions:
        closes = institution["external_key"] and institution["is_active"]
        if closes and institution["id"] not in taken:
            plan.ops["institutions_close"].append(institution["id"])
            summary["closed"] += 1
    # Names stay unique in the municipality, the ones the workbook leaves alone included.
    others = {_low(i["name"]): i["name"] for i in portal.institutions if i["id"] not in taken}
    for row in rows:
        if _low(row["name"]) in others:
            plan.problems.append(
                _problem(
                    plan,
                    DAYCARES,
                    row,
                    "name",
                    _(
                        "Another daycare in the portal is called “%(name)s”, and it is not "
                        "in the workbook (it has closed, or it was created in the portal "
                        "with another name). Give the row that daycare's id, or another name."
                    )
                    % {"name": others[_low(row["name"])]},
                )
            )
    summary["renamed"] = summary["renamed"][:50]
    plan.summary["daycares"] = summary
    return matched


def _groups(plan: Plan, portal: _Portal, rows: list[dict], daycares: dict) -> dict:
    """{group id: (the group's pk or None, the institution's pk or None)}."""
    by_key = {g["external_key"]: g for g in portal.groups if g["external_key"]}
    by_name = {(g["institution_id"], _low(g["name"])): g for g in portal.groups}
    names = {i["id"]: i["name"] for i in portal.institutions}
    keys = {r["key"] for r in rows}
    matched = {}
    taken: set[int] = set()
    summary = {"new": 0, "changed": 0, "closed": 0}
    for row in rows:
        institution = daycares[row["daycare"]]
        found = by_key.get(row["key"])
        if found is not None and found["institution_id"] != institution:
            plan.problems.append(
                _problem(
                    plan,
                    GROUPS,
                    row,
                    "daycare",
                    _(
                        "The group “%(key)s” belongs to the daycare “%(daycare)s” in the "
                        "portal. A group cannot move to another daycare: give it a new id."
                    )
                    % {"key": row["key"], "daycare": names[found["institution_id"]]},
                )
            )
            continue
        if found is None and institution is not None:
            candidate = by_name.get((institution, _low(row["name"])))
            if candidate is not None and candidate["external_key"] not in keys:
                found = candidate
        wanted = {"name": row["name"], "kind": row["kind"]}
        if found is None:
            plan.ops["groups_new"].append({"key": row["key"], "daycare": row["daycare"], **wanted})
            matched[row["key"]] = (None, institution)
            summary["new"] += 1
            continue
        taken.add(found["id"])
        matched[row["key"]] = (found["id"], institution)
        changes = _changes(found, wanted)
        if found["external_key"] != row["key"]:
            changes["external_key"] = row["key"]
        if not found["is_active"]:
            changes["is_active"] = True
        if changes:
            plan.ops["groups_set"].append([found["id"], changes])
            if set(changes) - {"external_key"}:
                summary["changed"] += 1
    for group in portal.groups:
        if group["external_key"] and group["id"] not in taken and group["is_active"]:
            plan.ops["groups_close"].append(group["id"])
            summary["closed"] += 1
    others = {(g["institution_id"], _low(g["name"])) for g in portal.groups if g["id"] not in taken}
    for row in rows:
        institution = daycares[row["daycare"]]
        if institution is not None and (institution, _low(row["name"])) in others:
            plan.problems.append(
                _problem(
                    plan,
                    GROUPS,
                    row,
                    "name",
                    _(
                        "The daycare already has a group called “%(name)s” in the portal, "
                        "which is not in the workbook. Give the row that group's id, or "
                        "another name."
                    )
                    % {"name": row["name"]},
                )
            )
    plan.summary["groups"] = summary
    return matched


@dataclass
class _ChildState:
    """Where a workbook child stands: the record that stays current (`stays`), or the
    record it leaves behind in another daycare (`leaves`), or neither (a new child)."""

    stays: int | None = None
    leaves: int | None = None


def _children(plan: Plan, portal: _Portal, rows: list[dict], daycares: dict, groups: dict):
    by_key = {c["external_key"]: c for c in portal.children}
    keys = {r["key"] for r in rows}
    claimable = defaultdict(list)
    for child in portal.unkeyed_children:
        claimable[
            (child["group__institution_id"], _low(child["first_name"]), child["birth_date"])
        ].append(child)
    for child in portal.children:
        if child["external_key"] not in keys:
            claimable[
                (child["group__institution_id"], _low(child["first_name"]), child["birth_date"])
            ].append(child)
    states: dict[str, _ChildState] = {}
    taken: set[int] = set()
    summary = {"new": 0, "changed": 0, "moved": 0, "transferred": 0, "left": 0}
    for row in rows:
        group, institution = groups[row["group"]]
        born = date.fromisoformat(row["birth_date"])
        found = by_key.get(row["key"])
        if found is None and institution is not None:
            candidates = claimable.get((institution, _low(row["first_name"]), born), [])
            candidates = [c for c in candidates if c["id"] not in taken]
            if len(candidates) == 1:
                found = candidates[0]
        wanted = {"first_name": row["first_name"], "birth_date": born}
        if row["last_name"]:
            wanted["last_name"] = row["last_name"]
        if row["started_on"]:
            wanted["started_on"] = date.fromisoformat(row["started_on"])
        if found is not None:
            taken.add(found["id"])
        if found is not None and found["group__institution_id"] != institution:
            # A move to another daycare: the old record leaves, as admissions does it.
            plan.ops["children_leave"].append(found["id"])
            states[row["key"]] = _ChildState(leaves=found["id"])
            found = None
            summary["transferred"] += 1
        elif found is None:
            summary["new"] += 1
        if found is None:
            states.setdefault(row["key"], _ChildState())
            plan.ops["children_new"].append(
                {
                    "key": row["key"],
                    "group": row["group"],
                    "first_name": row["first_name"],
                    "last_name": row["last_name"],
                    "birth_date": row["birth_date"],
                    "started_on": row["started_on"],
                }
            )
            continue
        states[row["key"]] = _ChildState(stays=found["id"])
        changes = {
            k: v.isoformat() if isinstance(v, date) else v
            for k, v in _changes(found, wanted).items()
        }
        if changes:
            summary["changed"] += 1
        if found["group_id"] != group or group is None:
            changes["group"] = row["group"]
            summary["moved"] += 1
        if found["external_key"] != row["key"]:
            changes["external_key"] = row["key"]
        if changes:
            plan.ops["children_set"].append([found["id"], changes])
    for child in portal.children:
        if child["id"] not in taken:
            plan.ops["children_leave"].append(child["id"])
            summary["left"] += 1
    plan.summary["children"] = summary
    return states


# People ------------------------------------------------------------------------------


@dataclass
class _Grant:
    """What the portal has for one grant (a role in a daycare, custody of a child):
    roles or custody held, and invitations pending."""

    held: list[dict] = field(default_factory=list)
    pending: list[dict] = field(default_factory=list)


def _people(
    plan: Plan,
    rows: list[dict],
    grant: _Grant,
    known: dict[str, int],
    *,
    holder: str,
    new_held,
    new_invitation,
    keep_held,
    keep_pending,
    counts: dict,
) -> None:
    """Match the workbook's people for one grant with what the portal has for it.

    `holder` names the user field of a held row ("user_id" or "guardian_id"). The
    callbacks say what is written for a new holder or invitation, and what becomes of a
    role or invitation the portal keeps: claimed by a workbook row (given its id), or,
    without an id, claimed by none (left alone where the grant stays, carried along where
    a child moves daycare)."""
    held_key = {h["external_key"]: h for h in grant.held if h["external_key"]}
    pending_key = {p["external_key"]: p for p in grant.pending if p["external_key"]}
    used_held: set[int] = set()
    used_pending: set[int] = set()
    rest = []
    for row in rows:
        if row["key"] in held_key:
            used_held.add(held_key[row["key"]]["id"])
            keep_held(held_key[row["key"]], row["key"])
        elif row["key"] in pending_key and pending_key[row["key"]]["email"] == row["email"]:
            invitation = pending_key[row["key"]]
            used_pending.add(invitation["id"])
            keep_pending(invitation, row)
        else:
            rest.append(row)
    for row in rest:
        user = known.get(row["key"])
        claim = next(
            (
                h
                for h in grant.held
                if h["id"] not in used_held
                and (h[holder] == user or h[f"{holder.removesuffix('_id')}__email"] == row["email"])
            ),
            None,
        )
        if claim is not None:
            used_held.add(claim["id"])
            keep_held(claim, row["key"])
            continue
        if user is not None:
            new_held(row, user)
            counts["added"] += 1
            continue
        invitation = next(
            (
                p
                for p in grant.pending
                if p["id"] not in used_pending and p["email"] == row["email"]
            ),
            None,
        )
        if invitation is not None:
            used_pending.add(invitation["id"])
            keep_pending(invitation, row)
            continue
        new_invitation(row)
    for held in grant.held:
        if held["id"] in used_held:
            continue
        if held["external_key"]:
            counts["removed_ids"].append(held["id"])
        else:
            keep_held(held, None)
    for invitation in grant.pending:
        if invitation["id"] in used_pending:
            continue
        if invitation["external_key"]:
            plan.ops["invitations_revoke"].append(invitation["id"])
        else:
            keep_pending(invitation, None)


def _staff(plan: Plan, portal: _Portal, rows: list[dict], daycares: dict) -> None:
    grants: dict[tuple, _Grant] = defaultdict(_Grant)
    for membership in portal.memberships:
        grants[(membership["institution_id"], membership["role"])].held.append(membership)
    for invitation in portal.invitations:
        if invitation["institution_id"]:
            grants[(invitation["institution_id"], invitation["role"])].pending.append(invitation)
    known: dict[str, int] = {}
    for membership in sorted(portal.memberships, key=lambda m: m["id"]):
        if membership["external_key"]:
            known[membership["external_key"]] = membership["user_id"]
    by_grant: dict[tuple, list[dict]] = defaultdict(list)
    for row in rows:
        by_grant[(row["daycare"], row["role"])].append(row)
    counts = {"added": 0, "removed_ids": []}
    done = set()
    for (daycare, role), people in by_grant.items():
        institution = daycares[daycare]
        grant = grants.get((institution, role), _Grant()) if institution else _Grant()
        done.add((institution, role))

        def rekey(held, key):
            if key is not None and held["external_key"] != key:
                plan.ops["memberships_set"].append([held["id"], key])

        def repend(invitation, row):
            if row is None:
                return
            changes = {}
            if invitation["external_key"] != row["key"]:
                changes["external_key"] = row["key"]
            if invitation["name"] != row["name"]:
                changes["name"] = row["name"]
            if changes:
                plan.ops["invitations_set"].append([invitation["id"], changes])

        _people(
            plan,
            people,
            grant,
            known,
            holder="user_id",
            new_held=lambda row, user, d=daycare, r=role: plan.ops["memberships_new"].append(
                [d, r, row["key"], user]
            ),
            new_invitation=lambda row, d=daycare, r=role: plan.ops["invitations_new"].append(
                [row["email"], row["name"], d, r, None, row["key"]]
            ),
            keep_held=rekey,
            keep_pending=repend,
            counts=counts,
        )
    # Grants the workbook no longer names at all: their roles with an id end.
    for (institution, role), grant in grants.items():
        if (institution, role) in done:
            continue
        for held in grant.held:
            if held["external_key"]:
                counts["removed_ids"].append(held["id"])
        for invitation in grant.pending:
            if invitation["external_key"]:
                plan.ops["invitations_revoke"].append(invitation["id"])
    plan.ops["memberships_remove"] = sorted(counts["removed_ids"])
    plan.summary["staff"] = {"added": counts["added"], "removed": len(counts["removed_ids"])}


def _guardians(plan: Plan, portal: _Portal, rows: list[dict], states: dict) -> None:
    grants: dict[int, _Grant] = defaultdict(_Grant)
    for guardianship in portal.guardianships:
        grants[guardianship["child_id"]].held.append(guardianship)
    for invitation in portal.invitations:
        if invitation["child_id"]:
            grants[invitation["child_id"]].pending.append(invitation)
    by_child: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        by_child[row["child"]].append(row)
    counts = {"added": 0, "removed_ids": []}
    done: set[int] = set()
    for child, people in by_child.items():
        state = states[child]
        record = state.stays or state.leaves
        grant = grants.get(record, _Grant()) if record else _Grant()
        if record:
            done.add(record)
        moving = state.stays is None  # a new record: what stays is carried over to it
        added: set[int] = set()

        def new_held(row, user, c=child, added=added):
            if user not in added:
                added.add(user)
                plan.ops["guardianships_new"].append([c, row["key"], user])

        def keep_held(held, key, c=child, moving=moving, added=added):
            if moving:
                if held["guardian_id"] not in added:
                    added.add(held["guardian_id"])
                    plan.ops["guardianships_new"].append(
                        [c, key or held["external_key"], held["guardian_id"]]
                    )
            elif key is not None and held["external_key"] != key:
                plan.ops["guardianships_set"].append([held["id"], key])

        def keep_pending(invitation, row, c=child, moving=moving):
            changes = {}
            if row is not None and invitation["external_key"] != row["key"]:
                changes["external_key"] = row["key"]
            if row is not None and invitation["name"] != row["name"]:
                changes["name"] = row["name"]
            if moving:
                changes["child"] = c
            if changes:
                plan.ops["invitations_set"].append([invitation["id"], changes])

        def invite(row, c=child):
            plan.ops["invitations_new"].append([row["email"], row["name"], None, "", c, row["key"]])

        _people(
            plan,
            people,
            grant,
            portal.guardian_users,
            holder="guardian_id",
            new_held=new_held,
            new_invitation=invite,
            keep_held=keep_held,
            keep_pending=keep_pending,
            counts=counts,
        )
        if moving and state.leaves:
            # Custody that ends with the move is not carried over; the old record keeps
            # its guardians until the retention rules remove them with it.
            counts["removed_ids"] = [
                pk for pk in counts["removed_ids"] if pk not in {h["id"] for h in grant.held}
            ]
    # Children without guardians in the workbook: custody given by a workbook ends, unless
    # the child leaves (then it stays with the record until the retention rules remove
    # both). Pending invitations go either way.
    leaving = set(plan.ops["children_leave"])
    for record, grant in grants.items():
        if record in done:
            continue
        for invitation in grant.pending:
            if invitation["external_key"]:
                plan.ops["invitations_revoke"].append(invitation["id"])
        for held in grant.held:
            if held["external_key"] and record not in leaving:
                counts["removed_ids"].append(held["id"])
    plan.ops["guardianships_remove"] = sorted(counts["removed_ids"])
    plan.summary["guardians"] = {
        "added": counts["added"],
        "removed": len(counts["removed_ids"]),
    }


# The whole plan ---------------------------------------------------------------------


def plan_workbook(municipality, records: dict[str, list[dict]]) -> Plan:
    """What importing `records` (from check.check_workbook) into `municipality` would
    change now. `problems` lists what the portal's own data refuses (names taken by
    daycares or groups the workbook does not name, a group moved between daycares)."""
    plan = Plan(columns=records.get("columns", {}))
    portal = _portal(municipality)
    daycares = _daycares(plan, portal, records["daycares"])
    groups = _groups(plan, portal, records["groups"], daycares)
    if plan.problems:
        return plan
    states = _children(plan, portal, records["children"], daycares, groups)
    _staff(plan, portal, records["staff"], daycares)
    _guardians(plan, portal, records["guardians"], states)
    for name in ("children_leave", "invitations_revoke"):
        plan.ops[name] = sorted(set(plan.ops[name]))
    plan.summary["totals"] = {
        "daycares": len(records["daycares"]),
        "groups": len(records["groups"]),
        "staff": len({r["key"] for r in records["staff"]}),
        "children": len(records["children"]),
        "guardians": len({r["key"] for r in records["guardians"]}),
    }
    staff_invitations = sum(1 for i in plan.ops["invitations_new"] if i[2] is not None)
    plan.summary["invitations"] = {
        "staff": staff_invitations,
        "guardians": len(plan.ops["invitations_new"]) - staff_invitations,
        "total": len(plan.ops["invitations_new"]),
    }
    plan.summary["withdrawn"] = len(plan.ops["invitations_revoke"])
    return plan
