"""Demo data for competence development in Køge: competence plans, the kick-off
conference coming up and a past theme day, the ambassadors' network meeting three times
a year and a leaders' network, and experiences shared across the daycares.

Dates are relative to today so the demo always has something coming up. The featured
daycare (Børnehuset Solstrålen) has not registered for the conference yet: its leader
can try that.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from institutions.models import Institution, Membership

from .models import (
    Comment,
    CompetencePlan,
    Event,
    Meeting,
    MeetingAttendance,
    Network,
    NetworkMember,
    PlanActivity,
    Post,
    Registration,
    UsefulMark,
)
from .services import meeting_dates
from .themes import AgeGroup, Theme

POSTS = [
    (
        "Digital fortælling med Book Creator",
        "De store børn lavede deres egen bog om turen til stranden. De tog billederne selv "
        "på tablets, indtalte teksten og legede med rækkefølgen. Børnene, der ellers er "
        "stille i samling, fortalte mest. Næste gang vil vi give mere tid til at lytte "
        "til hinandens bøger.",
        [Theme.LANGUAGE, Theme.CULTURE],
        "iPad, Book Creator",
        AgeGroup.KINDERGARTEN,
    ),
    (
        "Bee-Bot på legepladsen",
        "Vi tegnede en bane med kridt og lod børnene programmere Bee-Bot'en til at finde "
        "vej til sandkassen. De legede videre med at være robotter selv og gav hinanden "
        "kommandoer. Godt til at tale om retning og rækkefølge.",
        [Theme.NATURE, Theme.BODY],
        "Bee-Bot",
        AgeGroup.KINDERGARTEN,
    ),
    (
        "Lyde fra skoven på tablet",
        "På skovturen optog vuggestuebørnene lyde: fuglesang, blade og en bæk. Hjemme "
        "lyttede vi til optagelserne og gættede, hvad det var. De mindste pegede og "
        "efterlignede lydene.",
        [Theme.NATURE, Theme.LANGUAGE],
        "Tablet, diktafon-app",
        AgeGroup.NURSERY,
    ),
    (
        "Green screen: vi rejste til månen",
        "Med en grøn dug og en app kunne børnene sætte sig selv ind på månen og i "
        "havet. Vi lagde vægt på, at børnene selv bestemte historien. Det gav mange "
        "fælles grin og nye venskaber på tværs af stuerne.",
        [Theme.CULTURE, Theme.SOCIAL],
        "iPad, Green Screen by Do Ink",
        AgeGroup.KINDERGARTEN,
    ),
    (
        "Interaktiv tavle i samlingen",
        "Vi brugte den interaktive tavle til at synge og danse efter billeder, som "
        "børnene selv havde valgt. Børn med et andet modersmål var mere med, når de "
        "kunne pege på billederne.",
        [Theme.LANGUAGE, Theme.BODY],
        "Interaktiv tavle",
        AgeGroup.ALL,
    ),
    (
        "Stop motion med modellervoks",
        "Fire børn lavede en kort film om en snegl, der ville over vejen. De lærte at "
        "tage et billede, flytte figuren lidt og tage et nyt. Tålmodighed og samarbejde "
        "blev trænet, og filmen blev vist for forældrene.",
        [Theme.CULTURE, Theme.PERSONAL],
        "iPad, Stop Motion Studio",
        AgeGroup.KINDERGARTEN,
    ),
    (
        "Billeder af legen til forældrene",
        "Vi tager billeder af børnenes leg og viser dem for forældrene på skærmen ved "
        "indgangen. Det giver gode snakke ved afhentning om, hvad børnene har lavet, og "
        "forældrene spørger mere ind til legen.",
        [Theme.SOCIAL],
        "Tablet, skærm ved indgangen",
        AgeGroup.ALL,
    ),
    (
        "QR-løb i naturen",
        "Vi hængte QR-koder op på legepladsen og i skoven. Bag hver kode var en opgave: "
        "find noget rundt, hop som en frø, tæl blade. Børnene skiftedes til at scanne "
        "med tabletten.",
        [Theme.NATURE, Theme.BODY],
        "Tablet, QR-kode-app",
        AgeGroup.KINDERGARTEN,
    ),
    (
        "Rim og remser med Puppet Pals",
        "Børnene valgte figurer og indtalte rim og remser. De legede med stemmerne og "
        "lo meget. Sprogpædagogen bruger optagelserne til at følge udtalen.",
        [Theme.LANGUAGE],
        "iPad, Puppet Pals",
        AgeGroup.KINDERGARTEN,
    ),
    (
        "Dagplejens fælles billedbog",
        "I legestuen lavede dagplejerne en fælles billedbog med børnenes hverdag. "
        "Børnene genkender hinanden og peger og navngiver. Bogen går på skift mellem "
        "hjemmene.",
        [Theme.SOCIAL, Theme.LANGUAGE],
        "Tablet",
        AgeGroup.NURSERY,
    ),
    (
        "Forstørrelsesglas og mikroskop-kamera",
        "Med et digitalt mikroskop så børnene på myrer, blade og sand på den store "
        "skærm. Nysgerrigheden var stor, og mange spørgsmål førte til en bog om insekter.",
        [Theme.NATURE],
        "Digitalt mikroskop",
        AgeGroup.KINDERGARTEN,
    ),
    (
        "Etik: hvornår tager vi billeder?",
        "På personalemødet talte vi om, hvornår det er i orden at fotografere børnene, "
        "og hvordan børnene selv kan sige nej. Vi aftalte at spørge børnene, før vi "
        "tager et billede, og at slette billeder, der ikke bruges.",
        [Theme.PERSONAL, Theme.SOCIAL],
        "",
        AgeGroup.ALL,
    ),
]
COMMENTS = [
    "Tak for idéen, den prøver vi i næste uge!",
    "Hvor lang tid brugte I på forberedelsen?",
    "Vi har gjort noget lignende, og børnene elskede det.",
    "Kan I dele, hvordan I fik alle børn med?",
]


def _at(day, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def seed(demo) -> None:
    rng = demo.rng
    koege = demo.koege
    users = demo.users
    today = timezone.localdate()
    daycares = list(koege.institutions.daycares().order_by("name"))
    featured = demo.featured
    memberships = list(
        Membership.objects.filter(institution__in=daycares, role__in=("leader", "ambassador"))
        .select_related("user")
        .order_by("pk")
    )
    leaders = {m.institution_id: m.user for m in memberships if m.role == "leader"}
    ambassadors: dict[int, list] = {}
    for m in memberships:
        if m.role == "ambassador":
            ambassadors.setdefault(m.institution_id, []).append(m.user)

    _plans(daycares, featured, users, today, rng)
    _events(koege, daycares, featured, leaders, ambassadors, users, today, rng)
    _networks(koege, daycares, ambassadors, users, today, rng)
    _posts(daycares, featured, leaders, ambassadors, users, today, rng)


def _plans(daycares, featured, users, today, rng) -> None:
    plans = []
    for institution in daycares:
        if institution.pk != featured.pk and rng.random() > 0.65:
            continue
        plans.append(
            CompetencePlan(
                institution=institution,
                year=today.year,
                budget_ore=rng.choice([5_000, 8_000, 12_500, 15_000, 20_000, 30_000]) * 100,
                hours=Decimal(rng.choice([20, 30, 40, 60, 80])),
            )
        )
    CompetencePlan.objects.bulk_create(plans)
    plan = CompetencePlan.objects.get(institution=featured, year=today.year)
    plan.budget_ore, plan.hours = 25_000_00, Decimal(60)
    plan.notes = "Fokus på tablets i sprogarbejdet og på at dele erfaringer i netværket."
    plan.save()
    course = PlanActivity.objects.create(
        plan=plan,
        kind=PlanActivity.Kind.COURSE,
        title="Kursus: iPad i pædagogisk praksis",
        starts_on=today.replace(month=3, day=10),
        ends_on=today.replace(month=3, day=11),
        planned_cost_ore=9_000_00,
        spent_cost_ore=8_750_00,
        planned_hours=Decimal(15),
        spent_hours=Decimal(15),
    )
    course.participants.set([users["ambassador"], users["staff"]])
    conference = PlanActivity.objects.create(
        plan=plan,
        kind=PlanActivity.Kind.CONFERENCE,
        title="Opstartskonference om digitalisering",
        starts_on=today,
        planned_cost_ore=0,
        planned_hours=Decimal(13),
    )
    conference.participants.set([users["leader"], users["ambassador"]])
    PlanActivity.objects.create(
        plan=plan,
        kind=PlanActivity.Kind.NETWORK,
        title="Ambassadørnetværket, tre møder",
        starts_on=today.replace(month=2, day=1),
        planned_cost_ore=1_500_00,
        spent_cost_ore=1_000_00,
        planned_hours=Decimal(9),
        spent_hours=Decimal(6),
    ).participants.set([users["ambassador"]])


def _events(koege, daycares, featured, leaders, ambassadors, users, today, rng) -> None:
    admin = users["admin"]
    kickoff_day = today + timedelta(days=42)
    while kickoff_day.weekday() != 3:  # a Thursday
        kickoff_day += timedelta(days=1)
    kickoff = Event.objects.create(
        municipality=koege,
        title="Opstartskonference: Digitalisering i dagtilbud",
        kind=Event.Kind.CONFERENCE,
        is_kickoff=True,
        starts_at=_at(kickoff_day, 9),
        ends_at=_at(kickoff_day, 15, 30),
        place="Køge Kulturhus, Store Sal",
        address="Torvet 1, 4600 Køge",
        capacity=80,
        audience="Lederen og én medarbejder fra hvert dagtilbud",
        programme=(
            "09.00 Velkomst og morgenkaffe\n"
            "09.30 Delstrategien for digitalisering i dagtilbud\n"
            "10.30 Børn som medskabere: digitale medier i læringsmiljøet\n"
            "12.00 Frokost\n"
            "12.45 Workshops: tablets, interaktive tavler og digital fortælling\n"
            "14.30 Netværkene starter: sådan deler vi viden\n"
            "15.15 Opsamling"
        ),
        registration_closes_on=kickoff_day - timedelta(days=10),
        created_by=admin,
        invitations_sent_at=timezone.now() - timedelta(days=5),
    )
    theme_day_date = today - timedelta(days=120)
    theme_day = Event.objects.create(
        municipality=koege,
        title="Temadag: Sprog og digitale medier",
        kind=Event.Kind.THEME_DAY,
        starts_at=_at(theme_day_date, 9),
        ends_at=_at(theme_day_date, 14),
        place="Køge Bibliotek",
        address="Kirkestræde 18, 4600 Køge",
        capacity=30,
        audience="Pædagoger og digitale ambassadører",
        programme="09.00 Oplæg om sprog og tablets\n11.00 Workshops\n13.30 Opsamling",
        created_by=admin,
    )
    now = timezone.now()
    rows = []
    confirmed = 0
    for index, institution in enumerate(daycares):
        if institution.pk == featured.pk or index % 5 == 4:
            continue
        leader = leaders.get(institution.pk)
        if leader and index % 3:
            rows.append(
                Registration(
                    event=kickoff,
                    for_kickoff=True,
                    institution=institution,
                    user=leader,
                    as_leader=True,
                    status="confirmed",
                    registered_by=leader,
                    queued_at=now,
                    confirmed_at=now,
                )
            )
            confirmed += 1
        for ambassador in ambassadors.get(institution.pk, [])[:1]:
            rows.append(
                Registration(
                    event=kickoff,
                    for_kickoff=True,
                    institution=institution,
                    user=ambassador,
                    status="confirmed",
                    registered_by=leader or ambassador,
                    queued_at=now,
                    confirmed_at=now,
                )
            )
            confirmed += 1
    attended = 0
    for institution in daycares[:12]:
        for ambassador in ambassadors.get(institution.pk, [])[:1]:
            arrived = _at(theme_day_date, 8, 50) if rng.random() < 0.85 else None
            rows.append(
                Registration(
                    event=theme_day,
                    institution=institution,
                    user=ambassador,
                    status="confirmed",
                    registered_by=ambassador,
                    queued_at=now,
                    confirmed_at=now,
                    checked_in_at=arrived,
                )
            )
            attended += 1
    Registration.objects.bulk_create(rows)
    Event.objects.filter(pk=kickoff.pk).update(confirmed_count=confirmed)
    Event.objects.filter(pk=theme_day.pk).update(confirmed_count=attended)


def _networks(koege, daycares, ambassadors, users, today, rng) -> None:
    ambassador_network = Network.objects.create(
        municipality=koege,
        name="Ambassadørnetværket",
        purpose=(
            "De digitale ambassadører mødes for at dele erfaringer, afprøve nye redskaber "
            "og tage idéer med hjem til kollegerne."
        ),
        cadence=3,
        audience=Network.Audience.AMBASSADORS,
        organiser=users["consultant"],
        usual_place="Rådhuset, mødelokale 3",
    )
    leader_network = Network.objects.create(
        municipality=koege,
        name="Ledernetværk om digitalisering",
        purpose="Lederne følger op på delstrategien og deler erfaringer med organiseringen.",
        cadence=2,
        audience=Network.Audience.LEADERS,
        organiser=users["admin"],
        usual_place="Rådhuset, byrådssalen",
    )
    members = [i for i in daycares if i.pk in ambassadors] or daycares
    NetworkMember.objects.bulk_create(
        [NetworkMember(network=ambassador_network, institution=i) for i in members]
        + [NetworkMember(network=leader_network, institution=i) for i in daycares]
    )
    now = timezone.now()
    for network, start in ((ambassador_network, time(13)), (leader_network, time(9))):
        for year in (today.year, today.year + 1):
            for moment in meeting_dates(year=year, cadence=network.cadence, weekday=1, start=start):
                Meeting.objects.create(
                    network=network,
                    starts_at=moment,
                    ends_at=moment + timedelta(hours=2),
                    place=network.usual_place,
                    agenda="1. Nyt fra dagtilbuddene\n2. Tema: digital fortælling\n3. Næste møde",
                )
    past = list(
        Meeting.objects.filter(network=ambassador_network, ends_at__lt=now).order_by("starts_at")
    )
    attendance = []
    for index, meeting in enumerate(past):
        for institution in members:
            if rng.random() < 0.75:
                attendance.append(
                    MeetingAttendance(
                        meeting=meeting, institution=institution, recorded_by=users["consultant"]
                    )
                )
        if index < len(past) - 1:  # the latest meeting's minutes are still missing
            meeting.minutes = (
                "Til stede: se fremmøde.\n\n1. Runde: flere stuer bruger nu tablets i "
                "sprogarbejdet.\n2. Digital fortælling: Book Creator og Puppet Pals blev "
                "afprøvet.\n3. Næste møde: vi deler erfaringer med etik og billeder."
            )
            meeting.minutes_by = users["consultant"]
            meeting.minutes_at = meeting.ends_at + timedelta(days=1)
            meeting.save(update_fields=["minutes", "minutes_by", "minutes_at"])
    MeetingAttendance.objects.bulk_create(attendance)


def _posts(daycares, featured, leaders, ambassadors, users, today, rng) -> None:
    now = timezone.now()
    authors: list[tuple[Institution, object]] = [(featured, users["ambassador"])]
    authors += [(i, people[0]) for i in daycares if (people := ambassadors.get(i.pk))]
    colleagues = [users["staff"], users["leader"], *(u for _i, u in authors)]
    for index, (title, body, themes, device, age_group) in enumerate(POSTS):
        institution, author = authors[index % len(authors)]
        post = Post.objects.create(
            institution=institution,
            author=author,
            title=title,
            body=body,
            themes=[t.value for t in themes],
            device=device,
            age_group=age_group.value,
        )
        created = now - timedelta(days=index * 17 + rng.randint(0, 10))
        Post.objects.filter(pk=post.pk).update(created_at=created, updated_at=created)
        readers = [c for c in colleagues if c.pk != author.pk]
        for reader in rng.sample(readers, k=min(len(readers), rng.randint(0, 4))):
            UsefulMark.objects.get_or_create(post=post, user=reader)
        for text in rng.sample(COMMENTS, k=rng.randint(0, 2)):
            Comment.objects.create(post=post, author=rng.choice(readers), body=text)
