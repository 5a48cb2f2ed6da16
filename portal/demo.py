"""Demo data: a Køge-like municipality and a small second one, to show tenants apart.

Køge (municipality code 259) gets 36 institution units (27 municipal, 7 self-governing,
2 private), a childminding unit with 49 childminder homes, a school and an after-school
club, children counts near Køge's (about 1,000 aged 0–2 and 1,850 aged 3–5 in
institutions, 135 in childminding), staff in every role and guardians for some groups.
Solrød (269) is small and separate. Everything is deterministic.

Other apps add their own demo data in `<app>/demo.py` with a `seed(demo: Demo)` function;
they run after this, in INSTALLED_APPS order.
"""

from __future__ import annotations

import importlib
import random
from datetime import date, timedelta

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.db import transaction

from accounts.models import User
from core.dates import add_years
from core.demo import COUNT_DATES, Demo
from core.names import (
    ADULT_FIRST,
    FIRST_NAMES,
    INSTITUTION_NAMES,
    ROOM_NAMES_LARGE,
    ROOM_NAMES_SMALL,
    SURNAMES,
)
from institutions.models import (
    Child,
    ChildrenCount,
    Group,
    Guardianship,
    Institution,
    Letterhead,
    Membership,
    Municipality,
    MunicipalRole,
)
from institutions.selectors import children_by_age

DEMO_PASSWORD = "Dagtilbud-demo-2026"
# Base32 secret shared by every demo account that must use two-factor login.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
KOEGE_CODE = "259"
SOLROD_CODE = "269"

DISTRICTS = ["Køge Nord", "Køge Midt", "Køge Syd", "Herfølge", "Borup", "Bjæverskov"]


# The printed logins, one per role: (role, e-mail, needs two-factor).
LOGINS = [
    ("Kommunal administrator (Køge)", "admin@koege.example", True),
    ("Pædagogisk konsulent (Køge)", "konsulent@koege.example", False),
    ("Leder, Børnehuset Solstrålen", "leder@koege.example", True),
    ("Digital ambassadør, Børnehuset Solstrålen", "ambassador@koege.example", False),
    ("Pædagog, Børnehuset Solstrålen", "paedagog@koege.example", False),
    ("Dagplejer, Dagplejen Køge", "dagplejer@koege.example", False),
    ("Forælder (børn i Solstrålen og SFO Ellebæk)", "foraelder@koege.example", False),
    ("Forældrebestyrelse, Børnehuset Solstrålen", "bestyrelse@koege.example", False),
    ("Leder i en anden institution (Troldehøjen)", "leder.troldehoejen@koege.example", True),
    ("Kommunal administrator (Solrød, anden kommune)", "admin@solrod.example", True),
]


