"""Pages for institutions, groups, children, counts, people and invitations.

Every view starts by fetching its object through the user's scope (`visible_to`):
outsiders get 404. It then checks the role in permissions.py: 403 without it."""

from .children import (
    child_create,
    child_detail,
    children,
    children_counts,
)
from .daycare import (
    group_create,
    group_edit,
    institution_detail,
    institution_edit,
    invitation_accept,
    invitation_revoke,
    invite,
    membership_remove,
    people,
)
from .municipality import (
    import_template,
    institution_create,
    letterhead_edit,
    municipal_role_remove,
    municipality_import,
    municipality_institutions,
    municipality_people,
)

__all__ = [
    "child_create",
    "child_detail",
    "children",
    "children_counts",
    "group_create",
    "group_edit",
    "import_template",
    "institution_create",
    "institution_detail",
    "institution_edit",
    "invitation_accept",
    "invitation_revoke",
    "invite",
    "letterhead_edit",
    "membership_remove",
    "municipal_role_remove",
    "municipality_import",
    "municipality_institutions",
    "municipality_people",
    "people",
]
