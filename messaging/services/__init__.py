"""Writes of the messaging app: notifications and e-mail, posts, threads.

Every service is keyword-only, atomic, audited where a person changes something, and
raises ValidationError with a translatable message when the input breaks a rule.
"""

from .notifications import (
    digest_send,
    email_preferences_set,
    notification_email_send,
    notification_mark_read,
    notifications_mark_all_read,
    notifications_purge,
    unsent_email_ids,
)
from .posts import (
    photo_consent_set,
    post_create,
    post_mark_read,
    post_publish,
    post_withdraw,
    posts_due,
)
from .threads import (
    closure_create,
    closure_delete,
    message_reply,
    thread_mark_read,
    thread_start,
    threads_start_from_staff,
)

__all__ = [
    "closure_create",
    "closure_delete",
    "digest_send",
    "email_preferences_set",
    "message_reply",
    "notification_email_send",
    "notification_mark_read",
    "notifications_mark_all_read",
    "notifications_purge",
    "photo_consent_set",
    "post_create",
    "post_mark_read",
    "post_publish",
    "post_withdraw",
    "posts_due",
    "thread_mark_read",
    "thread_start",
    "threads_start_from_staff",
    "unsent_email_ids",
]
