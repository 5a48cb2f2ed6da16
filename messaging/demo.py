"""Demo data for messaging: posts, conversations, photo consent and closed days in Køge.

The demo parent (foraelder@koege.example) has Alma in a kindergarten group of Børnehuset
Solstrålen and Viggo in SFO Ellebæk: one feed and one inbox show both.
"""

from __future__ import annotations

import io
from datetime import date, timedelta

from django.utils import timezone
from PIL import Image, ImageDraw

from accounts.models import User
from core.demo import Demo
from core.uploads import IMAGE, check_upload
from institutions.models import Child, Group, Guardianship, Membership

from .models import (
    ClosurePeriod,
    Message,
    PhotoConsent,
    Post,
    PostDelivery,
    PostImage,
    Thread,
    ThreadRead,
)
from .sanitize import clean_html
from .services.posts import audience_guardian_ids, store_photo


def _photo(seed: int) -> io.BytesIO:
    """A drawn picture (no real child is ever in the demo)."""
    image = Image.new("RGB", (1200, 800), (120 + seed * 20 % 100, 170, 90))
    draw = ImageDraw.Draw(image)
    draw.ellipse((80, 60, 360, 340), fill=(250, 210, 60))
    for n in range(6):
        x = 150 + n * 160
        draw.rectangle((x, 420, x + 90, 700), fill=(90 + n * 20, 70, 40))
        draw.ellipse((x - 40, 330, x + 130, 480), fill=(40, 120 + n * 15, 50))
    out = io.BytesIO()
    image.save(out, format="JPEG")
    out.name = "skovtur.jpg"
    out.size = out.tell()
    out.seek(0)
    return out


def _post(
    demo: Demo, *, author, days_ago: float, read_share: float, readers: set[int], **fields
) -> Post:
    """A published post, read by about `read_share` of its guardians among `readers`: only
    a guardian who has logged in can have read it (the reach page shows both)."""
    when = timezone.now() - timedelta(days=days_ago)
    groups = fields.pop("groups", [])
    institutions = fields.pop("institutions", [])
    post = Post.objects.create(
        author=author,
        publish_at=when,
        published_at=when,
        body=clean_html(fields.pop("body")),
        **fields,
    )
    post.groups.set(groups)
    post.institutions.set(institutions)
    guardian_ids = audience_guardian_ids(post)
    deliveries = []
    for pk in guardian_ids:
        read_at = (
            when + timedelta(hours=demo.rng.randint(1, 30))
            if demo.rng.random() < read_share
            else None
        )
        deliveries.append(
            PostDelivery(
                post=post,
                guardian_id=pk,
                published_at=when,
                read_at=read_at if pk in readers else None,
            )
        )
    PostDelivery.objects.bulk_create(deliveries)
    return post


def _thread(*, institution, guardian, child, subject, lines, sensitive=False, days_ago=3):
    start = timezone.now() - timedelta(days=days_ago)
    thread = Thread.objects.create(
        institution=institution,
        guardian=guardian,
        child=child,
        group=child.group,
        to=Thread.To.LEADER if sensitive else Thread.To.GROUP,
        subject=subject,
        sensitive=sensitive,
        started_by=lines[0][0],
        last_message_at=start,
    )
    when = start
    for author, text in lines:
        when += timedelta(hours=2)
        message = Message.objects.create(
            thread=thread, author=author, body=text, from_staff=author.pk != guardian.pk
        )
        Message.objects.filter(pk=message.pk).update(created_at=when)
        if author.pk != guardian.pk:
            thread.answered_by, thread.answered_at = author, when
    thread.last_message_at = when
    thread.awaiting_staff = lines[-1][0].pk == guardian.pk
    thread.save()
    for author, _text in lines:
        ThreadRead.objects.update_or_create(thread=thread, user=author, defaults={"read_at": when})
    return thread


