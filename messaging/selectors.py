from __future__ import annotations

from django.db.models import QuerySet

from .models import Notification


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at=None).count()


def notifications_for(user) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user)
