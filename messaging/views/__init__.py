"""Pages for notifications, posts, conversations, closures, reach and settings.

Every view fetches through `visible_to(user)` (404 outside reach), then checks a
`can_<verb>_<object>` from permissions.py (403), then calls one service."""

from .common import (
    PAGE_SIZE,
)
from .notifications import (
    email_settings,
    notification_open,
    notifications,
    notifications_read_all,
)
from .posts import (
    feed,
    institution_posts,
    municipality_post_create,
    municipality_posts,
    photo_consent,
    post_create,
    post_detail,
    post_file,
    post_image,
    post_readers,
    post_withdraw,
    reach,
)
from .threads import (
    closure_delete,
    closures,
    inbox,
    institution_inbox,
    message_file,
    search,
    staff_compose,
    thread_detail,
    thread_start,
)

__all__ = [
    "PAGE_SIZE",
    "closure_delete",
    "closures",
    "email_settings",
    "feed",
    "inbox",
    "institution_inbox",
    "institution_posts",
    "message_file",
    "municipality_post_create",
    "municipality_posts",
    "notification_open",
    "notifications",
    "notifications_read_all",
    "photo_consent",
    "post_create",
    "post_detail",
    "post_file",
    "post_image",
    "post_readers",
    "post_withdraw",
    "reach",
    "search",
    "staff_compose",
    "thread_detail",
    "thread_start",
]
