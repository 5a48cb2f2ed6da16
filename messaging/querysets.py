"""Who reaches which posts and threads (404 outside it; roles are checked in permissions.py).

Posts:
- guardians: the posts delivered to them, once published, until they expire or are
  withdrawn (a post for another group was never delivered: not found);
- staff of the publishing institution, and of the institutions a municipal post went to;
- the municipality's administrators and consultants.

Threads:
- the guardian of the thread;
- staff of its institution (the shared inbox), except sensitive threads, which only the
  institution's leaders reach.
Municipal roles and board members do not read families' conversations.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from institutions.models import Membership, MunicipalRole
from institutions.querysets import STAFF_ROLES


class PostQuerySet(models.QuerySet):
    def published(self, now=None) -> PostQuerySet:
        now = now or timezone.now()
        return self.filter(published_at__isnull=False, withdrawn_at=None).exclude(
            expires_at__lte=now
        )

    def visible_to(self, user) -> PostQuerySet:
        if not user.is_authenticated:
            return self.none()
        from .models import PostDelivery

        now = timezone.now()
        delivered = Exists(PostDelivery.objects.filter(post=OuterRef("pk"), guardian=user)) & Q(
            Q(published_at__isnull=False, withdrawn_at=None)
            & (Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        )
        staff = Membership.objects.filter(user=user, role__in=STAFF_ROLES)
        return self.filter(
            delivered
            | Exists(staff.filter(institution=OuterRef("institution")))
            | Exists(MunicipalRole.objects.filter(user=user, municipality=OuterRef("municipality")))
            | Q(audience="institutions")
            & Exists(staff.filter(institution__received_posts=OuterRef("pk")))
            | Q(audience="municipality")
            & Exists(staff.filter(institution__municipality=OuterRef("municipality")))
        )


class ThreadQuerySet(models.QuerySet):
    def visible_to(self, user) -> ThreadQuerySet:
        if not user.is_authenticated:
            return self.none()
        staff = Membership.objects.filter(
            user=user, institution=OuterRef("institution"), role__in=STAFF_ROLES
        )
        leader = Membership.objects.filter(
            user=user, institution=OuterRef("institution"), role=Membership.Role.LEADER
        )
        return self.filter(Q(guardian=user) | Q(sensitive=False) & Exists(staff) | Exists(leader))

    def with_unread_for(self, user) -> ThreadQuerySet:
        """Annotate `unread`: a message came after this person last read the thread."""
        from .models import ThreadRead

        read = ThreadRead.objects.filter(
            thread=OuterRef("pk"), user=user, read_at__gte=OuterRef("last_message_at")
        )
        return self.annotate(unread=~Exists(read))
