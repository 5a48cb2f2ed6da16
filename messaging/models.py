"""Messaging: posts to families, two-way threads. (Notifications, for every app, are on
the ground floor: core/models.py.)

Posts reach guardians through one PostDelivery row per guardian, written in bulk by a
task when the post is published: the feed reads those rows, so a family keeps what it
received when a child moves on. Threads belong to one institution's shared inbox and
one guardian; guardians never share a thread with another family.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import ArrayField, DateRangeField, RangeOperators
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.db.models import F, Func, Q
from django.utils.translation import gettext_lazy as _

from core.curriculum import Theme as CurriculumTheme

from .querysets import PostQuerySet, ThreadQuerySet


def _upload_path(prefix: str, filename: str) -> str:
    # Random names: the stored name says nothing about the child or the family.
    extension = filename.rsplit(".", 1)[-1].lower()[:8] if "." in filename else "bin"
    return f"messaging/{prefix}/{uuid.uuid4().hex}.{extension}"


def post_image_path(instance, filename: str) -> str:
    return _upload_path("images", filename)


def post_file_path(instance, filename: str) -> str:
    return _upload_path("files", filename)


def message_file_path(instance, filename: str) -> str:
    return _upload_path("messages", filename)


class Post(models.Model):
    class Audience(models.TextChoices):
        INSTITUTION = "institution", _("The whole institution")
        GROUPS = "groups", _("Chosen groups")
        MUNICIPALITY = "municipality", _("Every institution in the municipality")
        INSTITUTIONS = "institutions", _("Chosen institutions")

    class Kind(models.TextChoices):
        PRACTICAL = "practical", _("Practical information")
        INSIGHT = "insight", _("Insight into our pedagogical work")

    municipality = models.ForeignKey(
        "institutions.Municipality", on_delete=models.CASCADE, related_name="posts"
    )
    # The institution that publishes (null for the municipality's own posts).
    institution = models.ForeignKey(
        "institutions.Institution",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="posts",
    )
    audience = models.CharField(_("to"), max_length=20, choices=Audience.choices)
    groups = models.ManyToManyField(
        "institutions.Group", blank=True, related_name="posts", verbose_name=_("groups")
    )
    institutions = models.ManyToManyField(
        "institutions.Institution",
        blank=True,
        related_name="received_posts",
        verbose_name=_("institutions"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="posts"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    themes = ArrayField(
        models.CharField(max_length=20, choices=CurriculumTheme.choices),
        default=list,
        blank=True,
        verbose_name=_("curriculum themes"),
    )
    title = models.CharField(_("title"), max_length=200)
    # Sanitised HTML (see messaging/sanitize.py): only ever stored cleaned.
    body = models.TextField(_("text"))
    important = models.BooleanField(_("important"), default=False)
    publish_at = models.DateTimeField(_("publish"))
    expires_at = models.DateTimeField(_("remove from the feed"), null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PostQuerySet.as_manager()

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        ordering = ["-publish_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(audience__in=["institution", "groups", "municipality", "institutions"]),
                name="post_audience_valid",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["practical", "insight"]), name="post_kind_valid"
            ),
            # An institution's post goes to the institution or its groups; the
            # municipality's to all or chosen institutions.
            models.CheckConstraint(
                condition=Q(institution__isnull=False, audience__in=["institution", "groups"])
                | Q(institution__isnull=True, audience__in=["municipality", "institutions"]),
                name="post_audience_fits_publisher",
            ),
            models.CheckConstraint(
                condition=Q(expires_at__isnull=True) | Q(expires_at__gt=F("publish_at")),
                name="post_expires_after_publishing",
            ),
        ]
        indexes = [
            models.Index(fields=["institution", "-publish_at"], name="post_institution_recent_idx"),
            models.Index(
                fields=["publish_at"], condition=Q(published_at=None), name="post_due_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def theme_labels(self) -> list[str]:
        return [CurriculumTheme(t).label for t in self.themes if t in CurriculumTheme.values]


class PostDelivery(models.Model):
    """A post in one guardian's feed, with that guardian's read receipt."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="deliveries")
    guardian = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="post_deliveries"
    )
    # Copied from the post so "newest first for this family" is one index scan.
    published_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "guardian"], name="post_delivery_once"),
        ]
        indexes = [
            models.Index(fields=["guardian", "-published_at", "-id"], name="delivery_feed_idx"),
            models.Index(fields=["guardian", "-read_at"], name="delivery_last_read_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.post_id} → {self.guardian_id}"


class PostImage(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(upload_to=post_image_path, width_field="width", height_field="height")
    thumbnail = models.ImageField(upload_to=post_image_path)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    description = models.CharField(_("image description"), max_length=200)
    # The children in the photo: it is shown to guardians only if all of theirs consented.
    pictured = models.ManyToManyField(
        "institutions.Child", blank=True, related_name="pictured_in", verbose_name=_("pictured")
    )

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.description


class PostAttachment(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=post_file_path)
    name = models.CharField(max_length=200)
    size = models.PositiveIntegerField()
    content_type = models.CharField(max_length=100)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class PhotoConsent(models.Model):
    """One guardian's consent to photos of one child being shown to other families."""

    child = models.ForeignKey(
        "institutions.Child", on_delete=models.CASCADE, related_name="photo_consents"
    )
    guardian = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="photo_consents"
    )
    consented = models.BooleanField()
    decided_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["child", "guardian"], name="photo_consent_once"),
        ]

    def __str__(self) -> str:
        return f"{self.child_id}/{self.guardian_id}: {self.consented}"


