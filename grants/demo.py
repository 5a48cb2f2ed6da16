"""Demo data for the strategy's money in Køge (see portal/demo.py for the base).

The strategy's pools: 160,000 kr for 32 iPads for the childminders, 125,000 kr for
digital suitcases, 315,000 kr shared among all daycares by number of children (earmarked
Wi-Fi where there is none, then tablets or PCs), and an open pool for trials of digital
learning materials with applications in every state; plus last year's pool, closed, with
money given back. Dates are relative to today, so the pools stay open when the demo is
loaded later. Everything goes through the services, so histories and audit entries are
real; only dates that the services would refuse in the past are moved afterwards.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from core.demo import COUNT_DATES, Demo
from goals.models import LocalGoal
from institutions.models import Institution, Membership

from . import services
from .models import Application, Earmark, Grant, Pool

KR = 100  # øre per krone

# A small, valid one-page PDF: the demo's scanned receipts.
RECEIPT_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 300 200]/Contents 4 0 R"
    b"/Resources<</Font<</F1 5 0 R>>>>>>endobj\n"
    b"4 0 obj<</Length 44>>stream\nBT /F1 14 Tf 30 100 Td (Kvittering) Tj ET\nendstream endobj\n"
    b"5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def receipt(name: str = "kvittering.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, RECEIPT_PDF, content_type="application/pdf")


def _leader(institution: Institution):
    return (
        Membership.objects.filter(institution=institution, role=Membership.Role.LEADER)
        .select_related("user")
        .first()
        .user
    )


def _apply(pool, institution, project, purpose, goal, lines, asked, *, partial=True):
    leader = _leader(institution)
    # The daycare's first goal for digital media where it has one in the portal (the goals
    # demo runs first); otherwise the goal in the daycare's own words.
    local_goal = (
        LocalGoal.objects.filter(institution=institution)
        .exclude(status=LocalGoal.Status.DROPPED)
        .order_by("pk")
        .first()
    )
    return services.application_create(
        actor=leader,
        pool=pool,
        institution=institution,
        project=project,
        purpose=purpose,
        local_goal=local_goal,
        goal_text="" if local_goal else goal,
        amount_asked_ore=asked * KR,
        partial_funding_helps=partial,
        budget_lines=[{"description": d, "earmark": e, "amount_ore": a * KR} for d, e, a in lines],
    )


def _submit(application):
    return services.application_submit(
        actor=_leader(application.institution), application=application
    )


def _decide(admin, application, outcome, *, approved=None, reason="", report_due=None):
    services.application_start_review(actor=admin, application=application)
    return services.application_decide(
        actor=admin,
        application=application,
        outcome=outcome,
        approved_ore=approved * KR if approved else None,
        reason=reason,
        report_due_on=report_due,
    )


def _spend(grant: Grant, actor, items, first_day: date):
    for offset, (description, earmark, amount) in enumerate(items):
        services.expense_create(
            actor=actor,
            grant=grant,
            earmark=earmark,
            spent_on=min(first_day + timedelta(days=9 * offset), timezone.localdate()),
            description=description,
            amount_ore=amount * KR,
            receipt=receipt(f"kvittering-{offset + 1}.pdf"),
        )


def seed(demo: Demo) -> None:
    today = timezone.localdate()
    koege = demo.koege
    admin = demo.users["admin"]
    daycares = {i.name: i for i in koege.institutions.daycares()}
    featured = demo.featured
    childminding = daycares["Dagplejen Køge"]
    troldehoejen = daycares["Troldehøjen"]

    # 160,000 kr for 32 iPads: the childminding unit applied, and got it all. ----------
    ipads = services.pool_create(
        actor=admin,
        municipality=koege,
        name="iPads til dagplejen",
        description=(
            "Erfaringerne fra 'Projekt iPad i dagplejen' i Herfølge bredes ud: 32 iPads til "
            "resten af dagplejerne i Køge Kommune."
        ),
        kind=Pool.Kind.APPLICATION,
        total_ore=160_000 * KR,
        period_start=today - timedelta(days=300),
        period_end=today + timedelta(days=65),
        opens_on=today - timedelta(days=300),
        closes_on=today + timedelta(days=1),
        max_per_application_ore=None,
        partial_funding_allowed=False,
        earmarks=[Earmark.DEVICES],
        eligible_kinds=[Institution.Kind.CHILDMINDING],
    )
    services.pool_publish(actor=admin, pool=ipads)
    application = _apply(
        ipads,
        childminding,
        "32 iPads til dagplejerne",
        "Hver dagplejer får en iPad, så børnene kan fotografere, fortælle og lege med "
        "apps om sprog og tal, og forældrene kan se dagens billeder.",
        "Alle børn har mulighed for at vælge digitale medier i hverdagen",
        [
            ("32 iPads med cover", Earmark.DEVICES, 144_000),
            ("Opsætning og MDM", Earmark.DEVICES, 16_000),
        ],
        160_000,
        partial=False,
    )
    _submit(application)
    _decide(admin, application, Application.Outcome.APPROVED, report_due=today + timedelta(days=20))
    grant = Grant.objects.get(application=application)
    _spend(
        grant,
        _leader(childminding),
        [
            ("20 iPads med cover (1. levering)", Earmark.DEVICES, 90_000),
            ("Opsætning og MDM", Earmark.DEVICES, 16_000),
        ],
        today - timedelta(days=120),
    )

    # 125,000 kr for digital suitcases: Troldehøjen assembles them for all. -----------
    suitcases = services.pool_create(
        actor=admin,
        municipality=koege,
        name="Digitaliseringskufferter",
        description=(
            "Kufferter med digitale læremidler, som dagtilbuddene låner på skift. Et dagtilbud "
            "samler og passer kufferterne på vegne af alle."
        ),
        kind=Pool.Kind.APPLICATION,
        total_ore=125_000 * KR,
        period_start=today - timedelta(days=280),
        period_end=today + timedelta(days=30),
        opens_on=today - timedelta(days=280),
        closes_on=today + timedelta(days=1),
        max_per_application_ore=None,
        partial_funding_allowed=True,
        earmarks=[Earmark.SUITCASES],
        eligible_kinds=[],
    )
    services.pool_publish(actor=admin, pool=suitcases)
    application = _apply(
        suitcases,
        troldehoejen,
        "Fem digitaliseringskufferter til udlån",
        "Vi samler fem kufferter med Bee-Bots, lydoptagere, mikroskoper til tablets og "
        "stop motion-udstyr, og står for udlån og vedligehold.",
        "Vi deler viden og udstyr med de andre dagtilbud",
        [
            ("Indhold til fem kufferter", Earmark.SUITCASES, 110_000),
            ("Kufferter og opbevaring", Earmark.SUITCASES, 15_000),
        ],
        125_000,
    )
    _submit(application)
    _decide(admin, application, Application.Outcome.APPROVED, report_due=today + timedelta(days=45))
    grant = Grant.objects.get(application=application)
    leader = _leader(troldehoejen)
    _spend(
        grant,
        leader,
        [
            ("Bee-Bots og lydoptagere", Earmark.SUITCASES, 58_000),
            ("Mikroskoper og stop motion-sæt", Earmark.SUITCASES, 52_000),
            ("Fem kufferter", Earmark.SUITCASES, 15_000),
        ],
        today - timedelta(days=200),
    )
    services.application_report(
        actor=leader,
        application=application,
        report_text="Fem kufferter er samlet og har været udlånt til 14 dagtilbud.",
        report_evaluation=(
            "Bee-Bots og stop motion er de mest populære. Kufferterne skal have en "
            "vejledning med til personalet."
        ),
    )
    Pool.objects.filter(pk__in=[ipads.pk, suitcases.pk]).update(
        closes_on=today - timedelta(days=200)
    )

    # 315,000 kr shared by number of children: Wi-Fi first where there is none. ---------
    shared = services.pool_create(
        actor=admin,
        municipality=koege,
        name="Udviklingsmidler fordelt efter antal børn",
        description=(
            "315.000 kr. af de centrale udviklingsmidler fordeles til alle dagtilbud efter "
            "antal børn. Midlerne er øremærket til (a) trådløst netværk, hvor det ikke findes, "
            "og (b) tablets eller pc'er."
        ),
        kind=Pool.Kind.FORMULA,
        total_ore=315_000 * KR,
        period_start=today - timedelta(days=330),
        period_end=today + timedelta(days=35),
        earmarks=[Earmark.WIFI, Earmark.DEVICES],
    )
    reference = max((d for d in COUNT_DATES if d <= today), default=COUNT_DATES[0])
    others = sorted((i for i in daycares.values() if i.pk != featured.pk), key=lambda i: i.name)
    without_wifi = [featured, *demo.rng.sample(others, 5)]
    services.share_run_calculate(
        actor=admin,
        pool=shared,
        reference_date=reference,
        wifi_reserve_ore=5_000 * KR,
        rest_earmark=Earmark.DEVICES,
        without_wifi=[i.pk for i in without_wifi],
    )
    services.share_run_publish(actor=admin, pool=shared)
    grants = {g.institution_id: g for g in Grant.objects.filter(share__run__pool=shared)}
    # For the devices seed: Wi-Fi in step with the shares, and the shares and pools that paid.
    demo.links["without_wifi"] = {i.pk for i in without_wifi}
    demo.links["share_grants"] = {daycare: grant.pk for daycare, grant in grants.items()}
    demo.links["pools"] = {ipads.name: ipads.pk, shared.name: shared.pk}
    first_day = today - timedelta(days=150)
    # Solstrålen had no Wi-Fi: it is installed; about half the rest went on a tablet.
    featured_grant = grants[featured.pk]
    allocations = {a.earmark: a for a in featured_grant.allocations.all()}
    items = [
        (
            "Trådløse access points og installation",
            Earmark.WIFI,
            allocations[Earmark.WIFI].amount_ore // KR,
        )
    ]
    if Earmark.DEVICES in allocations:
        items.append(
            (
                "iPad med cover til vuggestuen",
                Earmark.DEVICES,
                allocations[Earmark.DEVICES].amount_ore // KR // 2,
            )
        )
    _spend(featured_grant, demo.users["leader"], items, first_day)
    # A third of the others have spent everything already.
    for institution in others[::3]:
        grant = grants.get(institution.pk)
        if grant is None:
            continue
        items = [
            (
                f"Indkøb: {allocation.get_earmark_display().lower()}",
                allocation.earmark,
                allocation.amount_ore // KR,
            )
            for allocation in grant.allocations.all()
        ]
        _spend(grant, _leader(institution), items, first_day)

    # The open pool for trials of digital learning materials. -------------------------
    trials = services.pool_create(
        actor=admin,
        municipality=koege,
        name="Forsøg med digitale læremidler",
        description=(
            "Alle dagtilbud kan søge hel eller delvis finansiering af forsøg med digitale "
            "læremidler. Beskriv forsøget, hvilke børn det er for, og hvad I vil lære af det."
        ),
        kind=Pool.Kind.APPLICATION,
        total_ore=250_000 * KR,
        period_start=today - timedelta(days=20),
        period_end=today + timedelta(days=300),
        opens_on=today - timedelta(days=20),
        closes_on=today + timedelta(days=40),
        max_per_application_ore=25_000 * KR,
        partial_funding_allowed=True,
        earmarks=[Earmark.LEARNING_MATERIALS, Earmark.DEVICES, Earmark.COMPETENCE],
        eligible_kinds=[],
    )
    services.pool_publish(actor=admin, pool=trials)
    _apply(
        trials,
        featured,
        "Interaktiv fortælling på storskærm",
        "Børnene i børnehaven optager egne fortællinger og viser dem for hinanden.",
        "Børnenes sprog og medbestemmelse",
        [
            ("Storskærm på stativ", Earmark.DEVICES, 12_000),
            ("Licens til fortælle-app", Earmark.LEARNING_MATERIALS, 6_000),
        ],
        18_000,
    )
    submitted = _apply(
        trials,
        daycares["Mælkebøtten"],
        "Programmering med Bee-Bots",
        "De ældste børn lærer at give en robot ordrer i trin, i leg med tal og retninger.",
        "Matematisk opmærksomhed i legen",
        [
            ("Seks Bee-Bots med måtter", Earmark.LEARNING_MATERIALS, 13_000),
            ("Halv kursusdag for to pædagoger", Earmark.COMPETENCE, 2_000),
        ],
        15_000,
    )
    _submit(submitted)
    in_review = _apply(
        trials,
        daycares["Regnbuen"],
        "Digitale naturfortællinger",
        "På ture optager børnene lyde og billeder af naturen og laver en fælles fortælling.",
        "Natur, udeliv og science",
        [
            ("Tre robuste tablets", Earmark.DEVICES, 15_000),
            ("Digitale mikroskoper", Earmark.LEARNING_MATERIALS, 7_000),
        ],
        22_000,
    )
    _submit(in_review)
    services.application_start_review(actor=admin, application=in_review)
    services.application_comment(
        actor=admin,
        application=in_review,
        body="Fint forsøg. Har I overvejet at låne mikroskoper fra digitaliseringskufferterne?",
    )
    changes = _apply(
        trials,
        daycares["Skovbrynet"],
        "Stop motion i børnehaven",
        "Børnene laver små film med figurer af ler og fortæller historien selv.",
        "Kultur, æstetik og fællesskab",
        [
            ("To tablets med stativ", Earmark.DEVICES, 20_000),
            ("Stop motion-app", Earmark.LEARNING_MATERIALS, 5_000),
        ],
        25_000,
    )
    _submit(changes)
    services.application_start_review(actor=admin, application=changes)
    services.application_request_changes(
        actor=admin,
        application=changes,
        comment="Beskriv, hvordan børnene selv er med til at bestemme historierne, og om I "
        "kan bruge de tablets, I har fået af udviklingsmidlerne.",
    )
    partly = _apply(
        trials,
        daycares["Spiren"],
        "Sprogleg med lydbøger og optagere",
        "Vuggestuebørn lytter til og optager rim og remser, og forældrene hører dem hjemme.",
        "Kommunikation og sprog",
        [
            ("Lydoptagere og hovedtelefoner", Earmark.DEVICES, 9_000),
            ("Licens til lydbøger", Earmark.LEARNING_MATERIALS, 9_000),
            ("Temaaften for forældre", Earmark.COMPETENCE, 6_000),
        ],
        24_000,
    )
    _submit(partly)
    _decide(
        admin,
        partly,
        Application.Outcome.PARTLY_APPROVED,
        approved=16_000,
        reason="Puljen støtter ikke forældrearrangementer, og der var mange ansøgere. "
        "Lydoptagere og licens støttes.",
        report_due=today + timedelta(days=330),
    )
    _spend(
        Grant.objects.get(application=partly),
        _leader(daycares["Spiren"]),
        [("Fire lydoptagere", Earmark.DEVICES, 4_800)],
        today - timedelta(days=2),
    )
    rejected = _apply(
        trials,
        daycares["Humlebien"],
        "Spillekonsol til fællesrummet",
        "En spillekonsol med dansespil til regnvejrsdage.",
        "Krop, sanser og bevægelse",
        [("Spillekonsol og dansespil", Earmark.DEVICES, 6_500)],
        6_500,
    )
    _submit(rejected)
    _decide(
        admin,
        rejected,
        Application.Outcome.REJECTED,
        reason="Puljen er til forsøg med digitale læremidler i det pædagogiske arbejde; "
        "en spillekonsol til underholdning ligger uden for formålet.",
    )
    withdrawn = _apply(
        trials,
        daycares["Bakkehuset"],
        "Interaktiv tavle",
        "En interaktiv tavle til samling med de store børn.",
        "Krop og bevægelse og børns sprog",
        [("Interaktiv tavle", Earmark.DEVICES, 25_000)],
        25_000,
    )
    _submit(withdrawn)
    services.application_withdraw(
        actor=_leader(daycares["Bakkehuset"]),
        application=withdrawn,
        note="Vi låner i stedet en tavle fra skolen.",
    )

    # Last year's pool: closed, with money given back. --------------------------------
    last_year = today.year - 1
    old = services.pool_create(
        actor=admin,
        municipality=koege,
        name=f"Forsøg med digitale læremidler {last_year}",
        description="Sidste års pulje til forsøg med digitale læremidler.",
        kind=Pool.Kind.APPLICATION,
        total_ore=100_000 * KR,
        period_start=date(last_year, 1, 1),
        period_end=date(last_year, 12, 31),
        opens_on=date(last_year, 1, 1),
        closes_on=today + timedelta(days=1),
        max_per_application_ore=20_000 * KR,
        partial_funding_allowed=True,
        earmarks=[Earmark.LEARNING_MATERIALS, Earmark.DEVICES],
        eligible_kinds=[],
    )
    services.pool_publish(actor=admin, pool=old)
    closed = _apply(
        old,
        featured,
        "Lydoptagere til sprogarbejdet",
        "Børnene optager rim og remser og lytter til hinanden.",
        "Kommunikation og sprog",
        [
            ("Otte lydoptagere", Earmark.DEVICES, 8_000),
            ("Lydbogslicens", Earmark.LEARNING_MATERIALS, 4_000),
        ],
        12_000,
    )
    _submit(closed)
    _decide(admin, closed, Application.Outcome.APPROVED, report_due=today)
    grant = Grant.objects.get(application=closed)
    _spend(
        grant,
        demo.users["leader"],
        [
            ("Otte lydoptagere", Earmark.DEVICES, 7_600),
            ("Lydbogslicens", Earmark.LEARNING_MATERIALS, 3_600),
        ],
        date(last_year, 3, 1),
    )
    services.application_report(
        actor=demo.users["leader"],
        application=closed,
        report_text="Alle stuer har brugt optagerne i samlingen.",
        report_evaluation="Børnene fortæller mere, når de kan høre sig selv. Vi fortsætter.",
    )
    services.grant_close(actor=admin, grant=grant)
    Pool.objects.filter(pk=old.pk).update(closes_on=date(last_year, 3, 1))
    Application.objects.filter(pk=closed.pk).update(report_due_on=date(last_year, 12, 31))

    # The daycares' own budgets for digital purchases. ----------------------------------
    leader = demo.users["leader"]
    for year, description, earmark, amount in [
        (today.year, "Tablets til stuerne", Earmark.DEVICES, 15_000),
        (today.year, "Licenser til læringsapps", Earmark.LEARNING_MATERIALS, 6_000),
        (today.year + 1, "Udskiftning af to tablets", Earmark.DEVICES, 9_000),
        (today.year - 1, "Kursus i digitale fortællinger", Earmark.COMPETENCE, 4_000),
    ]:
        services.digital_budget_line_create(
            actor=leader,
            institution=featured,
            year=year,
            description=description,
            earmark=earmark,
            amount_ore=amount * KR,
        )
    for institution in others[1::4]:
        services.digital_budget_line_create(
            actor=_leader(institution),
            institution=institution,
            year=today.year,
            description="Digitale indkøb",
            earmark=Earmark.DEVICES,
            amount_ore=demo.rng.choice([5_000, 8_000, 12_000]) * KR,
        )
