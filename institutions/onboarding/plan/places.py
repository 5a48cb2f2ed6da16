"""Daycares, groups and children: matched by their ids, or taken over by name where the
portal has them without one; what the workbook no longer has closes or leaves."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from ..sheets import DAYCARES, GROUPS, norm
from .portal import INSTITUTION_FIELDS, Plan, Portal, changes_between, problem


def plan_daycares(plan: Plan, portal: Portal, rows: list[dict]) -> dict[str, int | None]:
    """{daycare id: the institution's pk, or None for a new one}."""
    by_key = {i["external_key"]: i for i in portal.institutions if i["external_key"]}
    by_name = {norm(i["name"]): i for i in portal.institutions}
    keys = {r["key"] for r in rows}
    matched: dict[str, int | None] = {}
    taken: set[int] = set()
    summary = {"new": 0, "changed": 0, "closed": 0, "renamed": []}
    for row in rows:
        found = by_key.get(row["key"])
        if found is None:
            candidate = by_name.get(norm(row["name"]))
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
        changes = changes_between(found, wanted)
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
    others = {norm(i["name"]): i["name"] for i in portal.institutions if i["id"] not in taken}
    for row in rows:
        if norm(row["name"]) in others:
            plan.problems.append(
                problem(
                    plan,
                    DAYCARES,
                    row,
                    "name",
                    _(
                        "Another daycare in the portal is called “%(name)s”, and it is not "
                        "in the workbook (it has closed, or it was created in the portal "
                        "with another name). Give the row that daycare's id, or another name."
                    )
                    % {"name": others[norm(row["name"])]},
                )
            )
    summary["renamed"] = summary["renamed"][:50]
    plan.summary["daycares"] = summary
    return matched


def plan_groups(plan: Plan, portal: Portal, rows: list[dict], daycares: dict) -> dict:
    """{group id: (the group's pk or None, the institution's pk or None)}."""
    by_key = {g["external_key"]: g for g in portal.groups if g["external_key"]}
    by_name = {(g["institution_id"], norm(g["name"])): g for g in portal.groups}
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
                problem(
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
            candidate = by_name.get((institution, norm(row["name"])))
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
        changes = changes_between(found, wanted)
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
    others = {(g["institution_id"], norm(g["name"])) for g in portal.groups if g["id"] not in taken}
    for row in rows:
        institution = daycares[row["daycare"]]
        if institution is not None and (institution, norm(row["name"])) in others:
            plan.problems.append(
                problem(
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


def plan_children(plan: Plan, portal: Portal, rows: list[dict], groups: dict) -> dict:
    """{child id: where it stands (`_ChildState`)}; `groups` as `plan_groups` gives them."""
    by_key = {c["external_key"]: c for c in portal.children}
    keys = {r["key"] for r in rows}
    claimable = defaultdict(list)
    for child in portal.unkeyed_children:
        claimable[
            (child["group__institution_id"], norm(child["first_name"]), child["birth_date"])
        ].append(child)
    for child in portal.children:
        if child["external_key"] not in keys:
            claimable[
                (child["group__institution_id"], norm(child["first_name"]), child["birth_date"])
            ].append(child)
    states: dict[str, _ChildState] = {}
    taken: set[int] = set()
    summary = {"new": 0, "changed": 0, "moved": 0, "transferred": 0, "left": 0}
    for row in rows:
        group, institution = groups[row["group"]]
        born = date.fromisoformat(row["birth_date"])
        found = by_key.get(row["key"])
        if found is None and institution is not None:
            candidates = claimable.get((institution, norm(row["first_name"]), born), [])
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
            for k, v in changes_between(found, wanted).items()
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
