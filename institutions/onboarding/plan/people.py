"""Staff and guardians: a role in a daycare or custody of a child, held or invited to;
people the portal knows get the role at once, the others an invitation."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from .portal import Plan, Portal


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


def plan_staff(plan: Plan, portal: Portal, rows: list[dict], daycares: dict) -> None:
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


def plan_guardians(plan: Plan, portal: Portal, rows: list[dict], states: dict) -> None:
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