class ClosurePeriod(models.Model):
    """Days an institution is closed (holidays); messages then get an automatic reply."""

    institution = models.ForeignKey(
        "institutions.Institution", on_delete=models.CASCADE, related_name="closures"
    )
    starts_on = models.DateField(_("first closed day"))
    ends_on = models.DateField(_("last closed day"))
    reply = models.TextField(
        _("automatic reply"),
        help_text=_("Sent once per conversation to guardians who write while you are closed."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("closure period")
        verbose_name_plural = _("closure periods")
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="closure_ends_after_start"
            ),
            # Two closures of one institution never overlap.
            ExclusionConstraint(
                name="closure_no_overlap",
                expressions=[
                    ("institution", RangeOperators.EQUAL),
                    (
                        Func(
                            F("starts_on"),
                            F("ends_on"),
                            models.Value("[]"),
                            function="daterange",
                            output_field=DateRangeField(),
                        ),
                        RangeOperators.OVERLAPS,
                    ),
                ],
            ),
        ]

    def __str__(self) -> str:
        return f"{self.institution_id}: {self.starts_on}–{self.ends_on}"


class Thread(models.Model):
    """A conversation between one guardian and an institution's staff."""

    class To(models.TextChoices):
        GROUP = "group", _("The staff of the group")
        LEADER = "leader", _("The leader")

    institution = models.ForeignKey(
        "institutions.Institution", on_delete=models.PROTECT, related_name="threads"
    )
    guardian = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="guardian_threads"
    )
    child = models.ForeignKey(
        "institutions.Child",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="threads",
    )
    group = models.ForeignKey(
        "institutions.Group",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="threads",
    )
    to = models.CharField(max_length=10, choices=To.choices, default=To.GROUP)
    subject = models.CharField(_("subject"), max_length=200)
    # Only the leader (and the guardian) can read a sensitive thread.
    sensitive = models.BooleanField(_("sensitive"), default=False)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_message_at = models.DateTimeField()
    # The last staff reply: "answered by" in the shared inbox.
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    awaiting_staff = models.BooleanField(default=False)

    objects = ThreadQuerySet.as_manager()

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        ordering = ["-last_message_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(to__in=["group", "leader"]), name="thread_to_valid"),
            # A sensitive conversation goes to the leader only.
            models.CheckConstraint(
                condition=Q(sensitive=False) | Q(to="leader"), name="thread_sensitive_to_leader"
            ),
        ]
        indexes = [
            models.Index(
                fields=["guardian", "-last_message_at", "-id"], name="thread_family_recent_idx"
            ),
            models.Index(
                fields=["institution", "-last_message_at", "-id"], name="thread_inbox_recent_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.subject


class Message(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="messages")
    # Null for the automatic reply sent while the institution is closed.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField(_("message"))
    from_staff = models.BooleanField(default=False)
    closure = models.ForeignKey(
        ClosurePeriod, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    search = models.GeneratedField(
        expression=SearchVector("body", config="danish"),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            # The automatic reply is sent once per conversation and closure.
            models.UniqueConstraint(
                fields=["thread", "closure"],
                condition=Q(closure__isnull=False),
                name="message_one_auto_reply_per_closure",
            ),
        ]
        indexes = [
            models.Index(fields=["thread", "created_at"], name="message_thread_idx"),
            GinIndex(fields=["search"], name="message_search_idx"),
        ]

    def __str__(self) -> str:
        return self.body[:60]

    @property
    def is_automatic(self) -> bool:
        return self.author_id is None


class MessageAttachment(models.Model):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=message_file_path)
    name = models.CharField(max_length=200)
    size = models.PositiveIntegerField()
    content_type = models.CharField(max_length=100)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class ThreadRead(models.Model):
    """When one person last read a thread: unread when a message came after."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="thread_reads"
    )
    read_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["thread", "user"], name="thread_read_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.thread_id}"