class _People:
    """Creates users in bulk with one password hash (hashing is slow by design)."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.password_hash = make_password(DEMO_PASSWORD)
        self.pending: list[User] = []

    def add(self, email: str, name: str | None = None) -> User:
        if name is None:
            name = f"{self.rng.choice(ADULT_FIRST)} {self.rng.choice(SURNAMES)}"
        user = User(email=email, name=name, password=self.password_hash)
        self.pending.append(user)
        return user

    def save(self) -> None:
        User.objects.bulk_create(self.pending)
        saved = {u.email: u for u in User.objects.filter(email__in=[u.email for u in self.pending])}
        for user in self.pending:
            user.pk = saved[user.email].pk
        EmailAddress.objects.bulk_create(
            [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in self.pending]
        )
        self.pending = []


def _slug(name: str) -> str:
    table = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", " ": "-"})
    return name.lower().replace("børnehuset ", "").translate(table)


def _split(total: int, weights: list[float]) -> list[int]:
    """Split `total` in proportion to `weights`, adding up exactly (largest remainder)."""
    whole = sum(weights)
    raw = [total * w / whole for w in weights]
    parts = [int(r) for r in raw]
    for index in sorted(range(len(raw)), key=lambda i: raw[i] - parts[i], reverse=True)[
        : total - sum(parts)
    ]:
        parts[index] += 1
    return parts


def _kinds(rng: random.Random) -> list[tuple[str, str]]:
    """36 (kind, ownership) pairs: 27 municipal, 7 self-governing, 2 private."""
    ownerships = ["municipal"] * 27 + ["self_governing"] * 7 + ["private"] * 2
    kinds = ["integrated"] * 22 + ["kindergarten"] * 8 + ["nursery"] * 6
    rng.shuffle(ownerships)
    rng.shuffle(kinds)
    # The featured institution is a municipal integrated one.
    kinds[0], ownerships[0] = "integrated", "municipal"
    return list(zip(kinds, ownerships, strict=True))


def _enrol_children(
    sizes: dict[int, tuple[int, int]],
    groups: list[Group],
    *,
    counted: date,
    today: date,
    rng: random.Random,
) -> None:
    """Put (aged 0-2, aged 3-5 on `counted`) children in each institution's groups: the
    young in its small rooms or childminder homes, the older in its large rooms (any room
    where it has only one size). All started by `counted`, none has left; none is of
    school age on `today`."""
    by_institution: dict[int, list[Group]] = {}
    for group in groups:
        by_institution.setdefault(group.institution_id, []).append(group)
    # Names the other demos look up stay unique to the featured daycare and the SFO.
    names = [n for n in FIRST_NAMES if n not in ("Alma", "Viggo")]
    surnames = [n for n in SURNAMES if n != "Dahl"]
    youngest, oldest = counted - timedelta(days=183), date(today.year - 5, 1, 1)
    children = []
    for pk, (young, older) in sizes.items():
        rooms = by_institution.get(pk, [])
        small = [g for g in rooms if g.name in ROOM_NAMES_SMALL or g.kind == Group.Kind.HOME]
        large = [g for g in rooms if g not in small]
        for count, places, first, last in (
            (young, small or large, add_years(counted, -3) + timedelta(days=1), youngest),
            (older, large or small, oldest, add_years(counted, -3)),
        ):
            for number in range(count):
                birth = date.fromordinal(rng.randint(first.toordinal(), last.toordinal()))
                children.append(
                    Child(
                        group=places[number % len(places)],
                        first_name=rng.choice(names),
                        last_name=rng.choice(surnames),
                        birth_date=birth,
                        started_on=min(birth + timedelta(days=rng.randint(270, 400)), counted),
                    )
                )
    Child.objects.bulk_create(children, batch_size=1000)


def _counts_of(daycares: list[Institution], when: date):
    """Each daycare's children count on `when`, from the register."""
    register = children_by_age(daycares, when)
    return [(i, register.get(i.pk, (0, 0, 0))) for i in daycares]


