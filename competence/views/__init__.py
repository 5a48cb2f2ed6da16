"""Pages of competence development.

Every view fetches its object through the user's scope (`visible_to`): outsiders get
404. It then checks the role in permissions.py: 403 without it. Writes go through one
service; its ValidationError is shown in the form's error summary.

The views live in modules by subject and are all importable from here, as urls.py does:
`views.event_detail`.
"""

from .daycare_plans import (
    activity_create,
    activity_delete,
    activity_edit,
    plan,
    plan_current,
    plan_edit,
)
from .events import (
    event_checkin,
    event_checkin_toggle,
    event_create,
    event_detail,
    event_edit,
    event_ics,
    event_invite,
    event_register,
    event_registrations,
    events,
    registration_cancel,
)
from .feed import calendar_feed, calendar_page, calendar_revoke
from .meetings import (
    meeting_attendance,
    meeting_detail,
    meeting_edit,
    meeting_file,
    meeting_minutes,
)
from .municipality import ambassadors, overview, plans
from .networks import network_create, network_detail, network_edit, network_generate, networks
from .posts import (
    PAGE_SIZE,
    comment_create,
    comment_delete,
    post_create,
    post_delete,
    post_detail,
    post_edit,
    post_file,
    post_useful,
    posts,
)

__all__ = [
    "PAGE_SIZE",
    "activity_create",
    "activity_delete",
    "activity_edit",
    "ambassadors",
    "calendar_feed",
    "calendar_page",
    "calendar_revoke",
    "comment_create",
    "comment_delete",
    "event_checkin",
    "event_checkin_toggle",
    "event_create",
    "event_detail",
    "event_edit",
    "event_ics",
    "event_invite",
    "event_register",
    "event_registrations",
    "events",
    "meeting_attendance",
    "meeting_detail",
    "meeting_edit",
    "meeting_file",
    "meeting_minutes",
    "network_create",
    "network_detail",
    "network_edit",
    "network_generate",
    "networks",
    "overview",
    "plan",
    "plan_current",
    "plan_edit",
    "plans",
    "post_create",
    "post_delete",
    "post_detail",
    "post_edit",
    "post_file",
    "post_useful",
    "posts",
    "registration_cancel",
]
