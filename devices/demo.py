"""Demo data for devices, Wi-Fi and the digital suitcases in Køge (see portal/demo.py).

Runs after the grants demo (DEMO_ORDER), so devices can name the grants that paid and the
Wi-Fi per site agrees with the shares (daycares without Wi-Fi at the share run). Tablets
in most rooms, with a few rooms and homes still without, so the coverage indicator has
something to show; Solstrålen has two rooms without. The 32 iPads for the childminders
are a purchase programme linked to its pool, 20 of them distributed. Four suitcases lent
in turn by a published rotation plan, with a flagged return and a waiting list.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from core.demo import Demo
from institutions.models import Group, Institution

from . import services
from .models import (
    Booking,
    BookingCheck,
    Device,
    DeviceKind,
    Funding,
    RotationPlan,
    Suitcase,
    SuitcaseClosure,
    WaitingListEntry,
    WifiSite,
)

# After the grants demo: devices name the grants that paid for them.
DEMO_ORDER = 200
KR = 100

SUITCASES = [
    (
        "Robotkufferten",
        "Programmering og sprog",
        "Små robotter, som børnene programmerer med knapper, og tablets med apps til "
        "begyndende programmering.",
        "Byg en bane med bogstaver, og lad robotten finde ordets første lyd. Lav en "
        "skattejagt på legepladsen.",
        [("Bee-Bot", 6), ("iPad med ladekabel", 2), ("Gennemsigtig banemåtte", 2)],
    ),
    (
        "Fortællekufferten",
        "Kommunikation og sprog",
        "Tablets med apps til at lave billedbøger og animationer, et lille stativ og en mikrofon.",
        "Børnene fotograferer turen til skoven og indtaler deres egen fortælling.",
        [("iPad med Book Creator", 4), ("Bordstativ", 2), ("Mikrofon", 2)],
    ),
    (
        "Naturkufferten",
        "Natur, udeliv og science",
        "Digitale mikroskoper og en vildtkamera til at udforske naturen tæt på.",
        "Hvem besøger legepladsen om natten? Sæt vildtkameraet op og se optagelserne sammen.",
        [("Digitalt mikroskop", 3), ("Vildtkamera", 1), ("Lup med lys", 6)],
    ),
    (
        "Krop og bevægelse",
        "Krop, sanser og bevægelse",
        "Projektor og tablets med bevægelseslege, der kobler leg og digitale medier.",
        "Dans til jeres egne optagelser, og se bevægelserne i slowmotion.",
        [("Lille projektor", 1), ("iPad", 2), ("Bluetooth-højttaler", 1)],
    ),
]


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def seed(demo: Demo) -> None:
    koege = demo.koege
    admin = demo.users["admin"]
    ambassador = demo.users["ambassador"]
    rng = demo.rng
    today = timezone.localdate()
    daycares = list(koege.institutions.daycares().order_by("name"))
    featured = demo.featured
    childminding = next(d for d in daycares if d.kind == Institution.Kind.CHILDMINDING)

    # Wi-Fi per site, in step with the shares: who had none at the share run. -----------
    # (The grants seed leaves them by id in demo.links; without it, none were paid so.)
    without = demo.links.get("without_wifi", set())
    share_grants = demo.links.get("share_grants", {})
    for daycare in daycares:
        if daycare.pk == featured.pk:
            # Solstrålen's Wi-Fi was installed with its share of the development funds.
            services.wifi_site_create(
                actor=ambassador,
                institution=daycare,
                name="Hovedhuset",
                address=daycare.address,
                coverage=WifiSite.Coverage.FULL,
                established_on=today - timedelta(days=120),
                supplier="Køge Net ApS",
                notes="Betalt af andelen af udviklingsmidlerne.",
            )
            continue
        if daycare.pk in without:
            coverage = rng.choice([WifiSite.Coverage.NONE, WifiSite.Coverage.PARTIAL])
        else:
            coverage = WifiSite.Coverage.FULL
        services.wifi_site_create(
            actor=admin,
            institution=daycare,
            name="Hovedhuset" if daycare.kind != Institution.Kind.CHILDMINDING else "Legestuen",
            address=daycare.address,
            coverage=coverage,
            established_on=None
            if coverage == WifiSite.Coverage.NONE
            else date(2013, 8, 1) + timedelta(days=rng.randint(0, 500)),
            supplier="" if coverage == WifiSite.Coverage.NONE else "Kommunens it-afdeling",
        )

    # Devices in the rooms: most have one or two tablets; some none yet. ---------------
    rooms = Group.objects.filter(
        institution__in=[d for d in daycares if d.pk != childminding.pk],
        kind=Group.Kind.ROOM,
        is_active=True,
    ).select_related("institution")
    featured_rooms = sorted((r for r in rooms if r.institution_id == featured.pk), key=str)
    uncovered = {r.pk for r in featured_rooms[:2]}
    counter = 0
    for room in rooms:
        if room.pk in uncovered or (room.institution_id != featured.pk and rng.random() < 0.12):
            continue
        grant = share_grants.get(room.institution_id)
        for _index in range(rng.choice([1, 1, 2])):
            counter += 1
            paid_by_share = grant is not None and rng.random() < 0.4
            services.device_create(
                actor=ambassador if room.institution_id == featured.pk else admin,
                institution=room.institution,
                kind=DeviceKind.TABLET,
                model=rng.choice(["iPad 9", "iPad 10", "Samsung Galaxy Tab A8"]),
                serial_number=f"DMQ{counter:06d}",
                asset_tag=f"K-{counter:05d}",
                group=room,
                status=rng.choice([Device.Status.AVAILABLE] * 5 + [Device.Status.IN_USE]),
                purchased_on=date(2014, 3, 1) + timedelta(days=rng.randint(0, 700)),
                price_ore=rng.choice([2_999, 3_499, 3_999]) * KR,
                funding=Funding.DEVELOPMENT_FUNDS if paid_by_share else Funding.OWN_BUDGET,
                grant_id=grant if paid_by_share else None,
            )
    # A PC for the staff room and an interactive whiteboard in some houses.
    for daycare in daycares[:: max(len(daycares) // 6, 1)]:
        if daycare.kind == Institution.Kind.CHILDMINDING:
            continue
        counter += 1
        services.device_create(
            actor=admin,
            institution=daycare,
            kind=DeviceKind.WHITEBOARD,
            model="SMART Board 6000",
            asset_tag=f"K-{counter:05d}",
            status=Device.Status.AVAILABLE,
            purchased_on=date(2014, 9, 1),
            price_ore=24_000 * KR,
            funding=Funding.OWN_BUDGET,
        )
    Device.objects.create(
        institution=featured,
        kind=DeviceKind.PC,
        model="Lenovo ThinkPad",
        asset_tag="K-PC-001",
        status=Device.Status.IN_REPAIR,
        notes="Skærmen er knækket; sendt til reparation.",
    )

    # The childminders: 17 homes have the iPads of the Herfølge project; 32 come from
    # the central programme, 20 of them handed out so far. ---------------------------
    homes = list(
        Group.objects.filter(institution=childminding, kind=Group.Kind.HOME).order_by("name")
    )
    for home in homes[:17]:
        counter += 1
        services.device_create(
            actor=admin,
            institution=childminding,
            kind=DeviceKind.TABLET,
            model="iPad Air",
            asset_tag=f"K-{counter:05d}",
            group=home,
            purchased_on=date(2012, 10, 1),
            funding=Funding.OWN_BUDGET,
            notes="Projekt iPad i dagplejen, Herfølge.",
        )
    pool_id = demo.links.get("pools", {}).get("iPads til dagplejen")
    programme = services.programme_create(
        actor=admin,
        municipality=koege,
        name="32 iPads til de resterende dagplejere",
        description="Efteråret 2013: iPads til de dagplejere, der ikke var med i Herfølge.",
        device_kind=DeviceKind.TABLET,
        device_model="iPad 4",
        units=32,
        unit_price_ore=5_000 * KR,
        budget_ore=160_000 * KR,
        pool_id=pool_id,
    )
    for index, home in enumerate(homes[17:49]):
        line = services.programme_line_add(actor=admin, programme=programme, group=home, planned=1)
        if index < 20:
            services.programme_distribute(actor=admin, line=line)

    # Suitcases, closure days, a published rotation plan and a draft. ---------------
    troldehoejen = next((d for d in daycares if d.name == "Troldehøjen"), daycares[1])
    suitcases = []
    for name, theme, description, ideas, items in SUITCASES:
        suitcases.append(
            services.suitcase_create(
                actor=admin,
                municipality=koege,
                name=name,
                theme=theme,
                description=description,
                ideas=ideas,
                home_base=troldehoejen,
                status=Suitcase.Status.ACTIVE,
                handover_days=2,
                items=[{"name": n, "quantity": q} for n, q in items],
            )
        )
    for year in (today.year, today.year + 1):
        SuitcaseClosure.objects.create(
            municipality=koege,
            starts_on=date(year, 12, 23),
            ends_on=date(year + 1, 1, 1),
            reason="Jul og nytår",
        )
        SuitcaseClosure.objects.create(
            municipality=koege,
            starts_on=date(year, 7, 6),
            ends_on=date(year, 7, 24),
            reason="Sommerferie",
        )
    # Ten weeks back puts today in the middle of the third four-week turn, whatever the
    # day: two turns are back home and one suitcase per participant is out right now.
    season_start = _monday(today) - timedelta(weeks=10)
    participants = [featured, *[d for d in daycares if d.pk != featured.pk][:7]]
    plan = services.plan_create(
        actor=admin,
        municipality=koege,
        name=f"Kufferter {season_start.year}, første runde",
        starts_on=season_start,
        ends_on=season_start + timedelta(weeks=32) - timedelta(days=1),
        weeks_per_turn=4,
        participants=participants,
        suitcases=suitcases,
    )
    services.plan_generate(actor=admin, plan=plan)
    services.plan_publish(actor=admin, plan=plan)
    # The past turns were handed over and returned; one came back without a robot.
    past = Booking.objects.filter(plan=plan, starts_on__lt=today).select_related("suitcase")
    for booking in past:
        items = list(booking.suitcase.items.all())
        BookingCheck.objects.bulk_create(
            BookingCheck(
                booking=booking, item=i, stage="handover", expected=i.quantity, counted=i.quantity
            )
            for i in items
        )
        booking.status = Booking.Status.HANDED_OUT
        booking.handed_out_at = timezone.now() - timedelta(days=(today - booking.starts_on).days)
        booking.handed_out_by = admin
        if booking.ends_on < today:
            missing = (
                booking.suitcase.name == "Robotkufferten"
                and not Booking.objects.filter(flagged=True).exists()
            )
            BookingCheck.objects.bulk_create(
                BookingCheck(
                    booking=booking,
                    item=i,
                    stage="return",
                    expected=i.quantity,
                    counted=i.quantity - (1 if missing and i.name == "Bee-Bot" else 0),
                )
                for i in items
            )
            booking.status = Booking.Status.RETURNED
            booking.returned_on = booking.ends_on
            booking.returned_by = admin
            booking.flagged = missing
            booking.return_note = "En Bee-Bot mangler." if missing else ""
        booking.save()
    RotationPlan.objects.create(
        municipality=koege,
        name=f"Kufferter {season_start.year + 1}, anden runde",
        starts_on=season_start + timedelta(weeks=36),
        ends_on=season_start + timedelta(weeks=60) - timedelta(days=1),
        weeks_per_turn=4,
        created_by=admin,
    ).suitcases.set(suitcases)
    WaitingListEntry.objects.create(
        suitcase=suitcases[0],
        institution=troldehoejen,
        note="Vi vil gerne prøve robotterne før sommerferien.",
        created_by=admin,
    )
