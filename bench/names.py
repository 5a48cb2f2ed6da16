"""Words the generator builds its rows from: Danish names, places and everyday texts.

The people, daycares and rooms start from the demo's names (core/names.py)."""

from core import names as demo_names

TOWNS = [
    "København",
    "Frederiksberg",
    "Ballerup",
    "Brøndby",
    "Dragør",
    "Gentofte",
    "Gladsaxe",
    "Glostrup",
    "Herlev",
    "Albertslund",
    "Hvidovre",
    "Høje-Taastrup",
    "Lyngby-Taarbæk",
    "Rødovre",
    "Ishøj",
    "Tårnby",
    "Vallensbæk",
    "Furesø",
    "Allerød",
    "Fredensborg",
    "Helsingør",
    "Hillerød",
    "Hørsholm",
    "Rudersdal",
    "Egedal",
    "Frederikssund",
    "Greve",
    "Køge",
    "Halsnæs",
    "Roskilde",
    "Solrød",
    "Gribskov",
    "Odsherred",
    "Holbæk",
    "Faxe",
    "Kalundborg",
    "Ringsted",
    "Slagelse",
    "Stevns",
    "Sorø",
    "Lejre",
    "Lolland",
    "Næstved",
    "Guldborgsund",
    "Vordingborg",
    "Bornholm",
    "Middelfart",
    "Assens",
    "Faaborg-Midtfyn",
    "Kerteminde",
    "Nyborg",
    "Odense",
    "Svendborg",
    "Nordfyns",
    "Langeland",
    "Ærø",
    "Haderslev",
    "Billund",
    "Sønderborg",
    "Tønder",
    "Esbjerg",
    "Fanø",
    "Varde",
    "Vejen",
    "Aabenraa",
    "Fredericia",
    "Horsens",
    "Kolding",
    "Vejle",
    "Herning",
    "Holstebro",
    "Lemvig",
    "Struer",
    "Syddjurs",
    "Norddjurs",
    "Favrskov",
    "Odder",
    "Randers",
    "Silkeborg",
    "Samsø",
    "Skanderborg",
    "Aarhus",
    "Ikast-Brande",
    "Ringkøbing-Skjern",
    "Hedensted",
    "Morsø",
    "Skive",
    "Thisted",
    "Viborg",
    "Brønderslev",
    "Frederikshavn",
    "Vesthimmerlands",
    "Læsø",
    "Rebild",
    "Mariagerfjord",
    "Jammerbugt",
    "Aalborg",
    "Hjørring",
]

INSTITUTION_NAMES = [
    *demo_names.INSTITUTION_NAMES,
    "Solsikken",
    "Myretuen",
    "Bikuben",
    "Krudtuglen",
    "Elverhøj",
    "Abildgården",
    "Tumlehuset",
    "Pusterummet",
    "Lupinen",
]
DISTRICTS = ["Nord", "Midt", "Syd", "Øst", "Vest", "Centrum"]
ROOMS_SMALL = demo_names.ROOM_NAMES_SMALL
ROOMS_LARGE = demo_names.ROOM_NAMES_LARGE

CHILD_FIRST = [
    *demo_names.FIRST_NAMES,
    "Johan",
    "Liva",
    "Nora",
    "August",
    "Bertram",
    "Marie",
    "Silke",
    "Storm",
]
ADULT_FIRST = [
    *demo_names.ADULT_FIRST,
    "Sara",
    "Line",
    "Maja",
    "Julie",
    "Kasper",
    "Rasmus",
    "Mikkel",
    "Jonas",
]
SURNAMES = [
    *demo_names.SURNAMES,
    "Johansen",
    "Møller",
    "Mortensen",
    "Knudsen",
    "Jakobsen",
    "Holm",
]