def seed(demo: Demo) -> None:
    featured = demo.featured
    users = demo.users
    parent, pedagogue, leader = users["guardian"], users["staff"], users["leader"]
    alma = Child.objects.select_related("group").get(
        first_name="Alma", last_name="Dahl", group__institution=featured
    )
    viggo = Child.objects.select_related("group__institution").get(
        first_name="Viggo", last_name="Dahl"
    )
    sfo = viggo.group.institution
    sfo_leader = Membership.objects.get(institution=sfo, role=Membership.Role.LEADER).user
    room = alma.group
    rooms = list(Group.objects.filter(institution=featured).order_by("name"))

    # Most guardians have logged in; some have not yet, so the reach page has work.
    guardian_ids = list(
        Guardianship.objects.filter(child__group__institution=featured)
        .values_list("guardian_id", flat=True)
        .distinct()
    )
    active = [pk for pk in guardian_ids if demo.rng.random() < 0.85] + [parent.pk]
    # The two families who write to the daycare below have logged in, of course.
    others: dict[int, Guardianship] = {}
    for guardianship in (
        Guardianship.objects.filter(child__group=room)
        .exclude(guardian=parent)
        .order_by("pk")
        .select_related("guardian", "child__group")
    ):
        others.setdefault(guardianship.guardian_id, guardianship)
    writers = list(others.values())[:2]
    active += [g.guardian_id for g in writers]
    User.objects.filter(pk__in=active).update(last_login=timezone.now() - timedelta(days=2))
    readers = set(active)

    # Photo consent: nearly every family in Alma's room has said yes.
    consents = [
        PhotoConsent(child_id=g.child_id, guardian_id=g.guardian_id, consented=True)
        for g in Guardianship.objects.filter(child__group=room)
        if demo.rng.random() < 0.9 or g.guardian_id == parent.pk
    ]
    PhotoConsent.objects.bulk_create(consents)

    _post(
        demo,
        readers=readers,
        author=leader,
        days_ago=12,
        read_share=0.8,
        municipality=featured.municipality,
        institution=featured,
        audience=Post.Audience.INSTITUTION,
        kind=Post.Kind.PRACTICAL,
        title="Lukket mellem jul og nytår",
        body="Børnehuset holder lukket fra den 24. december til og med den 1. januar.\n\n"
        "Har I brug for pasning, så skriv til os senest den 1. december.",
        important=True,
    )
    insight = _post(
        demo,
        readers=readers,
        author=pedagogue,
        days_ago=4,
        read_share=0.6,
        municipality=featured.municipality,
        institution=featured,
        audience=Post.Audience.GROUPS,
        groups=[room],
        kind=Post.Kind.INSIGHT,
        themes=["nature", "language"],
        title=f"{room.name} på skovtur: hvorfor vi samler blade",
        body="I denne uge har vi samlet blade i skoven. Børnene sorterer dem efter farve og "
        "form og sætter ord på forskellene.\n\nDet træner sproget og nysgerrigheden over for "
        "naturen: to af læreplanens temaer.",
    )
    pictured = list(Child.objects.filter(group=room, photo_consents__consented=True)[:3])
    image = PostImage(post=insight, description="Børn samler blade i skoven (tegning)")
    store_photo(image, check_upload(_photo(1), accept=(IMAGE,)))
    image.pictured.set(pictured)
    _post(
        demo,
        readers=readers,
        author=sfo_leader,
        days_ago=2,
        read_share=0.5,
        municipality=sfo.municipality,
        institution=sfo,
        audience=Post.Audience.GROUPS,
        groups=[viggo.group],
        kind=Post.Kind.PRACTICAL,
        title="Husk regntøj til fredagens tur",
        body="På fredag går vi til stranden. Husk regntøj og gummistøvler.",
    )
    _post(
        demo,
        readers=readers,
        author=users["admin"],
        days_ago=20,
        read_share=0.4,
        municipality=featured.municipality,
        institution=None,
        audience=Post.Audience.MUNICIPALITY,
        kind=Post.Kind.PRACTICAL,
        title="Ny forældreportal i Køge Kommune",
        body="Al skriftlig kommunikation mellem dagtilbud og forældre foregår nu her. "
        "Den erstatter ikke den gode snak, når I henter og bringer.",
    )
    for index, other in enumerate(rooms):
        if other.pk == room.pk:
            continue
        _post(
            demo,
            readers=readers,
            author=leader,
            days_ago=6 + index,
            read_share=0.7,
            municipality=featured.municipality,
            institution=featured,
            audience=Post.Audience.GROUPS,
            groups=[other],
            kind=Post.Kind.PRACTICAL,
            title=f"Forældremøde i {other.name}",
            body="Vi holder forældremøde tirsdag kl. 17. Der er kaffe og kage.",
        )

    _thread(
        institution=featured,
        guardian=parent,
        child=alma,
        subject="Alma bliver hentet af mormor i morgen",
        lines=[
            (parent, "Hej. Alma bliver hentet af sin mormor, Inge, i morgen kl. 15."),
            (pedagogue, "Tak for beskeden. Vi giver Alma besked i morgen."),
        ],
    )
    _thread(
        institution=sfo,
        guardian=parent,
        child=viggo,
        subject="Viggo går hjem selv om onsdagen",
        lines=[(parent, "Fra næste uge må Viggo gå hjem selv kl. 15 om onsdagen.")],
        days_ago=1,
    )
    if writers:
        first = writers[0]
        _thread(
            institution=featured,
            guardian=first.guardian,
            child=first.child,
            subject="Madpakke og allergi",
            lines=[(first.guardian, "Må vi tale om nøddeallergi ved næste aflevering?")],
            days_ago=0.5,
        )
    if len(writers) > 1:
        second = writers[1]
        _thread(
            institution=featured,
            guardian=second.guardian,
            child=second.child,
            subject="Vi er ved at blive skilt",
            lines=[
                (second.guardian, "Jeg vil gerne fortælle lederen, at vi er ved at blive skilt."),
                (leader, "Tak fordi du fortæller det. Lad os tage en snak i morgen."),
            ],
            sensitive=True,
            days_ago=6,
        )

    year = date.today().year
    ClosurePeriod.objects.bulk_create(
        [
            ClosurePeriod(
                institution=featured,
                starts_on=date(year, 12, 24),
                ends_on=date(year + 1, 1, 1),
                reply="Tak for din besked. Børnehuset holder juleferie og læser beskeder igen "
                "den 2. januar. Haster det, så ring til Køge Kommunes pasningsvagt.",
            ),
            ClosurePeriod(
                institution=featured,
                starts_on=date(year + 1, 7, 13),
                ends_on=date(year + 1, 7, 24),
                reply="Tak for din besked. Vi holder sommerlukket og svarer, når vi er tilbage.",
            ),
        ]
    )
