"""Writes for competence development: plans, events and registrations, networks and
meetings, the calendar feed, and shared experiences.

Every service is keyword-only, atomic, audited, and raises ValidationError with a
Danish-translatable message when the input breaks a rule. Views call exactly one.
Services trust the caller's permission check (permissions.py) and enforce the domain's
rules themselves: who may be registered, capacity, dates.

The functions live in modules by subject and are all importable from here:
`from competence import services; services.plan_save(...)`.
"""

from .daycare_plans import (
    ACTIVITY_FIELDS,
    activity_create,
    activity_delete,
    activity_update,
    plan_for_year,
    plan_save,
)
from .events import (
    EVENT_FIELDS,
    EVENT_REMINDER_BEFORE,
    Status,
    event_create,
    event_invitations_deliver,
    event_invitations_send,
    event_invitees,
    event_reminders_send,
    event_update,
    registration_cancel,
    registration_check_in,
    registration_create,
    registration_open_error,
)
from .feed import calendar_feed_create, calendar_feed_revoke
from .meetings import (
    MEETING_FIELDS,
    MEETING_REMINDER_BEFORE,
    MINUTES_CHASED_FOR,
    MINUTES_DUE_AFTER,
    meeting_attendance_save,
    meeting_dates,
    meeting_minutes_save,
    meeting_months,
    meeting_reminders_send,
    meeting_update,
    meetings_generate,
    minutes_missing_send,
    network_people,
)
from .networks import NETWORK_FIELDS, network_create, network_update
from .posts import (
    POST_FIELDS,
    comment_create,
    comment_delete,
    post_create,
    post_delete,
    post_update,
    useful_toggle,
)

__all__ = [
    "ACTIVITY_FIELDS",
    "EVENT_FIELDS",
    "EVENT_REMINDER_BEFORE",
    "MEETING_FIELDS",
    "MEETING_REMINDER_BEFORE",
    "MINUTES_CHASED_FOR",
    "MINUTES_DUE_AFTER",
    "NETWORK_FIELDS",
    "POST_FIELDS",
    "Status",
    "activity_create",
    "activity_delete",
    "activity_update",
    "calendar_feed_create",
    "calendar_feed_revoke",
    "comment_create",
    "comment_delete",
    "event_create",
    "event_invitations_deliver",
    "event_invitations_send",
    "event_invitees",
    "event_reminders_send",
    "event_update",
    "meeting_attendance_save",
    "meeting_dates",
    "meeting_minutes_save",
    "meeting_months",
    "meeting_reminders_send",
    "meeting_update",
    "meetings_generate",
    "minutes_missing_send",
    "network_create",
    "network_people",
    "network_update",
    "plan_for_year",
    "plan_save",
    "post_create",
    "post_delete",
    "post_update",
    "registration_cancel",
    "registration_check_in",
    "registration_create",
    "registration_open_error",
    "useful_toggle",
]