POSTS_PRACTICAL = [
    ("Husk regntøj", "Vi skal i skoven hele ugen. Husk regntøj og skiftetøj i garderoben."),
    ("Lukket fredag", "Institutionen holder lukket fredag på grund af personaledag."),
    ("Forældremøde", "Der er forældremøde tirsdag kl. 17. Vi byder på kaffe og kage."),
    ("Madpakker på tur", "På torsdag tager vi på tur til stranden. Husk madpakke og drikkedunk."),
    ("Nyt fra køkkenet", "Køkkenet har en ny madplan med mere grønt. Se den på opslagstavlen."),
    ("Lus i huset", "Vi har set lus på stuen. Tjek venligst jeres barns hår i aften."),
    ("Sommerfest", "Vi holder sommerfest den sidste fredag i juni. Alle er velkomne."),
]
POSTS_INSIGHT = [
    (
        "Vi lavede stop-motion",
        "Børnene byggede en verden af ler og fotograferede den billede "
        "for billede på tabletten. Bagefter så vi filmen sammen og talte om historien.",
    ),
    (
        "Insekter under luppen",
        "Med et digitalt mikroskop så vi på biller fra haven. Børnene "
        "tegnede dem bagefter og fortalte hinanden, hvad de havde set.",
    ),
    (
        "Vores egen lydbog",
        "Børnene indtalte en historie, de selv havde fundet på, og vi "
        "lyttede til den ved samling. Mange ord blev sagt højt for første gang.",
    ),
    (
        "Programmering med Bee-Bot",
        "Børnene fik robotten til at finde vej gennem en bane af "
        "klodser. De hjalp hinanden med at tælle skridt og vende.",
    ),
    (
        "Billeder fra turen",
        "På turen tog børnene selv billeder af det, de syntes var vigtigt. "
        "Vi lavede en lille udstilling i garderoben.",
    ),
]
THREAD_SUBJECTS = [
    "Afhentning i dag",
    "Sygdom",
    "Ferie i uge 42",
    "Spørgsmål om tur",
    "Glemt sut",
    "Bleer",
    "Søvn til middag",
    "Tandlæge",
    "Ny allergi",
    "Samtale om trivsel",
]
MESSAGE_SENTENCES = [
    "Hej, vi henter lidt tidligere i dag.",
    "Mormor henter i dag.",
    "Tak for en god dag, han var meget glad.",
    "Hun har sovet dårligt i nat.",
    "Vil I give besked, hvis hun bliver sløj?",
    "Vi mangler flere bleer i kurven.",
    "Han har fået feber og bliver hjemme.",
    "Hvornår går turen til skoven?",
    "Vi holder ferie hele næste uge.",
    "Tak for beskeden, det gør vi.",
    "Hun har spist godt og leget med de store.",
    "Vi har lagt en ny sut i skuffen.",
    "Han var ked af det ved aflevering, men blev hurtigt glad.",
    "Må vi tage en snak om hans sprog?",
    "Selvfølgelig, lad os finde en tid.",
    "Husk at han ikke må få nødder.",
    "Hun sov en time til middag.",
    "Vi ses i morgen tidlig.",
    "Tandlægen har flyttet tiden til fredag.",
]

FOCUS_AREAS = [
    ("Digitale medier i den pædagogiske praksis", "digital_media"),
    ("Kompetenceudvikling", "competence"),
    ("IT, service og organisering", "it_service"),
]
STRATEGY_ITEMS = [
    [
        ("municipal_goal", "Alle dagtilbud bruger digitale medier i det pædagogiske arbejde."),
        ("municipal_goal", "Børnene skaber selv med digitale medier, ikke kun forbruger."),
        ("local_goal", "Hvert dagtilbud sætter mindst ét lokalt mål for digitale medier."),
        ("action", "Digitale kufferter går på omgang mellem dagtilbuddene."),
    ],
    [
        ("municipal_goal", "Hvert dagtilbud har en digital ambassadør."),
        ("local_goal", "Dagtilbuddet afsætter tid og penge til kompetenceudvikling."),
        ("action", "Kickoff-konference for ledere og medarbejdere."),
    ],
    [
        ("municipal_goal", "Alle dagtilbud har trådløst netværk i alle stuer."),
        ("local_goal", "Dagtilbuddet budgetterer med digitale indkøb."),
        ("action", "Fælles indkøbsaftale på tablets."),
    ],
]
LOCAL_GOALS = [
    ("Børnene laver deres egne film", "Vi vil lade børnene skabe og fortælle med billeder."),
    ("Sprog gennem lydoptagelser", "Lydoptagelser giver de stille børn en stemme."),
    ("Naturen under luppen", "Digitale mikroskoper åbner naturen for nysgerrige børn."),
    ("Programmering i legen", "Robotter træner tålmodighed, tal og samarbejde."),
    ("Dokumentation sammen med børnene", "Børnene vælger selv, hvad der er vigtigt at vise."),
]
STEP_TITLES = [
    "Køb to tablets til stuen",
    "Introducer appen på personalemødet",
    "Prøv det af med en lille gruppe",
    "Fortæl forældrene om projektet",
    "Evaluer på stuemødet",
    "Del erfaringerne med netværket",
    "Lav en plan for næste halvår",
]
PROJECTS = [
    "Tablets til alle stuer",
    "Digitalt mikroskop",
    "Robotter til de store",
    "Lydstudie i puderummet",
    "Projektor til fortællinger",
]
EXPERIENCES = [
    (
        "Stop-motion med de store",
        "Vi brugte appen til at lave små film af ler. Børnene "
        "planlagde selv scenerne og fortalte historien.",
        "iPad med Stop Motion Studio",
    ),
    (
        "Lydbøger vi selv har lavet",
        "Børnene indtalte historier, og vi delte dem med forældrene. Det styrkede sproget.",
        "Optager på tabletten",
    ),
    (
        "Bee-Bot på tur i gården",
        "Robotten fulgte en bane tegnet med kridt. Børnene samarbejdede om at programmere den.",
        "Bee-Bot",
    ),
    (
        "Digitalt mikroskop i skoven",
        "Vi så blade og insekter forstørret på skærmen. Mange spørgsmål og nye ord.",
        "Digitalt mikroskop",
    ),
    (
        "Greenscreen og eventyr",
        "Børnene optrådte foran en grøn dug og blev sat ind i eventyrets verden.",
        "Green Screen by Do Ink",
    ),
]
