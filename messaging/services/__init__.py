"""Writes of the messaging app: posts and threads (notifications: core/notifications.py).

Every service is keyword-only, atomic, audited where a person changes something, and
raises ValidationError with a translatable message when the input breaks a rule.
"""

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
    "message_reply",
    "photo_consent_set",
    "post_create",
    "post_mark_read",
    "post_publish",
    "post_withdraw",
    "posts_due",
    "thread_mark_read",
    "thread_start",
    "threads_start_from_staff",
]
