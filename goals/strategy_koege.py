"""Køge Kommune's sub-strategy for digitalisation in daycare, 2013–2015, as data.

The text is the strategy's own (Danish; see ../shared/seed/delstrategi-digitalisering-
dagtilbud.txt), split into its three focus areas and, in each, the municipal goals, the
local goals and the concrete actions and projects. Deadlines are the dates the strategy
names ("inden udgangen af 2014" is 31 December 2014; "fra 2014" is 1 January 2014).
Amounts are in øre. It is content, not interface text, so it is not translated.
"""

from __future__ import annotations

from datetime import date

TITLE = "Delstrategi for digitalisering i dagtilbud"
START_YEAR = 2013
END_YEAR = 2015
INTRODUCTION = (
    "Delstrategien for Digitalisering i Dagtilbud tager afsæt i Køge Kommunes "
    "Digitaliseringsstrategi for Børn og Unge 2013 – 2015, som har som overordnet mål at "
    "fremme motivation for læring og skabe mulighed for inkluderende læringsmiljøer, at ruste "
    "børn og unge som borgere i et digitaliseret samfund og at øge kvalificeret dialog og "
    "effektive arbejdsgange.\n\n"
    "Delstrategien for Dagtilbud opstiller kommunale mål, lokale mål og konkrete handlinger og "
    "projekter indenfor tre overordnede områder: Digitale medier i anvendelse, "
    "Kompetenceudvikling samt IT, service og organisering."
)

# Each focus area: number, title, the portal's indicator area, description, and its items
# as (text, deadline) for goals and (text, timing, budget in øre) for actions.
FOCUS_AREAS = [
    {
        "number": 1,
        "title": "Digitale medier i anvendelse",
        "area": "digital_media",
        "description": (
            "Mål indenfor dette område handler om, hvordan digitalisering kan anvendes til at "
            "understøtte det pædagogiske læringsmiljø, øge den kvalificerede dialog med "
            "forældre og at skabe nye og mere effektive arbejdsgange."
        ),
        "municipal_goals": [
            (
                "Alle dagtilbud har didaktiske overvejelser og tydelige mål for anvendelsen af "
                "digitale medier. Målene tager udgangspunkt i, at digitale medier understøtter "
                "inkluderende læringsmiljøer og demokratiske processer, som giver mulighed for "
                "børns medbestemmelse og aktive deltagelse",
                None,
            ),
            (
                "Al skriftlig kommunikation foregår udelukkende digitalt fra 2014 og kan tilgås "
                "hjemmefra. Digitale medier anvendes til praktiske informationer samt til at "
                "give indblik i dagtilbuddets didaktiske overvejelser over pædagogiske "
                "aktiviteter. Den digitale kommunikation afløser ikke den kvalificerede "
                "mundtlige dialog",
                date(2014, 1, 1),
            ),
            (
                "Medarbejderne anvender digitale medier til at søge viden og dele erfaringer på "
                "tværs af dagtilbud",
                None,
            ),
        ],
        "local_goals": [
            (
                "Hvert dagtilbud sætter mål for anvendelse af digitale medier i forbindelse med "
                "udarbejdelse af dagtilbuddets virksomhedsplan og revurdering af pædagogiske "
                "læreplaner",
                None,
            ),
            (
                "Hvert dagtilbud drøfter digitalisering i relevante fora fx på personalemøder, i "
                "forældrekontaktudvalget eller på et bestyrelsesmøde. Målet er at sikre "
                "refleksion, etiske overvejelser, ejerskab samt konkrete handleplaner for "
                "arbejdet med digitalisering",
                None,
            ),
        ],
        "actions": [
            (
                "Et dagtilbud er i samarbejde med firmaet Klassetrivsel ved at udvikle et "
                "digitalt program, som kan skabe viden om de sociale relationer i dagtilbud "
                "samt medvirke til kvalificerede børnemiljøvurderinger baseret på børnenes egne "
                "indtastninger i et elektronisk system",
                "",
                None,
            ),
            (
                "To dagtilbud er ved at afprøve interaktive tavler/smartboards. Målet er at "
                "kombinere digitale læringsmidler med læreplanstemaerne Krop og bevægelse og "
                "Børns sprog",
                "",
                None,
            ),
            (
                "Der sammensættes en række digitaliseringskufferter med forskellige digitale "
                "læringsmidler, som kan inspirere til leg med digitale medier og understøtte "
                "forskellige læringsmetoder. Dagtilbuddene kan låne kufferterne på skift",
                "",
                None,
            ),
        ],
    },
    {
        "number": 2,
        "title": "Kompetenceudvikling",
        "area": "competence",
        "description": (
            "Mål indenfor dette område handler om, hvad der skal til i forhold til "
            "kompetenceudvikling af det pædagogiske personale, herunder behovet for "
            "uddannelsesaktiviteter, udviklingsforløb og faglige netværk"
        ),
        "municipal_goals": [
            (
                "Alle dagtilbud klædes fagligt på til at arbejde med digitalisering på "
                "dagtilbudsområdet og har et forum for vidensdeling og erfaringsudveksling",
                None,
            ),
        ],
        "local_goals": [
            (
                "Hvert dagtilbud udpeger mindst én medarbejder, som sammen med dagtilbuddets "
                "leder har en særlig rolle i forhold til at implementere delstrategien for "
                "dagtilbud",
                None,
            ),
            (
                "Hvert dagtilbud afsætter ressourcer til kompetenceudvikling i forhold til "
                "digitalisering fx ved deltagelse på kurser, konferencer og faglige netværk",
                None,
            ),
        ],
        "actions": [
            (
                "Der afholdes en opstartskonference/temadag om digitalisering for "
                "dagtilbudsledere og en medarbejder fra hvert dagtilbud i 2014",
                "2014",
                None,
            ),
            (
                "I forlængelse af konferencen etableres netværk med fast kadence fx 3 gange "
                "årligt, hvor udgangspunktet er vidensdeling og erfaringsudveksling",
                "",
                None,
            ),
        ],
    },
    {
        "number": 3,
        "title": "IT, service og organisering",
        "area": "it_service",
        "description": (
            "Dette område handler om, hvad der er behov for af digitalt udstyr og "
            "organisering for at understøtte den udvikling, vi ønsker."
        ),
        "municipal_goals": [
            (
                "Alle børn i dagtilbud har mulighed for at vælge digitale medier i deres "
                "hverdag. Konkret betyder det, at der er mindst én tilgængelig tablet eller pc "
                "pr. børnegruppe eller dagplejehjem inden udgangen af 2014",
                date(2014, 12, 31),
            ),
            (
                "Alle dagtilbud har mulighed for at gøre forsøg med digitale læremidler, og der "
                "afsættes midler i centrale puljer, så dagtilbuddene kan søge hel eller delvis "
                "finansiering af projekter",
                None,
            ),
            (
                "Alle dagtilbud har adgang til trådløst netværk inden udgangen af 2014",
                date(2014, 12, 31),
            ),
            (
                "Alle forældre har adgang til at kommunikere digitalt med dagtilbuddet på en "
                "måde, som skaber sammenhæng mellem dagtilbud, skole og fritidstilbud inden "
                "udgangen af 2015",
                date(2015, 12, 31),
            ),
        ],
        "local_goals": [
            (
                "Hvert dagtilbud afsætter økonomi til indkøb af digitale midler eller søger "
                "finansiering af særlige projekter",
                None,
            ),
            (
                "Hvert dagtilbud har fokus på organisering af strukturen i dagtilbud, så det "
                "muliggør arbejdet med digitale medier",
                None,
            ),
        ],
        "actions": [
            (
                "Baseret på erfaringer fra det centralt støttede ’Projekt iPad i dagplejen’ i "
                "Herfølge i 2012 afsættes centrale udviklingsmidler til indkøb af iPads til "
                "resten af dagplejerne i Køge Kommune. I alt 32 iPads svarende til 160.000 kr.",
                "Efteråret 2013",
                16_000_000,
            ),
            (
                "Der indkøbes et antal digitale kufferter, som dagtilbuddene kan låne på skift "
                "og dermed afprøve forskellige digitale læremidler. Der afsættes 125.000 kr. fra "
                "de centrale udviklingsmidler til kufferterne.",
                "Efteråret 2013",
                12_500_000,
            ),
            (
                "Alle dagtilbud får en del af de centrale udviklingsmidler baseret på antal "
                "børn. I alt fordeles 315.000 kr. Midlerne øremærkes til, at dagtilbuddet\n"
                "a. etablerer trådløst netværk, såfremt det endnu ikke er etableret\n"
                "b. indkøber tablets eller pc’er, for at leve op til målet om, at alle børn i "
                "dagtilbud har mulighed for at vælge digitale medier i deres hverdag",
                "Efteråret 2013",
                31_500_000,
            ),
            (
                "Der gennemføres et udbud på et fælles intranet. Et intranet på "
                "dagtilbudsområdet skal give mulighed for digital kommunikation mellem "
                "dagtilbud og forældre og sikre sammenhæng/helhed imellem dagtilbud, skole og "
                "fritid.",
                "Foråret 2014",
                None,
            ),
            (
                "Ny digital pladsanvisning med øgede beføjelser til dagtilbud og bedre "
                "brugergrænseflade i forhold til borgere forventes implementeret primo 2015",
                "Primo 2015",
                None,
            ),
        ],
    },
]


