"""Posts: writing one, publishing it to every guardian it is for, receipts, consent."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit
from core.notify import notify
from core.queue import enqueue
from core.uploads import DOCUMENT, IMAGE, TEXT, Upload, check_upload, check_uploads, resized
from institutions.models import Child, Group, Guardianship, Institution, Municipality

from ..models import CurriculumTheme, PhotoConsent, Post, PostAttachment, PostDelivery, PostImage
from ..sanitize import clean_html, plain_text

DELIVERY_BATCH = 10_000
# A post's photo is shown at most this large in the feed, and as a thumbnail in lists.
FULL_SIDE = 1600
THUMBNAIL_SIDE = 480
# What may be attached to a post or a message.
ATTACHMENT_KINDS = (IMAGE, DOCUMENT, TEXT)


@dataclass
class ImageUpload:
    file: object
    description: str
    pictured: Sequence[Child] = field(default_factory=list)


def store_photo(image: PostImage, photo: Upload) -> None:
    """Save a checked photo (already without metadata) in its two sizes."""
    full = resized(photo, FULL_SIDE)
    image.image.save(full.name, full, save=False)
    thumbnail = resized(photo, THUMBNAIL_SIDE)
    image.thumbnail.save(thumbnail.name, thumbnail, save=False)
    image.save()


def _check_post(
    *,
    kind: str,
    themes: Sequence[str],
    title: str,
    body: str,
    publish_at: datetime,
    expires_at: datetime | None,
) -> None:
    if kind not in Post.Kind.values:
        raise ValidationError(_("Choose what kind of post this is."))
    if any(theme not in CurriculumTheme.values for theme in themes):
        raise ValidationError(_("Choose curriculum themes from the list."))
    if kind == Post.Kind.INSIGHT and not themes:
        raise ValidationError(
            _("A post with insight into the pedagogical work names at least one curriculum theme.")
        )
    if not title.strip():
        raise ValidationError(_("Write a title."))
    if not plain_text(body):
        raise ValidationError(_("Write the text of the post."))
    if expires_at is not None and expires_at <= publish_at:
        raise ValidationError(_("A post must be removed from the feed after it is published."))


@transaction.atomic
def post_create(
    *,
    actor,
    municipality: Municipality,
    institution: Institution | None,
    audience: str,
    kind: str,
    title: str,
    body: str,
    themes: Sequence[str] = (),
    groups: Iterable[Group] = (),
    institutions: Iterable[Institution] = (),
    important: bool = False,
    publish_at: datetime | None = None,
    expires_at: datetime | None = None,
    images: Sequence[ImageUpload] = (),
    files: Sequence = (),
) -> Post:
    """Write a post. It is published to its guardians by a task, now or at `publish_at`.

    The text is sanitised, images re-encoded (core.uploads) and files checked before
    anything is stored; a pictured child must belong to the publishing institution.
    """
    now = timezone.now()
    publish_at = max(publish_at or now, now)
    cleaned = clean_html(body)
    _check_post(
        kind=kind,
        themes=themes,
        title=title,
        body=cleaned,
        publish_at=publish_at,
        expires_at=expires_at,
    )
    groups, institutions = list(groups), list(institutions)
    if institution is not None:
        if institution.municipality_id != municipality.pk:
            raise ValidationError(_("The institution is not in this municipality."))
        if audience == Post.Audience.GROUPS:
            if not groups:
                raise ValidationError(_("Choose at least one group."))
            if any(g.institution_id != institution.pk for g in groups):
                raise ValidationError(_("A post can only go to the institution's own groups."))
        elif audience != Post.Audience.INSTITUTION:
            raise ValidationError(_("Choose who the post is for."))
    else:
        if audience == Post.Audience.INSTITUTIONS:
            if not institutions:
                raise ValidationError(_("Choose at least one institution."))
            if any(i.municipality_id != municipality.pk for i in institutions):
                raise ValidationError(_("A post can only go to the municipality's institutions."))
        elif audience != Post.Audience.MUNICIPALITY:
            raise ValidationError(_("Choose who the post is for."))
        if any(image.pictured for image in images):
            raise ValidationError(_("Only an institution's own posts can name pictured children."))
    prepared = []
    for image in images:
        pictured = list(image.pictured)
        if institution is not None and any(
            c.group.institution_id != institution.pk for c in pictured
        ):
            raise ValidationError(_("A pictured child must be a child of the institution."))
        if not image.description.strip():
            raise ValidationError(_("Describe each image for those who cannot see it."))
        photo = check_upload(image.file, accept=(IMAGE,))
        prepared.append((photo, image.description.strip(), pictured))
    checked_files = check_uploads(files, accept=ATTACHMENT_KINDS)

    post = Post.objects.create(
        municipality=municipality,
        institution=institution,
        audience=audience,
        author=actor,
        kind=kind,
        themes=list(themes),
        title=title.strip(),
        body=cleaned,
        important=important,
        publish_at=publish_at,
        expires_at=expires_at,
    )
    if audience == Post.Audience.GROUPS:
        post.groups.set(groups)
    if audience == Post.Audience.INSTITUTIONS:
        post.institutions.set(institutions)
    for photo, description, pictured in prepared:
        image = PostImage(post=post, description=description)
        store_photo(image, photo)
        image.pictured.set(pictured)
    for upload in checked_files:
        attachment = PostAttachment(
            post=post, name=upload.name, size=upload.size, content_type=upload.content_type
        )
        attachment.file.save(upload.name, upload.content, save=False)
        attachment.save()
    audit(
        actor=actor,
        action="post.created",
        obj=post,
        municipality=municipality,
        institution=institution,
        summary=post.title,
        changes={"audience": audience, "publish_at": publish_at.isoformat()},
    )
    if publish_at <= now:
        enqueue("messaging.publish_post", post.pk)
    return post


def audience_guardian_ids(post: Post) -> list[int]:
    """Every guardian of a current child the post is for (one query)."""
    children = Child.objects.current()
    if post.audience == Post.Audience.INSTITUTION:
        children = children.filter(group__institution_id=post.institution_id)
    elif post.audience == Post.Audience.GROUPS:
        children = children.filter(group__in=post.groups.all())
    elif post.audience == Post.Audience.INSTITUTIONS:
        children = children.filter(group__institution__in=post.institutions.all())
    else:
        children = children.filter(group__institution__municipality_id=post.municipality_id)
    return list(
        Guardianship.objects.filter(child__in=children, guardian__is_active=True)
        .order_by("guardian_id")
        .values_list("guardian_id", flat=True)
        .distinct()
    )


def _insert_deliveries(post_id: int, guardian_ids: list[int], published_at: datetime) -> None:
    """One statement per DELIVERY_BATCH guardians, without building a model object each;
    a delivery already there (a concurrent run) is skipped."""
    table = PostDelivery._meta.db_table
    with connection.cursor() as cursor:
        for start in range(0, len(guardian_ids), DELIVERY_BATCH):
            cursor.execute(
                f"INSERT INTO {table} (post_id, guardian_id, published_at) "
                "SELECT %s, unnest(%s::bigint[]), %s ON CONFLICT DO NOTHING",
                [post_id, guardian_ids[start : start + DELIVERY_BATCH], published_at],
            )


def post_publish(*, post_id: int) -> int:
    """Put a due post in the feed of every guardian it is for, and tell them.

    Deliveries are bulk-inserted (a post to 10,000 guardians is a handful of statements)
    and unique per (post, guardian), so a second run adds nobody twice; notify() keys
    the notification by post. Returns how many guardians received it in this run.
    """
    from accounts.models import User

    with transaction.atomic():
        post = (
            Post.objects.select_for_update(of=("self",))
            .select_related("institution", "municipality")
            .filter(pk=post_id)
            .first()
        )
        if post is None or post.withdrawn_at or post.publish_at > timezone.now():
            return 0
        published_at = post.published_at or post.publish_at
        guardian_ids = audience_guardian_ids(post)
        already = set(PostDelivery.objects.filter(post=post).values_list("guardian_id", flat=True))
        new_ids = [pk for pk in guardian_ids if pk not in already]
        _insert_deliveries(post.pk, new_ids, published_at)
        if post.published_at is None:
            post.published_at = published_at
            post.save(update_fields=["published_at"])
        if new_ids:
            notify(
                recipients=User.objects.filter(pk__in=new_ids).only(
                    "id", "email", "name", "language", "is_active"
                ),
                kind="messaging.post",
                template="messaging/notifications/post",
                context={
                    "post": post,
                    "publisher": post.institution or post.municipality,
                    "text": plain_text(post.body),
                },
                url=reverse("messaging:post", args=[post.pk]),
                key=f"post-{post.pk}",
                urgent=post.important,
            )
    return len(new_ids)


def posts_due(*, now=None) -> list[int]:
    """Scheduled posts whose time has come and that are not yet published."""
    now = now or timezone.now()
    return list(
        Post.objects.filter(published_at=None, withdrawn_at=None, publish_at__lte=now)
        .order_by("publish_at")
        .values_list("id", flat=True)
    )


@transaction.atomic
def post_withdraw(*, actor, post: Post) -> None:
    post = Post.objects.select_for_update().get(pk=post.pk)
    if post.withdrawn_at:
        return
    post.withdrawn_at = timezone.now()
    post.save(update_fields=["withdrawn_at"])
    audit(
        actor=actor,
        action="post.withdrawn",
        obj=post,
        municipality=post.municipality,
        institution=post.institution,
        summary=post.title,
    )


def post_mark_read(*, user, post: Post) -> bool:
    """Record that `user` read `post` (their receipt). True the first time."""
    return bool(
        PostDelivery.objects.filter(post=post, guardian=user, read_at=None).update(
            read_at=timezone.now()
        )
    )


@transaction.atomic
def photo_consent_set(*, guardian, child: Child, consented: bool) -> PhotoConsent:
    """A guardian gives or withdraws consent to photos of their child being shown."""
    if not Guardianship.objects.filter(guardian=guardian, child=child).exists():
        raise ValidationError(_("You can only decide for your own children."))
    consent, _created = PhotoConsent.objects.update_or_create(
        child=child, guardian=guardian, defaults={"consented": consented}
    )
    audit(
        actor=guardian,
        action="photo_consent.given" if consented else "photo_consent.withdrawn",
        obj=child,
        institution=child.group.institution,
        summary=child.first_name,
    )
    return consent