@transaction.atomic
def seed(*, stdout=None) -> Demo | None:
    """Create the demo data once. Returns None when it already exists."""
    if Municipality.objects.filter(code=KOEGE_CODE).exists():
        return None
    rng = random.Random(259)
    people = _People(rng)
    koege = Municipality.objects.create(name="Køge Kommune", code=KOEGE_CODE)
    solrod = Municipality.objects.create(name="Solrød Kommune", code=SOLROD_CODE)
    # Køge's letters carry its letterhead; the complaint guidance is the portal's default.
    Letterhead.objects.create(
        municipality=koege,
        department="Dagtilbud",
        address="Torvet 1\n4600 Køge",
        phone="56 67 67 67",
        email="dagtilbud@koege.example",
    )

    # Institutions ------------------------------------------------------------------
    institutions: list[Institution] = []
    for index, (name, (kind, ownership)) in enumerate(
        zip(INSTITUTION_NAMES, _kinds(rng), strict=True)
    ):
        street = f"{name.split()[-1].rstrip('en')}vej {index + 1}"
        institutions.append(
            Institution(
                municipality=koege,
                name=name,
                kind=kind,
                ownership=ownership,
                street=street,
                postcode=rng.choice(["4600", "4681", "4140", "4632"]),
                city="Køge",
                district=DISTRICTS[index % len(DISTRICTS)],
                email=f"{_slug(name)}@koege.example",
                phone=f"56 67 {10 + index:02d} {rng.randint(10, 99)}",
            )
        )
    childminding = Institution(
        municipality=koege,
        name="Dagplejen Køge",
        kind=Institution.Kind.CHILDMINDING,
        ownership=Institution.Ownership.MUNICIPAL,
        street="Torvet 1",
        postcode="4600",
        city="Køge",
        district="Køge Midt",
        email="dagplejen@koege.example",
    )
    school = Institution(
        municipality=koege,
        name="Ellebækskolen",
        kind=Institution.Kind.SCHOOL,
        ownership=Institution.Ownership.MUNICIPAL,
        street="Ellebækvej 10",
        postcode="4600",
        city="Køge",
        district="Køge Nord",
    )
    sfo = Institution(
        municipality=koege,
        name="SFO Ellebæk",
        kind=Institution.Kind.AFTER_SCHOOL,
        ownership=Institution.Ownership.MUNICIPAL,
        street="Ellebækvej 10",
        postcode="4600",
        city="Køge",
        district="Køge Nord",
    )
    solrod_institutions = [
        Institution(
            municipality=solrod,
            name=name,
            kind=kind,
            ownership="municipal",
            city="Solrød Strand",
            postcode="2680",
        )
        for name, kind in [
            ("Børnehuset Havtornen", "integrated"),
            ("Strandengen", "kindergarten"),
            ("Dagplejen Solrød", "childminding"),
        ]
    ]
    Institution.objects.bulk_create(
        [*institutions, childminding, school, sfo, *solrod_institutions]
    )
    featured = institutions[0]

    # Groups ------------------------------------------------------------------------
    groups: list[Group] = []
    for institution in institutions:
        if institution.kind == "nursery":
            names = ROOM_NAMES_SMALL[: rng.randint(3, 4)]
        elif institution.kind == "kindergarten":
            names = ROOM_NAMES_LARGE[: rng.randint(3, 5)]
        else:
            names = ROOM_NAMES_SMALL[:2] + ROOM_NAMES_LARGE[: rng.randint(2, 3)]
        groups += [Group(institution=institution, name=n) for n in names]
    groups += [Group(institution=sfo, name=n) for n in ("0.-1. klasse", "2.-3. klasse")]
    groups += [Group(institution=school, name=n) for n in ("0.A", "1.A", "2.A")]
    for institution in solrod_institutions:
        groups += [Group(institution=institution, name=n) for n in ROOM_NAMES_SMALL[:2]]

    # Childminders and their homes.
    childminders = []
    names = rng.sample([(f, s) for f in ADULT_FIRST[:10] for s in SURNAMES], 49)
    for index, (first, last) in enumerate(names):
        email = (
            "dagplejer@koege.example" if index == 0 else f"dagplejer{index + 1:02d}@koege.example"
        )
        childminders.append(people.add(email, f"{first} {last}"))

    # People --------------------------------------------------------------------------
    admin = people.add("admin@koege.example", "Birgitte Holm")
    consultant = people.add("konsulent@koege.example", "Jonas Brandt")
    solrod_admin = people.add("admin@solrod.example", "Karen Vestergaard")
    leaders = {}
    for institution in [*institutions, childminding, school, sfo, *solrod_institutions]:
        if institution.pk == featured.pk:
            email = "leder@koege.example"
        elif institution.municipality_id == solrod.pk:
            email = f"leder.{_slug(institution.name)}@solrod.example"
        else:
            email = f"leder.{_slug(institution.name)}@koege.example"
        leaders[institution.pk] = people.add(email)
    leaders[featured.pk].name = "Lone Kjær"
    ambassador = people.add("ambassador@koege.example", "Mads Lund")
    pedagogue = people.add("paedagog@koege.example", "Sara Holst")
    assistant = people.add("medhjaelper@koege.example", "Nanna Friis")
    board = people.add("bestyrelse@koege.example", "Peter Kragh")
    parent = people.add("foraelder@koege.example", "Mette Dahl")
    # Ambassadors in about two thirds of the other daycares; the rest still lack one.
    other_ambassadors = {}
    for institution in institutions[1:]:
        if rng.random() < 0.66:
            other_ambassadors[institution.pk] = people.add(
                f"ambassador.{_slug(institution.name)}@koege.example"
            )
    other_ambassadors[childminding.pk] = people.add("ambassador.dagplejen@koege.example")
    people.save()

    homes = [
        Group(
            institution=childminding,
            name=f"Dagplejehjem {c.name}",
            kind=Group.Kind.HOME,
            childminder=c,
        )
        for c in childminders
    ]
    Group.objects.bulk_create([*groups, *homes])

    memberships = [
        Membership(user=leaders[pk], institution_id=pk, role=Membership.Role.LEADER)
        for pk in leaders
    ]
    memberships += [
        Membership(user=user, institution_id=pk, role=Membership.Role.AMBASSADOR)
        for pk, user in other_ambassadors.items()
    ]
    memberships += [
        Membership(user=c, institution=childminding, role=Membership.Role.CHILDMINDER)
        for c in childminders
    ]
    memberships += [
        Membership(user=ambassador, institution=featured, role=Membership.Role.AMBASSADOR),
        Membership(user=ambassador, institution=featured, role=Membership.Role.STAFF),
        Membership(user=pedagogue, institution=featured, role=Membership.Role.STAFF),
        Membership(user=assistant, institution=featured, role=Membership.Role.STAFF),
        Membership(user=board, institution=featured, role=Membership.Role.BOARD_MEMBER),
    ]
    Membership.objects.bulk_create(memberships)
    featured_groups = [g for g in groups if g.institution_id == featured.pk]
    Membership.objects.get(
        user=pedagogue, institution=featured, role=Membership.Role.STAFF
    ).groups.set(featured_groups[2:3])
    MunicipalRole.objects.bulk_create(
        [
            MunicipalRole(user=admin, municipality=koege, role=MunicipalRole.Role.ADMINISTRATOR),
            MunicipalRole(user=consultant, municipality=koege, role=MunicipalRole.Role.CONSULTANT),
            MunicipalRole(
                user=solrod_admin, municipality=solrod, role=MunicipalRole.Role.ADMINISTRATOR
            ),
        ]
    )

    # Children and guardians in the featured institution's groups and in the SFO. -------
    # Every child in the register started by the latest count date: the count (which the
    # grants share by) and the children in the groups now are the same children.
    today, counted = date(2026, 11, 1), COUNT_DATES[-1]
    children: list[Child] = []
    for group in featured_groups:
        small = group.name in ROOM_NAMES_SMALL
        for number in range(12 if small else 20):
            age_days = rng.randint(300, 1000) if small else rng.randint(1100, 2100)
            if small:  # born at least half a year before the count date
                age_days = 490 + (age_days - 300) * (1000 - 490) // 700
            birth = date.fromordinal(today.toordinal() - age_days)
            children.append(
                Child(
                    group=group,
                    first_name=FIRST_NAMES[(number * 7 + group.pk) % len(FIRST_NAMES)],
                    last_name=rng.choice(SURNAMES),
                    birth_date=birth,
                    started_on=min(birth + timedelta(days=300), counted),
                )
            )
    sfo_group = next(g for g in groups if g.institution_id == sfo.pk)
    big_sibling = Child(
        group=sfo_group, first_name="Viggo", last_name="Dahl", birth_date=date(2019, 3, 14)
    )
    Child.objects.bulk_create([*children, big_sibling])
    little_sibling = children[len(ROOM_NAMES_SMALL[:2]) * 12 + 3]  # a kindergarten child
    little_sibling.first_name, little_sibling.last_name = "Alma", "Dahl"
    little_sibling.save(update_fields=["first_name", "last_name"])

    guardian_people = _People(rng)
    guardianships = [
        Guardianship(child=little_sibling, guardian=parent),
        Guardianship(child=big_sibling, guardian=parent),
    ]
    board_child = children[1]
    guardianships.append(Guardianship(child=board_child, guardian=board))
    extra_guardians = []
    for index, child in enumerate(children):
        if child.pk in (little_sibling.pk, board_child.pk):
            continue
        guardian = guardian_people.add(f"foraelder{index + 1:03d}@koege.example")
        extra_guardians.append((child, guardian))
    guardian_people.save()
    guardianships += [Guardianship(child=c, guardian=g) for c, g in extra_guardians]
    Guardianship.objects.bulk_create(guardianships)

    # Children in every other daycare's groups, near Køge's figures; then each daycare's
    # counts are taken from the register, so the groups and the counts agree. ----------
    nursery_weights = [
        (2.0 if i.kind == "nursery" else 1.0 if i.kind == "integrated" else 0.0)
        * rng.uniform(0.7, 1.3)
        for i in institutions
    ]
    kindergarten_weights = [
        (2.0 if i.kind == "kindergarten" else 1.3 if i.kind == "integrated" else 0.0)
        * rng.uniform(0.7, 1.3)
        for i in institutions
    ]
    sizes: dict[int, tuple[int, int]] = {}  # (aged 0-2, aged 3-5) on the count date
    for _when, scale in zip(COUNT_DATES, (0.97, 1.0), strict=True):
        young = _split(round(1000 * scale), nursery_weights)
        old = _split(round(1850 * scale), kindergarten_weights)
        sizes.update({i.pk: (y, o) for i, y, o in zip(institutions, young, old, strict=True)})
        sizes[childminding.pk] = (round(135 * scale), 0)
        for i in solrod_institutions:
            y, o = rng.randint(20, 40), rng.randint(30, 60)
            sizes[i.pk] = {"kindergarten": (0, o), "childminding": (y, 0)}.get(i.kind, (y, o))
    del sizes[featured.pk]  # its children are above
    _enrol_children(sizes, [*groups, *homes], counted=counted, today=today, rng=random.Random(2026))
    daycares = [*institutions, childminding, *solrod_institutions]
    counts = [
        ChildrenCount(institution=i, counted_on=when, aged_0_2=y, aged_3_5=o, aged_6_plus=s)
        for when in COUNT_DATES
        for i, (y, o, s) in _counts_of(daycares, when)
    ]
    ChildrenCount.objects.bulk_create(counts)

    # Two-factor login for everyone whose role requires it. ----------------------------
    must_have_2fa = [admin, solrod_admin, *leaders.values()]
    Authenticator.objects.bulk_create(
        [
            Authenticator(user=u, type=Authenticator.Type.TOTP, data={"secret": DEMO_TOTP_SECRET})
            for u in must_have_2fa
        ]
    )

    demo = Demo(koege=koege, solrod=solrod, featured=featured, rng=rng)
    demo.users = {
        "admin": admin,
        "consultant": consultant,
        "leader": leaders[featured.pk],
        "ambassador": ambassador,
        "staff": pedagogue,
        "childminder": childminders[0],
        "guardian": parent,
        "board_member": board,
        "other_leader": leaders[institutions[1].pk],
        "other_admin": solrod_admin,
    }
    modules = []
    for app in apps.get_app_configs():
        try:
            module = importlib.import_module(f"{app.name}.demo")
        except ModuleNotFoundError as exc:
            if exc.name != f"{app.name}.demo":
                raise
            continue
        if hasattr(module, "seed") and module.__name__ != __name__:
            modules.append(module)
    # An app whose demo builds on another's sets DEMO_ORDER (default 100) to run later.
    for module in sorted(modules, key=lambda m: getattr(m, "DEMO_ORDER", 100)):
        module.seed(demo)
    # Last, when every app's data is in: a year of indicator history for the trends.
    from portal.dashboard.demo import seed_history

    seed_history([koege, solrod])
    return demo