def seed_strategy(municipality):
    """Create the Køge strategy for `municipality` (once). Returns the period."""
    from .models import FocusArea, StrategyItem, StrategyPeriod

    period, created = StrategyPeriod.objects.get_or_create(
        municipality=municipality,
        start_year=START_YEAR,
        end_year=END_YEAR,
        defaults={"title": TITLE, "introduction": INTRODUCTION},
    )
    if not created:
        return period
    items = []
    for spec in FOCUS_AREAS:
        area = FocusArea.objects.create(
            period=period,
            number=spec["number"],
            title=spec["title"],
            description=spec["description"],
            area=spec["area"],
        )
        for position, (text, deadline) in enumerate(spec["municipal_goals"], start=1):
            items.append(
                StrategyItem(
                    focus_area=area,
                    kind=StrategyItem.Kind.MUNICIPAL_GOAL,
                    text=text,
                    deadline=deadline,
                    position=position,
                )
            )
        for position, (text, deadline) in enumerate(spec["local_goals"], start=1):
            items.append(
                StrategyItem(
                    focus_area=area,
                    kind=StrategyItem.Kind.LOCAL_GOAL,
                    text=text,
                    deadline=deadline,
                    position=position,
                )
            )
        for position, (text, timing, budget) in enumerate(spec["actions"], start=1):
            items.append(
                StrategyItem(
                    focus_area=area,
                    kind=StrategyItem.Kind.ACTION,
                    text=text,
                    timing=timing,
                    budget_ore=budget,
                    position=position,
                )
            )
    StrategyItem.objects.bulk_create(items)
    return period
