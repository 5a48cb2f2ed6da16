"""The user's personal calendar feed: creating and revoking its secret address."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from core.audit import audit

from ..models import CalendarFeed


@transaction.atomic
def calendar_feed_create(*, user: User) -> CalendarFeed:
    """A new secret feed address; the previous one (if any) stops working."""
    User.objects.select_for_update().filter(pk=user.pk).first()
    now = timezone.now()
    revoked = CalendarFeed.objects.filter(user=user, revoked_at=None).update(revoked_at=now)
    feed = CalendarFeed.objects.create(user=user)
    audit(
        actor=user,
        action="calendar_feed.renewed" if revoked else "calendar_feed.created",
        obj=feed,
        summary=user.email,
    )
    return feed


@transaction.atomic
def calendar_feed_revoke(*, user: User) -> int:
    revoked = CalendarFeed.objects.filter(user=user, revoked_at=None).update(
        revoked_at=timezone.now()
    )
    if revoked:
        audit(actor=user, action="calendar_feed.revoked", summary=user.email)
    return revoked
