"""One call for views to log that they show or change a child's or guardian's data.

    from privacy.log import log_access
    log_access(request, children=[child], guardians=guardians, purpose=_("Child's page"))

Call it where the data is read or changed, with the people whose data the page shows.
Guardians looking at their own or their children's data are not logged (it is theirs).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import translation
from django.utils.encoding import force_str

from institutions.selectors import roles_for

from .models import PersonalDataAccess

READ = PersonalDataAccess.Action.READ
CHANGE = PersonalDataAccess.Action.CHANGE


def _role(user, institution) -> str:
    roles = roles_for(user)
    if institution is not None:
        held = roles.in_institution(institution) or roles.in_municipality(
            institution.municipality_id
        )
        if held:
            return sorted(held)[0]
    if roles.municipal_roles:
        return roles.municipal_roles[0].role
    if roles.memberships:
        return roles.memberships[0].role
    return ""


def log_access(
    request,
    *,
    purpose,
    children: Iterable = (),
    guardians: Iterable = (),
    signups: Iterable = (),
    action: str = READ,
    institution=None,
    role: str | None = None,
    reason: str = "",
) -> int:
    """Record that `request.user` read (or changed) these people's data; returns rows.

    `signups` are paper sign-ups whose child and parent are not in the register yet:
    their rows point at the sign-up until the child is registered. `role` is the role
    the person acts in when it is not one of their roles in the daycare or municipality
    (technical support); `reason` is the reason they gave for looking."""
    user = request.user
    if not user.is_authenticated:
        return 0
    children = [c for c in children if c is not None]
    guardians = [g for g in guardians if g is not None and g.pk != user.pk]
    if children:
        own = set(user.guardianships.values_list("child_id", flat=True))
        children = [c for c in children if c.pk not in own]
    signups = [s for s in signups if s is not None]
    if not children and not guardians and not signups:
        return 0
    if institution is None and children and hasattr(children[0], "group"):
        institution = children[0].group.institution
    match = getattr(request, "resolver_match", None)
    with translation.override("en"):
        # Stored as the English msgid and translated when shown, into the reader's language.
        purpose = force_str(purpose)[:200]
    common = {
        "actor": user,
        "actor_role": role if role is not None else _role(user, institution),
        "institution": institution,
        "action": action,
        "purpose": purpose,
        "reason": reason[:200],
        "view": (match.view_name if match else "")[:100],
        "path": request.path[:300],
    }
    rows = [PersonalDataAccess(child=c, **common) for c in children]
    rows += [PersonalDataAccess(guardian=g, **common) for g in guardians]
    rows += [PersonalDataAccess(signup=s, **common) for s in signups]
    PersonalDataAccess.objects.bulk_create(rows)
    return len(rows)
