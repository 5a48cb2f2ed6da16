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

- `portal`: the plan being made, and the portal as it is, read in a few queries.
- `places`: daycares, groups and children.
- `people`: staff and guardians, their roles, custody and invitations.
"""

from __future__ import annotations

from .people import plan_guardians, plan_staff
from .places import plan_children, plan_daycares, plan_groups
from .portal import Plan, read_portal

__all__ = ["Plan", "plan_workbook"]


def plan_workbook(municipality, records: dict[str, list[dict]]) -> Plan:
    """What importing `records` (from check.check_workbook) into `municipality` would
    change now. `problems` lists what the portal's own data refuses (names taken by
    daycares or groups the workbook does not name, a group moved between daycares)."""
    plan = Plan(columns=records.get("columns", {}))
    portal = read_portal(municipality)
    daycares = plan_daycares(plan, portal, records["daycares"])
    groups = plan_groups(plan, portal, records["groups"], daycares)
    if plan.problems:
        return plan
    states = plan_children(plan, portal, records["children"], groups)
    plan_staff(plan, portal, records["staff"], daycares)
    plan_guardians(plan, portal, records["guardians"], states)
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
