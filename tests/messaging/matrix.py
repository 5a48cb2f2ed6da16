"""Authorization matrix entries for messaging (see tests/security/matrix.py).

The guardian of the world has Alma in the room Myren. The cases for a post, its readers,
photo and file point at a post for ANOTHER group (Egernet), and the cases for a thread and
its file at ANOTHER family's thread: the guardian gets 404 by every URL. That the guardian
reaches their own post and thread is tested in test_views.py.
"""

from __future__ import annotations

from datetime import date

from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from core.models import Notification
from messaging.models import (
    ClosurePeriod,
    Message,
    MessageAttachment,
    Post,
    PostAttachment,
    PostDelivery,
    PostImage,
    Thread,
)
from tests.factories import ChildFactory, GuardianshipFactory
from tests.security.matrix import (
    INSTITUTION,
    LOGGED_IN,
    LOGIN,
    MUNICIPAL_ADMIN,
    MUNICIPAL_READ,
    Case,
    at_institution,
    at_municipality,
    expect,
    plain,
    with_objects,
)

# Seen by the daycare's staff and the municipality; 404 for everybody else, the guardian
# of a child in another group included.
POST = expect(
    404, anonymous=LOGIN, staff=200, ambassador=200, leader=200, consultant=200, admin=200
)
# Another family's thread: the daycare's staff only.
THREAD = expect(404, anonymous=LOGIN, staff=200, ambassador=200, leader=200)
DAYCARE_STAFF = expect(403, **INSTITUTION, staff=200, ambassador=200, leader=200)


def _jpeg() -> ContentFile:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 30), "green").save(out, format="JPEG")
    return ContentFile(out.getvalue(), name="foto.jpg")


def extend_world(world) -> None:
    institution = world.institution
    other_room = institution.groups.exclude(pk=world.objects["room"].pk).get()
    now = timezone.now()
    other_family = GuardianshipFactory(child=ChildFactory(group=other_room, first_name="Karla"))
    post = Post.objects.create(
        municipality=world.municipality,
        institution=institution,
        audience=Post.Audience.GROUPS,
        author=world.users["staff"],
        kind=Post.Kind.PRACTICAL,
        title="Kun for Egernet",
        body="<p>Forældremøde</p>",
        publish_at=now,
        published_at=now,
    )
    post.groups.set([other_room])
    PostDelivery.objects.create(post=post, guardian=other_family.guardian, published_at=now)
    image = PostImage(post=post, description="Leg")
    image.image.save("foto.jpg", _jpeg(), save=False)
    image.thumbnail.save("thumb.jpg", _jpeg(), save=False)
    image.save()
    image.pictured.set([other_family.child])
    attachment = PostAttachment(post=post, name="plan.pdf", size=9, content_type="application/pdf")
    attachment.file.save("plan.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
    attachment.save()

    thread = Thread.objects.create(
        institution=institution,
        guardian=other_family.guardian,
        child=other_family.child,
        group=other_room,
        subject="Karla er syg",
        started_by=other_family.guardian,
        last_message_at=now,
    )
    message = Message.objects.create(thread=thread, author=other_family.guardian, body="Syg")
    file = MessageAttachment(
        message=message, name="attest.pdf", size=9, content_type="application/pdf"
    )
    file.file.save("attest.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
    file.save()
    closure = ClosurePeriod.objects.create(
        institution=institution,
        starts_on=date(2027, 7, 13),
        ends_on=date(2027, 7, 24),
        reply="Sommerferie",
    )
    world.objects.update(
        {
            "other_group_post": post,
            "other_group_image": image,
            "other_group_file": attachment,
            "other_family_thread": thread,
            "other_family_file": file,
            "closure": closure,
        }
    )


def _leaders_notification(w) -> str:
    notification = Notification.objects.create(
        recipient=w.users["leader"], kind="test", subject="Hej", key="matrix", url="/"
    )
    return reverse("messaging:notification_open", args=[notification.pk])


def _image(w) -> str:
    return reverse("messaging:post_image", args=[w.objects["other_group_image"].pk, "lille"])


CASES = {
    "messaging:notifications": Case(plain("messaging:notifications"), LOGGED_IN),
    "messaging:notification_open": Case(
        _leaders_notification, expect(404, anonymous=LOGIN, leader=302)
    ),
    "messaging:notifications_read_all": Case(
        plain("messaging:notifications_read_all"), expect(302, anonymous=LOGIN), method="post"
    ),
    "messaging:email_settings": Case(plain("messaging:email_settings"), LOGGED_IN),
    # Posts
    "messaging:feed": Case(plain("messaging:feed"), LOGGED_IN),
    "messaging:post": Case(with_objects("messaging:post", "other_group_post"), POST),
    "messaging:post_readers": Case(
        with_objects("messaging:post_readers", "other_group_post"),
        expect(
            404, anonymous=LOGIN, staff=200, ambassador=200, leader=200, consultant=403, admin=403
        ),
    ),
    "messaging:post_withdraw": Case(
        with_objects("messaging:post_withdraw", "other_group_post"),
        expect(
            404, anonymous=LOGIN, staff=302, ambassador=403, leader=302, consultant=403, admin=403
        ),
        method="post",
    ),
    "messaging:post_image": Case(_image, POST),
    "messaging:post_file": Case(with_objects("messaging:post_file", "other_group_file"), POST),
    "messaging:photo_consent": Case(
        plain("messaging:photo_consent"), expect(403, anonymous=LOGIN, guardian=200)
    ),
    "messaging:institution_posts": Case(
        at_institution("messaging:institution_posts"), DAYCARE_STAFF
    ),
    "messaging:post_create": Case(at_institution("messaging:post_create"), DAYCARE_STAFF),
    "messaging:municipality_posts": Case(
        at_municipality("messaging:municipality_posts"), MUNICIPAL_READ
    ),
    "messaging:municipality_post_create": Case(
        at_municipality("messaging:municipality_post_create"), MUNICIPAL_ADMIN
    ),
    # Conversations
    "messaging:inbox": Case(plain("messaging:inbox"), LOGGED_IN),
    "messaging:thread_start": Case(
        plain("messaging:thread_start"), expect(403, anonymous=LOGIN, guardian=200)
    ),
    "messaging:search": Case(plain("messaging:search"), LOGGED_IN),
    "messaging:thread": Case(with_objects("messaging:thread", "other_family_thread"), THREAD),
    "messaging:message_file": Case(
        with_objects("messaging:message_file", "other_family_file"), THREAD
    ),
    "messaging:institution_inbox": Case(
        at_institution("messaging:institution_inbox"), DAYCARE_STAFF
    ),
    "messaging:staff_compose": Case(at_institution("messaging:staff_compose"), DAYCARE_STAFF),
    "messaging:closures": Case(
        at_institution("messaging:closures"), expect(403, **INSTITUTION, leader=200)
    ),
    "messaging:closure_delete": Case(
        at_institution("messaging:closure_delete", "closure"),
        expect(403, **INSTITUTION, leader=302),
        method="post",
    ),
    "messaging:reach": Case(at_institution("messaging:reach"), DAYCARE_STAFF),
}
