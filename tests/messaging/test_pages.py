"""The messaging pages as people use them: what they see, what a form stores, and a fixed
number of queries on the feed, the inbox and a thread however much they hold."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from core.models import EmailPreference
from messaging import services
from messaging.models import Post, PostDelivery, Thread
from messaging.services.posts import ImageUpload
from privacy.models import PersonalDataAccess
from tests.messaging.helpers import children_to_mark, jpeg, pdf

pytestmark = pytest.mark.django_db


def page(client, url, **kwargs):
    response = client.get(url, **kwargs)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def post_to(family, group, title="Skovtur", *, images=(), captured=None, **fields):
    institution = group.institution
    post = services.post_create(
        actor=family.staff if institution == family.daycare else family.club_staff,
        municipality=institution.municipality,
        institution=institution,
        audience=Post.Audience.GROUPS,
        groups=[group],
        kind=Post.Kind.PRACTICAL,
        title=title,
        body="Husk madpakke.",
        images=list(images),
        **fields,
    )
    services.post_publish(post_id=post.pk)
    return post


def thread_of(family, subject="Syg i dag", child=None):
    return services.thread_start(
        guardian=family.guardian,
        child=child or family.alma,
        to="group",
        subject=subject,
        body="Alma har feber.",
    )


# Feed and posts ---------------------------------------------------------------------


def test_the_guardian_reads_a_post_and_the_receipt_is_recorded(client, family):
    post = post_to(family, family.room)
    client.force_login(family.guardian)

    html = page(client, reverse("messaging:feed"))
    assert "Skovtur" in html and "Ulæst" in html

    html = page(client, reverse("messaging:post", args=[post.pk]))
    assert "Husk madpakke." in html
    assert "Læst af" not in html  # receipts are for staff
    assert PostDelivery.objects.get(post=post).read_at is not None
    assert "Ulæst" not in page(client, reverse("messaging:feed"))


def test_staff_see_who_has_and_has_not_read(client, family):
    post = post_to(family, family.room)
    services.post_mark_read(user=family.guardian, post=post)
    services.post_publish(post_id=post.pk)
    client.force_login(family.staff)

    html = page(client, reverse("messaging:post", args=[post.pk]))
    assert "1 af 1 forældre har læst opslaget." in html
    html = page(client, reverse("messaging:post_readers", args=[post.pk]))
    assert family.guardian.name in html
    assert "Alma (Myren)" in html


def test_a_post_for_another_group_is_not_found_for_the_guardian(client, family):
    theirs = post_to(family, family.other_room, "Kun Egernet")
    client.force_login(family.guardian)

    assert client.get(reverse("messaging:post", args=[theirs.pk])).status_code == 404
    assert "Kun Egernet" not in page(client, reverse("messaging:feed"))


def test_an_expired_post_is_not_found_for_the_guardian_but_staff_still_see_it(client, family):
    post = post_to(family, family.room)
    Post.objects.filter(pk=post.pk).update(expires_at=timezone.now())

    client.force_login(family.guardian)
    assert client.get(reverse("messaging:post", args=[post.pk])).status_code == 404
    client.force_login(family.staff)
    assert client.get(reverse("messaging:post", args=[post.pk])).status_code == 200


def test_a_photo_without_consent_is_hidden_from_families_and_its_url_answers_404(client, family):
    post = post_to(family, family.room, images=[ImageUpload(jpeg(), "Sandkassen", [family.alma])])
    image = post.images.get()
    url = reverse("messaging:post_image", args=[image.pk, "lille"])
    client.force_login(family.guardian)

    html = page(client, reverse("messaging:post", args=[post.pk]))
    assert url not in html
    assert "fotosamtykke" in html
    assert client.get(url).status_code == 404

    services.photo_consent_set(guardian=family.guardian, child=family.alma, consented=True)
    assert url in page(client, reverse("messaging:post", args=[post.pk]))
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"


def test_the_news_page_offers_photo_consent_to_guardians_only(client, family):
    consent = f'href="{reverse("messaging:photo_consent")}"'
    client.force_login(family.guardian)
    assert consent in page(client, reverse("messaging:feed"))
    client.force_login(family.staff)
    assert consent not in page(client, reverse("messaging:feed"))
    assert client.get(reverse("messaging:photo_consent")).status_code == 403


def test_the_guardian_gives_and_withdraws_photo_consent(client, family):
    client.force_login(family.guardian)
    url = reverse("messaging:photo_consent")

    response = client.post(url, {"child": family.alma.pk, "consent": "ja"})
    assert response.status_code == 302
    assert family.guardian.photo_consents.get(child=family.alma).consented
    assert "Fotos vises" in page(client, url)

    client.post(url, {"child": family.alma.pk, "consent": "nej"})
    assert not family.guardian.photo_consents.get(child=family.alma).consented
    assert client.post(url, {"child": family.karla.pk, "consent": "ja"}).status_code == 404


def test_staff_publish_a_post_with_a_photo_from_the_form(
    client, family, django_capture_on_commit_callbacks
):
    client.force_login(family.staff)
    url = reverse("messaging:post_create", args=[family.daycare.pk])
    assert any(name.startswith("Alma") for name in children_to_mark(page(client, url))["Myren"])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "audience": "groups",
                "groups": [family.room.pk],
                "kind": "insight",
                "themes": ["nature"],
                "title": "Blade i skoven",
                "body": "Vi samler blade.\n\nDet træner sproget.",
                "image": jpeg(),
                "image_description": "Børn samler blade",
                "pictured": [family.alma.pk],
                "files": [pdf()],
            },
        )

    post = Post.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("messaging:post", args=[post.pk])
    assert post.published_at is not None
    assert list(post.images.get().pictured.all()) == [family.alma]
    assert post.attachments.count() == 1
    assert list(post.deliveries.values_list("guardian", flat=True)) == [family.guardian.pk]
    tagged = PersonalDataAccess.objects.filter(actor=family.staff, action="change")
    assert list(tagged.values_list("child", "purpose")) == [
        (family.alma.pk, "Choosing the children in a post's photo")
    ]


def _post_from_the_form(client, family, **fields):
    return client.post(
        reverse("messaging:post_create", args=[family.daycare.pk]),
        {
            "audience": "institution",
            "kind": "practical",
            "title": "Husk madpakke",
            "body": "Vi går i skoven.",
            **fields,
        },
        follow=True,
    )


def test_the_author_of_a_post_on_its_way_is_told_so_and_its_page_follows_it(client, family):
    """Saved and due, but the task that publishes it has not run: the page says it is
    being published (not that families see it 'when it is published'), and asks again."""
    client.force_login(family.staff)

    html = _post_from_the_form(client, family).content.decode()

    post = Post.objects.get()
    assert post.published_at is None
    assert "Opslaget bliver offentliggjort nu. Familierne kan se det om et øjeblik." in html
    assert "når det er offentliggjort" not in html
    assert "Offentliggøres" in html
    assert f'hx-get="{reverse("messaging:post", args=[post.pk])}"' in html

    services.post_publish(post_id=post.pk)
    html = page(client, reverse("messaging:post", args=[post.pk]))
    assert "Offentliggøres" not in html and "hx-trigger" not in html


def test_the_author_of_a_scheduled_post_is_told_when_it_is_published(client, family):
    client.force_login(family.staff)
    when = timezone.localtime() + timedelta(days=2)

    html = _post_from_the_form(
        client, family, publish_at=when.strftime("%Y-%m-%dT%H:%M")
    ).content.decode()

    assert Post.objects.get().published_at is None
    day = f"{when.day}. {date_format(when, 'F')}"
    assert re.search(rf"Opslaget er gemt\. Det bliver offentliggjort {day} \d{{4}}", html)
    assert "Offentliggøres" not in html


def test_the_editor_asks_for_no_html_and_what_it_sends_is_kept_and_cleaned(client, family):
    """The editor sends simple HTML; the server keeps bold, lists and links and drops the
    rest, as it does for anything typed in the plain text area."""
    client.force_login(family.staff)
    form = page(client, reverse("messaging:post_create", args=[family.daycare.pk]))
    assert "&lt;strong&gt;" not in form and "<strong>" not in form.split("<template")[0]
    assert "En tom linje giver et nyt afsnit." in form
    assert 'data-editor="post-editor"' in form and '<template id="post-editor"' in form

    _post_from_the_form(
        client,
        family,
        body='<p>Vi <b>bygger</b> huler.</p><ul><li>Regntøj</li></ul><p><a href="https://'
        'koege.dk">Køge</a> <span style="color:red" onmouseover="x()">rød</span>'
        "<img src=x onerror=alert(1)></p>",
        body_format="html",
    )

    assert Post.objects.get().body == (
        "<p>Vi <b>bygger</b> huler.</p><ul><li>Regntøj</li></ul><p><a "
        'href="https://koege.dk" rel="noopener noreferrer nofollow">Køge</a> rød</p>'
    )


def test_without_the_editor_a_blank_line_starts_a_paragraph(client, family):
    client.force_login(family.staff)

    _post_from_the_form(client, family, body="Vi går i skoven.\n\nHusk <regntøj> & støvler.")

    assert Post.objects.get().body == (
        "<p>Vi går i skoven.</p><p>Husk &lt;regntøj&gt; &amp; støvler.</p>"
    )


def test_the_children_to_mark_in_a_photo_are_grouped_by_group_with_their_consent(client, family):
    services.photo_consent_set(guardian=family.guardian, child=family.alma, consented=True)
    client.force_login(family.staff)
    url = reverse("messaging:post_create", args=[family.daycare.pk])

    html = page(client, url)

    groups = children_to_mark(html)
    assert list(groups) == ["Egernet", "Myren"]
    (alma,) = groups["Myren"]
    (karla,) = groups["Egernet"]
    assert alma.startswith("Alma") and "fotosamtykke" not in alma
    assert karla.startswith("Karla") and karla.endswith(", uden fotosamtykke")
    # Closed until a child in the group is marked; the chosen photo is shown beside them.
    assert '<details class="pictured-group">' in html
    assert 'data-photo-preview="id_image"' in html

    response = client.post(
        url,
        {
            "audience": "institution",
            "kind": "practical",
            "title": "Skovtur",
            "body": "Hej",
            "image": jpeg(),
            "pictured": [family.alma.pk],
        },
    )
    assert response.status_code == 400  # the photo has no description
    html = response.content.decode()
    myren = html[html.index('pictured-group-name">Myren') :]
    assert re.search(
        r'<details class="pictured-group" open>\s*<summary><span class="pictured-group-name">Myren',
        html,
    )
    assert "checked" in myren[: myren.index("</details>")]


def test_a_post_form_with_errors_shows_them_and_stores_nothing(client, family):
    client.force_login(family.staff)

    response = client.post(
        reverse("messaging:post_create", args=[family.daycare.pk]),
        {"audience": "groups", "kind": "insight", "title": "Blade", "body": "Tekst"},
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "error-summary" in html
    assert "Et opslag med indblik i det pædagogiske arbejde skal have mindst ét" in html
    assert not Post.objects.exists()


def test_withdrawing_a_post_removes_it_from_the_feed(client, family):
    post = post_to(family, family.room)
    client.force_login(family.staff)

    response = client.post(reverse("messaging:post_withdraw", args=[post.pk]))

    assert response.status_code == 302
    client.force_login(family.guardian)
    assert client.get(reverse("messaging:post", args=[post.pk])).status_code == 404


def test_the_feed_keeps_a_fixed_number_of_queries_as_posts_grow(client, family):
    client.force_login(family.guardian)
    services.photo_consent_set(guardian=family.guardian, child=family.alma, consented=True)
    url = reverse("messaging:feed")

    def count() -> int:
        client.get(url)  # warm the session
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    post_to(family, family.room, "Et", images=[ImageUpload(jpeg(), "Foto", [family.alma])])
    few = count()
    for n in range(8):
        post_to(
            family, family.room, f"Opslag {n}", images=[ImageUpload(jpeg(), "Foto", [family.alma])]
        )
        post_to(family, family.club_room, f"SFO {n}", files=[pdf()])
    assert count() == few


# Threads ----------------------------------------------------------------------------


def test_the_guardian_starts_a_thread_from_the_form(client, family):
    client.force_login(family.guardian)
    url = reverse("messaging:thread_start")
    html = page(client, url)
    assert "Alma (Solstrålen, Myren)" in html and "Viggo (SFO Ellebæk, 0.-1. klasse)" in html

    response = client.post(
        url,
        {
            "child": family.viggo.pk,
            "to": "group",
            "subject": "Hentes tidligt",
            "body": "Viggo hentes kl. 13.",
            "files": [pdf()],
        },
    )

    thread = Thread.objects.get()
    assert response["Location"] == reverse("messaging:thread", args=[thread.pk])
    assert thread.institution == family.club
    assert thread.messages.get().attachments.count() == 1


def test_a_colleague_answers_from_the_shared_inbox(client, family):
    thread = thread_of(family)
    client.force_login(family.colleague)

    html = page(client, reverse("messaging:institution_inbox", args=[family.daycare.pk]))
    assert "Syg i dag" in html and "Venter på svar" in html

    response = client.post(
        reverse("messaging:thread", args=[thread.pk]), {"body": "God bedring, Alma."}
    )

    assert response.status_code == 302
    html = page(client, reverse("messaging:institution_inbox", args=[family.daycare.pk]))
    assert "Besvaret af Nanna Friis" in html
    answered = PersonalDataAccess.objects.filter(actor=family.colleague, action="change")
    assert {(r.guardian_id, r.child_id, r.purpose) for r in answered} == {
        (family.guardian.pk, None, "Conversation with the family"),
        (None, thread.child_id, "Conversation with the family"),
    }
    client.force_login(family.guardian)
    html = page(client, reverse("messaging:thread", args=[thread.pk]))
    assert "God bedring, Alma." in html and "Nanna Friis" in html


def test_staff_write_to_a_whole_group_and_each_family_gets_its_own_thread(client, family):
    client.force_login(family.staff)
    url = reverse("messaging:staff_compose", args=[family.daycare.pk])
    assert "Hans Nabo (Karla, Egernet)" in page(client, url)

    response = client.post(
        url,
        {
            "groups": [family.room.pk, family.other_room.pk],
            "subject": "Forældremøde",
            "body": "Tirsdag kl. 17.",
        },
    )

    assert response.status_code == 302
    threads = Thread.objects.all()
    assert {t.guardian for t in threads} == {family.guardian, family.neighbour_guardian}
    written = PersonalDataAccess.objects.filter(actor=family.staff, action="change")
    assert sorted(written.values_list("guardian", "purpose")) == sorted(
        (g.pk, "Conversation with the family") for g in (family.guardian, family.neighbour_guardian)
    )
    client.force_login(family.guardian)
    (mine,) = Thread.objects.filter(guardian=family.guardian)
    html = page(client, reverse("messaging:thread", args=[mine.pk]))
    assert "Hans Nabo" not in html and "hans@example.org" not in html
    other = Thread.objects.get(guardian=family.neighbour_guardian)
    assert client.get(reverse("messaging:thread", args=[other.pk])).status_code == 404


def test_a_sensitive_thread_is_not_found_for_other_staff(client, family):
    thread = services.thread_start(
        guardian=family.guardian,
        child=family.alma,
        to="leader",
        subject="Skilsmisse",
        body="Til lederen.",
        sensitive=True,
    )

    client.force_login(family.staff)
    assert client.get(reverse("messaging:thread", args=[thread.pk])).status_code == 404
    assert "Skilsmisse" not in page(
        client, reverse("messaging:institution_inbox", args=[family.daycare.pk])
    )
    client.force_login(family.leader)
    assert "Til lederen." in page(client, reverse("messaging:thread", args=[thread.pk]))


def test_one_inbox_lists_daycare_and_after_school_club(client, family):
    thread_of(family, "Fra børnehaven")
    thread_of(family, "Fra SFO", child=family.viggo)
    client.force_login(family.guardian)

    html = page(client, reverse("messaging:inbox"))

    assert html.index("Fra SFO") < html.index("Fra børnehaven")
    assert "SFO Ellebæk" in html and "Solstrålen" in html


def test_the_inbox_writes_dates_the_danish_way(client, family):
    thread = thread_of(family)
    Thread.objects.filter(pk=thread.pk).update(
        last_message_at=timezone.make_aware(timezone.datetime(2026, 11, 5, 14, 30))
    )
    client.force_login(family.guardian)

    html = page(client, reverse("messaging:inbox"))

    assert "5. november 14:30" in html and "Nov" not in html


def test_search_finds_the_guardians_own_messages(client, family):
    thread_of(family)
    client.force_login(family.guardian)

    html = page(client, reverse("messaging:search"), data={"q": "feberen"})

    assert "Én besked fundet" in html
    assert "<mark>feber</mark>" in html


def test_the_inbox_and_a_thread_keep_a_fixed_number_of_queries(client, family):
    thread = thread_of(family)
    client.force_login(family.guardian)
    urls = [reverse("messaging:inbox"), reverse("messaging:thread", args=[thread.pk])]

    def counts() -> list[int]:
        result = []
        for url in urls:
            client.get(url)
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            result.append(len(queries))
        return result

    few = counts()
    for n in range(10):
        services.message_reply(author=family.staff, thread=thread, body=f"Svar {n}", files=[pdf()])
        thread_of(family, f"Emne {n}", child=family.viggo if n % 2 else family.alma)
    assert counts() == few


def test_the_shared_inbox_keeps_a_fixed_number_of_queries(client, family):
    thread_of(family)
    client.force_login(family.staff)
    url = reverse("messaging:institution_inbox", args=[family.daycare.pk])

    def count() -> int:
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        return len(queries)

    few = count()
    for n in range(10):
        thread_of(family, f"Emne {n}")
        services.thread_start(
            guardian=family.neighbour_guardian,
            child=family.karla,
            to="group",
            subject=f"Karla {n}",
            body="Hej",
        )
    assert count() == few


# Closures, reach, settings -----------------------------------------------------------


def test_the_leader_adds_and_deletes_closed_days(client, family):
    client.force_login(family.leader)
    url = reverse("messaging:closures", args=[family.daycare.pk])

    response = client.post(
        url, {"starts_on": "2027-07-13", "ends_on": "2027-07-24", "reply": "Sommerferie."}
    )
    assert response.status_code == 302
    closure = family.daycare.closures.get()

    response = client.post(
        url, {"starts_on": "2027-07-20", "ends_on": "2027-07-30", "reply": "Overlap."}
    )
    assert response.status_code == 400
    assert "Perioden overlapper en anden lukkeperiode." in response.content.decode()

    client.post(reverse("messaging:closure_delete", args=[family.daycare.pk, closure.pk]))
    assert not family.daycare.closures.exists()


def test_the_reach_page_shows_who_has_not_activated_and_who_has_been_quiet(client, family):
    family.guardian.last_login = timezone.now() - timedelta(days=60)
    family.guardian.save()
    client.force_login(family.staff)  # force_login does not touch the guardian

    html = page(client, reverse("messaging:reach", args=[family.daycare.pk]))

    assert "Intet læst i en måned" in html  # Alma's guardian
    assert "Ikke aktiveret" in html  # Karla's guardian never logged in
    assert re.search(r"Hans Nabo</th>\s*<td>Karla \(Egernet\)", html)


def test_a_guardian_who_has_read_something_is_not_called_not_activated(client, family):
    """Reading needs a login: a read without a recorded login (an account moved from an
    earlier system) is activated access, so no row says 'Not activated' beside a date."""
    post = post_to(family, family.other_room)
    services.post_mark_read(user=family.neighbour_guardian, post=post)
    client.force_login(family.staff)

    html = page(client, reverse("messaging:reach", args=[family.daycare.pk]))

    row = html[html.index("Hans Nabo</th>") : html.index("</tr>", html.index("Hans Nabo</th>"))]
    assert "Ikke aktiveret" not in row and "Aktiv" in row
    assert "har aldrig logget ind i portalen" in html  # the page says what the words mean


def test_email_settings_are_saved_per_kind(client, family):
    client.force_login(family.guardian)
    url = reverse("messaging:email_settings")

    response = client.post(url, {"posts": "digest", "messages": "immediate", "other": "off"})

    assert response.status_code == 302
    assert dict(
        EmailPreference.objects.filter(user=family.guardian).values_list("category", "frequency")
    ) == {"posts": "digest", "messages": "immediate", "other": "off"}
    assert re.search(r'<input[^>]*name="posts" value="digest"[^>]*checked', page(client, url))


def test_staff_write_to_the_guardians_who_have_not_read_a_post(client, family):
    post = post_to(family, family.room)
    client.force_login(family.staff)

    html = page(client, reverse("messaging:post_readers", args=[post.pk]))
    link = reverse("messaging:staff_compose", args=[family.daycare.pk]) + (
        f"?til={family.guardian.pk}"
    )
    assert f'href="{link}"' in html

    html = page(client, link)
    assert re.search(rf'<input[^>]*name="guardians" value="{family.guardian.pk}"[^>]*checked', html)
    assert not re.search(
        rf'<input[^>]*name="guardians" value="{family.neighbour_guardian.pk}"[^>]*checked', html
    )
    assert 'name="sensitive"' not in html  # only the leader writes sensitive messages


def test_the_leader_writes_a_sensitive_message_that_other_staff_cannot_open(client, family):
    client.force_login(family.leader)
    url = reverse("messaging:staff_compose", args=[family.daycare.pk])
    assert 'name="sensitive"' in page(client, url)

    client.post(
        url,
        {
            "guardians": [family.guardian.pk],
            "sensitive": "on",
            "subject": "Samtale om Alma",
            "body": "Kan vi mødes i morgen?",
        },
    )

    thread = Thread.objects.get()
    assert (thread.sensitive, thread.to) == (True, Thread.To.LEADER)
    client.force_login(family.staff)
    assert client.get(reverse("messaging:thread", args=[thread.pk])).status_code == 404
    client.force_login(family.guardian)
    assert "Kan vi mødes i morgen?" in page(client, reverse("messaging:thread", args=[thread.pk]))


# Navigation and home page ------------------------------------------------------------


def test_a_guardian_finds_news_and_messages_from_the_home_page(client, family):
    client.force_login(family.guardian)

    html = page(client, reverse("home"))

    assert "Nyheder og beskeder" in html
    assert f'href="{reverse("messaging:feed")}"' in html
    assert f'href="{reverse("messaging:inbox")}"' in html
    assert f'href="{reverse("messaging:photo_consent")}"' in html


def test_staff_find_the_shared_inbox_posts_and_reach_from_the_home_page(client, family):
    client.force_login(family.staff)

    html = page(client, reverse("home"))

    assert "Familierne i Solstrålen" in html
    for name in ("institution_inbox", "institution_posts", "reach"):
        assert f'href="{reverse(f"messaging:{name}", args=[family.daycare.pk])}"' in html
    assert f'href="{reverse("messaging:feed")}"' not in html  # no children: no feed


def test_a_municipal_post_on_the_institutions_page_has_no_readers_link_for_its_staff(
    client, family, world
):
    post = services.post_create(
        actor=world.users["admin"],
        municipality=world.municipality,
        institution=None,
        audience=Post.Audience.MUNICIPALITY,
        kind=Post.Kind.PRACTICAL,
        title="Fra kommunen",
        body="Hej alle",
    )
    services.post_publish(post_id=post.pk)
    client.force_login(family.staff)

    html = page(client, reverse("messaging:institution_posts", args=[family.daycare.pk]))

    assert "Fra kommunen" in html
    assert reverse("messaging:post_readers", args=[post.pk]) not in html
    client.force_login(world.users["admin"])
    html = page(client, reverse("messaging:municipality_posts", args=[world.municipality.pk]))
    assert reverse("messaging:post_readers", args=[post.pk]) in html
