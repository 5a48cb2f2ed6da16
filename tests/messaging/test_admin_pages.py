"""The municipality's posts through the Django client: the administrator's form for a
post to every institution or to chosen ones, and which guardians then find it in their
feed. And a fixed number of queries, with 3 rows and with 30, on the readers page, an
institution's posts, the reach page and the notifications list."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.models import Notification
from messaging import services
from messaging.models import Post, PostDelivery
from messaging.services.posts import ImageUpload
from tests.factories import ChildFactory, GuardianshipFactory, UserFactory
from tests.messaging.helpers import jpeg, pdf, state
from tests.messaging.test_pages import page, post_to

pytestmark = pytest.mark.django_db


def guardian_of(child, name):
    return GuardianshipFactory(child=child, guardian=UserFactory(name=name)).guardian


@pytest.fixture
def families(world, family):
    """Beside `family`: a guardian in the neighbouring daycare (Otto) and one in the
    other municipality (Freja)."""
    family.otto_guardian = guardian_of(world.objects["neighbour_child"], "Olga Nabo")
    family.freja_guardian = guardian_of(world.objects["foreign_child"], "Frida Solrød")
    return family


def feed_of(client, user) -> str:
    client.force_login(user)
    return page(client, reverse("messaging:feed"))


# The administrator's posts -------------------------------------------------------------


def test_the_administrator_posts_to_every_institution_in_the_municipality(
    client, world, families, django_capture_on_commit_callbacks
):
    client.force_login(world.user("admin"))
    url = reverse("messaging:municipality_post_create", args=[world.municipality.pk])
    assert "Troldehøjen" in page(client, url)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "audience": "municipality",
                "kind": "practical",
                "title": "Ny madordning fra august",
                "body": "Alle dagtilbud får økologisk frokost.",
            },
        )

    post = Post.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("messaging:post", args=[post.pk])
    assert (post.audience, post.institution, post.municipality) == (
        Post.Audience.MUNICIPALITY,
        None,
        world.municipality,
    )
    assert post.published_at is not None
    reached = set(post.deliveries.values_list("guardian_id", flat=True))
    assert reached == {
        families.guardian.pk,
        families.neighbour_guardian.pk,
        families.otto_guardian.pk,
    }
    for guardian in (families.guardian, families.neighbour_guardian, families.otto_guardian):
        assert "Ny madordning fra august" in feed_of(client, guardian)
    assert "Ny madordning fra august" not in feed_of(client, families.freja_guardian)
    client.force_login(families.freja_guardian)
    assert client.get(reverse("messaging:post", args=[post.pk])).status_code == 404


def test_the_administrator_posts_to_chosen_institutions_and_only_their_families_see_it(
    client, world, families, django_capture_on_commit_callbacks
):
    client.force_login(world.user("admin"))
    url = reverse("messaging:municipality_post_create", args=[world.municipality.pk])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "audience": "institutions",
                "institutions": [world.neighbour.pk, families.club.pk],
                "kind": "practical",
                "title": "Vandskade i Troldehøjen",
                "body": "Børnene flytter til hallen i en uge.",
            },
        )

    post = Post.objects.get()
    assert response.status_code == 302
    assert set(post.institutions.all()) == {world.neighbour, families.club}
    assert set(post.deliveries.values_list("guardian_id", flat=True)) == {
        families.otto_guardian.pk,
        families.guardian.pk,  # Viggo goes to the club
    }
    assert "Vandskade i Troldehøjen" in feed_of(client, families.otto_guardian)
    assert "Vandskade i Troldehøjen" in feed_of(client, families.guardian)
    assert "Vandskade i Troldehøjen" not in feed_of(client, families.neighbour_guardian)
    assert "Vandskade i Troldehøjen" not in feed_of(client, families.freja_guardian)
    client.force_login(families.neighbour_guardian)
    assert client.get(reverse("messaging:post", args=[post.pk])).status_code == 404


def test_a_municipal_post_without_chosen_institutions_is_refused_in_danish(client, world, families):
    client.force_login(world.user("admin"))
    before = state()

    response = client.post(
        reverse("messaging:municipality_post_create", args=[world.municipality.pk]),
        {"audience": "institutions", "kind": "practical", "title": "Til nogle", "body": "Tekst"},
    )

    assert response.status_code == 400
    assert "Vælg mindst én institution." in response.content.decode()
    assert state() == before


def test_a_municipal_post_to_another_municipalitys_institution_is_refused(client, world, families):
    client.force_login(world.user("admin"))
    before = state()

    response = client.post(
        reverse("messaging:municipality_post_create", args=[world.municipality.pk]),
        {
            "audience": "institutions",
            "institutions": [world.foreign.pk],
            "kind": "practical",
            "title": "Til Havtornen",
            "body": "Tekst",
        },
    )

    assert response.status_code == 400
    assert "Marker en gyldig valgmulighed" in response.content.decode()
    assert state() == before


def test_another_municipalitys_administrator_cannot_post_here(client, world, families):
    client.force_login(world.user("other_admin"))

    response = client.post(
        reverse("messaging:municipality_post_create", args=[world.municipality.pk]),
        {"audience": "municipality", "kind": "practical", "title": "Hej", "body": "Tekst"},
    )

    assert response.status_code == 404
    assert not Post.objects.exists()


# Fixed query counts ---------------------------------------------------------------------


def queries(client, url) -> tuple[int, str]:
    client.get(url)  # warm the session
    with CaptureQueriesContext(connection) as captured:
        html = page(client, url)
    return len(captured), html


def grow_families(group, up_to: int, *, start: int = 0):
    """Children in `group`, each with a guardian named "Forælder NN"."""
    for n in range(start, up_to):
        guardian_of(ChildFactory(group=group, first_name=f"Barn{n:02d}"), f"Forælder {n:02d}")


def test_the_readers_page_keeps_a_fixed_number_of_queries(client, family):
    room = family.room
    grow_families(room, 3)
    few_post = post_to(family, room, "Få læsere")
    grow_families(room, 30, start=3)
    many_post = post_to(family, room, "Mange læsere")
    for delivery in PostDelivery.objects.filter(post=many_post)[:10]:
        services.post_mark_read(user=delivery.guardian, post=many_post)
    client.force_login(family.staff)

    few, _ = queries(client, reverse("messaging:post_readers", args=[few_post.pk]))
    many, html = queries(client, reverse("messaging:post_readers", args=[many_post.pk]))

    assert few == many
    assert html.count("Forælder ") == 30
    assert html.count("Barn") >= 30


def test_the_institution_posts_page_keeps_a_fixed_number_of_queries(client, family):
    def grow(up_to):
        for n in range(Post.objects.filter(institution=family.daycare).count(), up_to):
            post_to(
                family,
                family.room if n % 2 else family.other_room,
                f"Opslag {n:02d}",
                images=[ImageUpload(jpeg(), "Foto", [family.alma])] if n % 3 == 0 else (),
                files=[pdf()] if n % 3 == 1 else (),
            )

    client.force_login(family.staff)
    url = reverse("messaging:institution_posts", args=[family.daycare.pk])
    grow(3)
    few, _ = queries(client, url)
    grow(30)
    many, html = queries(client, url)

    assert few == many
    assert len(set(re.findall(r"Opslag \d\d", html))) == 20  # one page of the 30


def test_the_reach_page_keeps_a_fixed_number_of_queries(client, family):
    def grow(up_to):
        start = family.daycare.groups.get(pk=family.room.pk).children.count()
        grow_families(family.room, up_to, start=start)
        ChildFactory(group=family.other_room, first_name=f"Uden{up_to}")  # no guardian
        post = post_to(family, family.room, f"Nyt {up_to}")
        for delivery in PostDelivery.objects.filter(post=post)[:2]:
            services.post_mark_read(user=delivery.guardian, post=post)

    client.force_login(family.leader)
    url = reverse("messaging:reach", args=[family.daycare.pk])
    grow(3)
    few, _ = queries(client, url)
    grow(30)
    many, html = queries(client, url)

    assert few == many
    assert html.count("Forælder ") >= 29
    assert "Uden30" in html


def test_the_notifications_list_keeps_a_fixed_number_of_queries(client, family):
    guardian = family.guardian

    def grow(up_to):
        for n in range(guardian.notifications.count(), up_to):
            Notification.objects.create(
                recipient=guardian,
                kind="messaging.post",
                subject=f"Besked {n:02d}",
                body="Nyt fra dagtilbuddet.",
                url=reverse("messaging:feed"),
                key=f"test-{n}",
                read_at=timezone.now() if n % 2 else None,
            )

    client.force_login(guardian)
    url = reverse("messaging:notifications")
    grow(3)
    few, _ = queries(client, url)
    grow(30)
    many, html = queries(client, url)

    assert few == many
    assert html.count("Besked ") == 20  # the first page
    assert "Besked 29" in html
    second, html = queries(client, url + "?side=2")
    assert second == many
    assert html.count("Besked ") == 10
