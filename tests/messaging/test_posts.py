"""Posts: writing (sanitised text, checked and re-encoded images, files), publishing to the
right guardians in bulk, read receipts, photo consent, scheduling, expiry, withdrawal."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from PIL import Image

from core.models import AuditEntry, Notification
from institutions.models import Institution
from messaging import selectors, services
from messaging.models import Post, PostDelivery
from messaging.services.posts import ImageUpload
from messaging.tasks import publish_due_posts
from tests.factories import ChildFactory, GroupFactory, GuardianshipFactory, InstitutionFactory
from tests.messaging.helpers import jpeg, pdf, state

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def write(family, *, by=None, audience=Post.Audience.GROUPS, groups=None, **fields):
    values = {
        "actor": by or family.staff,
        "municipality": family.daycare.municipality,
        "institution": family.daycare,
        "audience": audience,
        "kind": Post.Kind.PRACTICAL,
        "title": "Skovtur på fredag",
        "body": "Husk gummistøvler.",
        "groups": [family.room] if groups is None and audience == "groups" else groups or [],
    }
    values.update(fields)
    return services.post_create(**values)


def test_a_post_to_a_group_reaches_only_that_groups_guardians_and_tells_them(
    family, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post = write(family)

    post.refresh_from_db()
    assert post.published_at is not None
    assert set(post.deliveries.values_list("guardian", flat=True)) == {family.guardian.pk}
    notification = Notification.objects.get(recipient=family.guardian, kind="messaging.post")
    assert notification.subject == "Skovtur på fredag (Solstrålen)"
    assert "Husk gummistøvler." in notification.body
    assert notification.url == f"/opslag/{post.pk}/"
    assert not Notification.objects.filter(recipient=family.neighbour_guardian).exists()
    entry = AuditEntry.objects.get(action="post.created")
    assert (entry.actor, entry.institution) == (family.staff, family.daycare)


def test_a_post_to_the_institution_reaches_every_group_but_not_other_institutions(
    family, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post = write(family, audience=Post.Audience.INSTITUTION)

    assert set(post.deliveries.values_list("guardian", flat=True)) == {
        family.guardian.pk,
        family.neighbour_guardian.pk,
    }


def test_a_municipal_post_reaches_every_family_in_the_municipality_and_no_other(
    family, world, django_capture_on_commit_callbacks
):
    foreign_guardian = GuardianshipFactory(child=world.objects["foreign_child"]).guardian
    with django_capture_on_commit_callbacks(execute=True):
        post = services.post_create(
            actor=world.users["admin"],
            municipality=world.municipality,
            institution=None,
            audience=Post.Audience.MUNICIPALITY,
            kind=Post.Kind.PRACTICAL,
            title="Ny portal",
            body="Al skriftlig kommunikation foregår nu her.",
        )

    reached = set(post.deliveries.values_list("guardian", flat=True))
    assert {family.guardian.pk, family.neighbour_guardian.pk} <= reached
    assert foreign_guardian.pk not in reached


def test_a_post_to_chosen_institutions_reaches_only_them(
    family, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post = services.post_create(
            actor=world.users["admin"],
            municipality=world.municipality,
            institution=None,
            audience=Post.Audience.INSTITUTIONS,
            institutions=[family.club],
            kind=Post.Kind.PRACTICAL,
            title="Skolestart",
            body="Velkommen i SFO.",
        )

    assert list(post.deliveries.values_list("guardian", flat=True)) == [family.guardian.pk]


def test_the_text_is_sanitised_before_it_is_stored(family):
    post = write(
        family,
        body='<p onclick="steal()">Hej <script>alert(1)</script><strong>alle</strong> '
        '<a href="javascript:evil()">klik</a> <a href="https://koege.dk">Køge</a></p>'
        "<style>body{display:none}</style><iframe src=x></iframe>",
    )

    assert "script" not in post.body
    assert "onclick" not in post.body
    assert "javascript" not in post.body
    assert "iframe" not in post.body and "style" not in post.body
    assert "<strong>alle</strong>" in post.body
    assert 'href="https://koege.dk"' in post.body


def test_plain_text_becomes_paragraphs(family):
    post = write(family, body="Første afsnit.\n\nAndet afsnit\nmed linjeskift.")

    assert post.body == "<p>Første afsnit.</p><p>Andet afsnit<br>med linjeskift.</p>"


def test_an_image_is_re_encoded_without_its_location_and_gets_a_thumbnail(family):
    post = write(
        family,
        images=[ImageUpload(jpeg(3000, 2000, exif_gps=True), "Børn i skoven", [family.alma])],
    )

    image = post.images.get()
    with Image.open(image.image.open("rb")) as stored:
        assert stored.format == "JPEG"
        assert max(stored.size) == 1600
        assert not stored.getexif()
    with Image.open(image.thumbnail.open("rb")) as thumb:
        assert max(thumb.size) == 480
    assert (image.width, image.height) == (1600, 1067)
    assert list(image.pictured.all()) == [family.alma]


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("virus.jpg", b"MZ\x90\x00 not an image", content_type="image/jpeg"),
        SimpleUploadedFile("tegning.svg", b"<svg onload=alert(1)></svg>", content_type="image/svg"),
    ],
    ids=["executable-named-jpg", "svg"],
)
def test_a_file_that_is_not_an_image_is_refused_and_nothing_is_stored(family, upload):
    before = state()

    with pytest.raises(ValidationError, match=r"does not match its name|cannot be used here"):
        write(family, images=[ImageUpload(upload, "Foto")])

    assert state() == before


def test_an_image_that_is_too_large_is_refused(family, monkeypatch):
    monkeypatch.setattr("core.uploads.MAX_BYTES", 1000)
    before = state()

    with pytest.raises(ValidationError, match="too large"):
        write(family, images=[ImageUpload(jpeg(), "Foto")])

    assert state() == before


def test_an_image_with_too_many_pixels_is_refused(family, monkeypatch):
    monkeypatch.setattr("core.uploads.MAX_PIXELS", 100 * 100)

    with pytest.raises(ValidationError, match="too many pixels"):
        write(family, images=[ImageUpload(jpeg(200, 200), "Foto")])


def test_a_child_of_another_institution_cannot_be_named_in_a_photo(family, world):
    with pytest.raises(ValidationError, match="child of the institution"):
        write(
            family,
            images=[ImageUpload(jpeg(), "Foto", [world.objects["neighbour_child"]])],
        )
    assert not Post.objects.exists()


def test_files_are_attached_and_a_file_pretending_to_be_pdf_is_refused(family):
    post = write(family, files=[pdf()])
    attachment = post.attachments.get()
    assert (attachment.name, attachment.content_type) == ("madplan.pdf", "application/pdf")

    fake = SimpleUploadedFile("faktura.pdf", b"MZ\x90 exe", content_type="application/pdf")
    with pytest.raises(ValidationError, match="does not match"):
        write(family, files=[fake])
    exe = SimpleUploadedFile("setup.exe", b"MZ", content_type="application/octet-stream")
    with pytest.raises(ValidationError, match="cannot be used here"):
        write(family, files=[exe])
    assert Post.objects.count() == 1


def test_insight_into_the_pedagogical_work_names_a_curriculum_theme(family):
    with pytest.raises(ValidationError, match="curriculum theme"):
        write(family, kind=Post.Kind.INSIGHT)

    post = write(family, kind=Post.Kind.INSIGHT, themes=["nature", "language"])
    assert post.theme_labels == ["Nature, outdoor life and science", "Communication and language"]


@pytest.mark.parametrize(
    "fields,message",
    [
        ({"groups": []}, "at least one group"),
        ({"title": "  "}, "title"),
        ({"body": "<p> </p>"}, "text of the post"),
        ({"audience": Post.Audience.MUNICIPALITY}, "who the post is for"),
    ],
)
def test_a_refused_post_stores_nothing(family, fields, message):
    before = state()

    with pytest.raises(ValidationError, match=message):
        write(family, **fields)

    assert state() == before


def test_a_post_cannot_go_to_another_institutions_group(family, world):
    with pytest.raises(ValidationError, match="own groups"):
        write(family, groups=[world.objects["neighbour_room"]])


def test_a_post_must_leave_the_feed_after_it_is_published(family):
    with pytest.raises(ValidationError, match="after it is published"):
        write(family, expires_at=timezone.now() - timedelta(hours=1))


def test_a_scheduled_post_is_published_by_the_beat_task_when_its_time_comes(
    family, django_capture_on_commit_callbacks
):
    later = timezone.now() + timedelta(hours=2)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        post = write(family, publish_at=later)

    # Nothing is queued; only the dashboard's data version moves on after the commit.
    assert [c for c in callbacks if c.__module__ != "core.indicators"] == []
    assert publish_due_posts() == 0
    assert not post.deliveries.exists()
    assert list(selectors.feed_deliveries(family.guardian)) == []

    Post.objects.filter(pk=post.pk).update(publish_at=timezone.now() - timedelta(minutes=1))
    assert publish_due_posts() == 1

    post.refresh_from_db()
    assert post.published_at is not None
    assert [d.post for d in selectors.feed_deliveries(family.guardian)] == [post]


def test_publishing_twice_delivers_and_tells_once(family, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        post = write(family)

    assert services.post_publish(post_id=post.pk) == 0
    assert PostDelivery.objects.filter(post=post).count() == 1
    assert Notification.objects.filter(kind="messaging.post").count() == 1


def test_a_guardian_who_joins_later_gets_the_post_when_it_is_published_again(
    family, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post = write(family)
    newcomer = GuardianshipFactory(child=ChildFactory(group=family.room)).guardian

    assert services.post_publish(post_id=post.pk) == 1

    assert set(post.deliveries.values_list("guardian", flat=True)) == {
        family.guardian.pk,
        newcomer.pk,
    }


def test_an_expired_or_withdrawn_post_leaves_the_feed(family, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        expiring = write(family, title="Udløber")
        withdrawn = write(family, title="Trækkes tilbage")
        staying = write(family, title="Bliver")
    Post.objects.filter(pk=expiring.pk).update(expires_at=timezone.now())

    services.post_withdraw(actor=family.staff, post=withdrawn)

    assert [d.post for d in selectors.feed_deliveries(family.guardian)] == [staying]
    assert AuditEntry.objects.filter(action="post.withdrawn").count() == 1


def test_reading_a_post_records_the_receipt_once(family, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        post = write(family)

    assert services.post_mark_read(user=family.guardian, post=post) is True
    first = PostDelivery.objects.get(post=post).read_at
    assert services.post_mark_read(user=family.guardian, post=post) is False
    assert PostDelivery.objects.get(post=post).read_at == first


def test_one_feed_has_the_posts_of_every_childs_institution_newest_first(
    family, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        daycare_post = write(family, title="Fra børnehaven")
        club_post = services.post_create(
            actor=family.club_staff,
            municipality=family.club.municipality,
            institution=family.club,
            audience=Post.Audience.GROUPS,
            groups=[family.club_room],
            kind=Post.Kind.PRACTICAL,
            title="Fra SFO",
            body="Regntøj på fredag.",
        )

    feed = [d.post for d in selectors.feed_deliveries(family.guardian)]
    assert feed == [club_post, daycare_post]


def test_a_family_keeps_its_feed_when_a_child_moves_on_to_school(
    family, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        old = write(family, title="Fra børnehaven")
    school = InstitutionFactory(
        municipality=family.daycare.municipality, name="Ellebækskolen", kind="school"
    )
    family.alma.group = GroupFactory(institution=school, name="0.A")
    family.alma.save()

    with django_capture_on_commit_callbacks(execute=True):
        write(family, title="Kun for Myren nu")

    assert [d.post for d in selectors.feed_deliveries(family.guardian)] == [old]


# Photo consent ----------------------------------------------------------------------


def photo_post(family, pictured, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return write(family, images=[ImageUpload(jpeg(), "Leg i sandkassen", pictured)])


def family_view(family, post):
    delivery = PostDelivery.objects.get(post=post, guardian=family.guardian)
    posts = [d.post for d in selectors.feed_deliveries(family.guardian).filter(pk=delivery.pk)]
    (view,) = selectors.shape_posts(posts, for_family=True)
    return view


def test_a_photo_is_shown_to_families_only_when_every_pictured_childs_guardians_consent(
    family, django_capture_on_commit_callbacks
):
    second_guardian = GuardianshipFactory(child=family.alma).guardian
    post = photo_post(family, [family.alma], django_capture_on_commit_callbacks)
    view = family_view(family, post)
    assert (view.images, view.hidden_images) == ([], 1)

    services.photo_consent_set(guardian=family.guardian, child=family.alma, consented=True)
    assert family_view(family, post).hidden_images == 1  # the other guardian has not

    services.photo_consent_set(guardian=second_guardian, child=family.alma, consented=True)
    view = family_view(family, post)
    assert (len(view.images), view.hidden_images) == (1, 0)

    services.photo_consent_set(guardian=second_guardian, child=family.alma, consented=False)
    assert family_view(family, post).hidden_images == 1
    assert AuditEntry.objects.filter(action="photo_consent.withdrawn").count() == 1


def test_a_photo_without_pictured_children_is_shown(family, django_capture_on_commit_callbacks):
    post = photo_post(family, [], django_capture_on_commit_callbacks)

    assert len(family_view(family, post).images) == 1


def test_staff_always_see_their_photos(family, django_capture_on_commit_callbacks):
    post = photo_post(family, [family.alma], django_capture_on_commit_callbacks)

    (view,) = selectors.shape_posts([post], for_family=False)
    assert len(view.images) == 1


def test_a_guardian_cannot_decide_consent_for_someone_elses_child(family):
    with pytest.raises(ValidationError, match="your own children"):
        services.photo_consent_set(guardian=family.guardian, child=family.karla, consented=True)


# Fan-out ----------------------------------------------------------------------------


def many_guardians(institution: Institution, count: int):
    from accounts.models import User
    from institutions.models import Child, Guardianship

    group = GroupFactory(institution=institution, name=f"Stor gruppe {count}")
    children = Child.objects.bulk_create(
        [Child(group=group, first_name=f"Barn {n}", birth_date="2021-01-01") for n in range(count)]
    )
    users = User.objects.bulk_create(
        [User(email=f"vaerge{n}-{count}@example.org", name=f"Værge {n}") for n in range(count)]
    )
    Guardianship.objects.bulk_create(
        [Guardianship(child=c, guardian=u) for c, u in zip(children, users, strict=True)]
    )
    return group


@pytest.mark.parametrize("count", [50, 400])
def test_fan_out_uses_a_fixed_number_of_statements_however_many_guardians(family, count):
    """Bulk inserts: 400 guardians cost the same statements as 50 (the benchmark times
    `messaging.bench.fan_out` at 10,000)."""
    group = many_guardians(family.daycare, count)
    post = write(family, groups=[group], publish_at=timezone.now() + timedelta(minutes=5))
    Post.objects.filter(pk=post.pk).update(publish_at=timezone.now())

    with CaptureQueriesContext(connection) as queries:
        assert services.post_publish(post_id=post.pk) == count

    assert PostDelivery.objects.filter(post=post).count() == count
    assert Notification.objects.filter(key=f"post-{post.pk}").count() == count
    assert len(queries) <= 16, [q["sql"][:120] for q in queries]


def test_the_benchmark_function_times_a_fan_out(family):
    from messaging.bench import fan_out

    result = fan_out(guardians=300)

    assert result.delivered == 300
    assert result.seconds > 0
    assert result.queries <= 20
    assert result.per_guardian_ms < 50


def test_an_image_is_read_as_what_it_is_not_what_its_name_says(family):
    png = io.BytesIO()
    Image.new("RGB", (50, 50), "red").save(png, format="PNG")
    upload = SimpleUploadedFile("foto.jpg", png.getvalue(), content_type="image/jpeg")

    post = write(family, images=[ImageUpload(upload, "Rød firkant")])

    with Image.open(post.images.get().image.open("rb")) as stored:
        assert stored.format == "JPEG"
