"""Reads of place allocation, shaped for pages: waiting lists in the municipality's
priority order, a family's place on each list, free places per group and month, the
children near their guarantee date. A fixed number of queries each, however long the
lists grow."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.utils import timezone

from core.dates import add_months
from institutions.models import Child, Group, Guardianship, Institution, Municipality

from . import rules
from .models import Capacity, Letter, Offer, Policy, Signup, Wish
from .services import policy_for


def people_in_signups(signups) -> dict[str, list]:
    """Whose data a look at these sign-ups is, for privacy.log.log_access: the child is
    not in the register yet, so the look is the parent's who signed up (their "My data"
    shows it), and the child's too once it is registered. A paper sign-up has neither
    until the child is registered: the look is logged against the sign-up, which the
    family then sees. Two queries whatever the number of sign-ups."""
    signups = list(signups)
    paper = [s for s in signups if not s.parent_id and not s.child_id and not s.current_child_id]
    parent_ids = {s.parent_id for s in signups if s.parent_id}
    child_ids = {pk for s in signups for pk in (s.child_id, s.current_child_id) if pk}
    guardians = get_user_model().objects.filter(pk__in=parent_ids) if parent_ids else []
    children = (
        Child.objects.filter(pk__in=child_ids).select_related("group__institution")
        if child_ids
        else []
    )
    return {"guardians": list(guardians), "children": list(children), "signups": paper}


@dataclass
class WaitingRow:
    position: int
    wish: Wish
    signup: Signup
    sibling: bool
    open_offer: Offer | None
    suggested: bool = False

    @property
    def can_be_offered(self) -> bool:
        return self.open_offer is None


def _open_wishes(institution_ids: list[int]) -> QuerySet[Wish]:
    sibling = Guardianship.objects.filter(
        guardian=OuterRef("signup__parent"),
        child__group__institution=OuterRef("institution"),
        child__left_on=None,
    )
    return (
        Wish.objects.filter(
            institution_id__in=institution_ids, declined_at=None, signup__state="waiting"
        )
        .select_related("signup")
        .annotate(sibling=Exists(sibling))
    )


def _ranked(policy: Policy, wishes: list[Wish]) -> list[Wish]:
    by_pk = {w.pk: w for w in wishes}
    entries = [
        rules.Entry(
            pk=w.pk,
            special_needs=w.signup.needs_priority,
            sibling=w.sibling,
            seniority_date=w.signup.seniority_date,
            signed_up_at=w.signup.created_at,
        )
        for w in wishes
    ]
    return [by_pk[e.pk] for e in rules.rank(policy.priority_order, entries)]


def waiting_list(institution: Institution, policy: Policy | None = None) -> list[WaitingRow]:
    """The daycare's waiting list in the municipality's priority order. The first child
    without an open offer is the one suggested for the next free place. Four queries."""
    policy = policy or policy_for(institution.municipality)
    wishes = _ranked(policy, list(_open_wishes([institution.pk])))
    open_offers = {
        o.signup_id: o
        for o in Offer.objects.pending()
        .filter(signup_id__in=[w.signup_id for w in wishes])
        .select_related("institution", "group")
    }
    rows = [
        WaitingRow(
            position=index,
            wish=wish,
            signup=wish.signup,
            sibling=wish.sibling,
            open_offer=open_offers.get(wish.signup_id),
        )
        for index, wish in enumerate(wishes, start=1)
    ]
    for row in rows:
        if row.can_be_offered:
            row.suggested = True
            break
    return rows


def suggested_next(institution: Institution) -> Signup | None:
    for row in waiting_list(institution):
        if row.suggested:
            return row.signup
    return None


@dataclass
class WishPlace:
    wish: Wish
    position: int | None
    total: int


def positions_for(signups: list[Signup]) -> dict[int, list[WishPlace]]:
    """For each sign-up, its wishes with the place on each daycare's waiting list. One
    query for all the lists together (plus the rules), however many sign-ups."""
    if not signups:
        return {}
    own_wishes = [w for s in signups for w in s.wishes.all()]
    institution_ids = sorted({w.institution_id for w in own_wishes})
    lists: dict[int, list[Wish]] = defaultdict(list)
    for wish in _open_wishes(institution_ids):
        lists[wish.institution_id].append(wish)
    policies = {
        p.municipality_id: p
        for p in Policy.objects.filter(municipality_id__in={s.municipality_id for s in signups})
    }
    places: dict[tuple[int, int], tuple[int, int]] = {}
    for institution_id, wishes in lists.items():
        policy = policies.get(wishes[0].signup.municipality_id) or Policy()
        ranked = _ranked(policy, wishes)
        for index, wish in enumerate(ranked, start=1):
            places[(institution_id, wish.signup_id)] = (index, len(ranked))
    result = {}
    for signup in signups:
        result[signup.pk] = [
            WishPlace(
                wish=w,
                position=places.get((w.institution_id, signup.pk), (None, 0))[0],
                total=len(lists.get(w.institution_id, [])),
            )
            for w in signup.wishes.all()
        ]
    return result


def signups_of(user) -> list[Signup]:
    return list(
        Signup.objects.filter(parent=user)
        .select_related("municipality")
        .prefetch_related(
            Prefetch("wishes", queryset=Wish.objects.select_related("institution")),
            Prefetch(
                "offers",
                queryset=Offer.objects.select_related("institution", "group").order_by(
                    "-made_at", "-id"
                ),
            ),
        )
        .order_by("-created_at", "-id")
    )


def signup_detail(queryset: QuerySet[Signup], pk: int) -> Signup:
    return (
        queryset.select_related("municipality", "parent", "child__group__institution")
        .prefetch_related(
            Prefetch("wishes", queryset=Wish.objects.select_related("institution")),
            Prefetch(
                "offers",
                queryset=Offer.objects.select_related("institution", "group", "made_by").order_by(
                    "-made_at", "-id"
                ),
            ),
            Prefetch("letters", queryset=Letter.objects.order_by("created_at", "id")),
        )
        .get(pk=pk)
    )


# Places --------------------------------------------------------------------------------


@dataclass
class CapacityRow:
    group: Group
    children: int
    cells: list[Capacity | None] = field(default_factory=list)


def months_from(first: date, count: int) -> list[date]:
    month = rules.first_of_month(first)
    return [add_months(month, n) for n in range(count)]


def capacity_table(
    institution: Institution, months: list[date], *, today: date | None = None
) -> list[CapacityRow]:
    """Per group: the children in it now (started and not left: a child who accepted a
    place counts from its start), and for each month the places for new children, offered
    and free. Three queries."""
    from django.db.models import Count, Q

    today = today or timezone.localdate()
    now = (Q(children__started_on=None) | Q(children__started_on__lte=today)) & (
        Q(children__left_on=None) | Q(children__left_on__gte=today)
    )
    groups = list(
        institution.groups.filter(is_active=True)
        .annotate(current=Count("children", filter=now))
        .order_by("name")
    )
    cells = {
        (c.group_id, c.month): c
        for c in Capacity.objects.filter(group__in=groups, month__in=months)
    }
    return [
        CapacityRow(group=g, children=g.current, cells=[cells.get((g.pk, m)) for m in months])
        for g in groups
    ]


def free_places(institution: Institution, months: list[date]) -> list[Capacity]:
    """The group-months with a free place, for the offer form."""
    return [
        c
        for c in Capacity.objects.filter(group__institution=institution, month__in=months)
        .select_related("group")
        .order_by("month", "group__name")
        if c.free > 0
    ]


# The guarantee ---------------------------------------------------------------------------


def near_guarantee(
    municipality: Municipality, *, today: date | None = None, policy: Policy | None = None
) -> list[Signup]:
    """Children on the waiting list whose guarantee date has passed or is within the
    warning period, without an offer awaiting an answer: most urgent first."""
    today = today or timezone.localdate()
    policy = policy or policy_for(municipality)
    horizon = today + timedelta(days=policy.guarantee_warning_days)
    pending = Offer.objects.filter(signup=OuterRef("pk"), state=Offer.State.PENDING)
    signups = list(
        Signup.objects.filter(municipality=municipality, guarantee_date__lte=horizon)
        .waiting()
        .exclude(Exists(pending))
        .prefetch_related(Prefetch("wishes", queryset=Wish.objects.select_related("institution")))
        .order_by("guarantee_date", "seniority_date", "id")
    )
    for signup in signups:
        signup.days_left = (signup.guarantee_date - today).days
        signup.overdue = signup.days_left < 0
        signup.days_over = -signup.days_left
    return signups


def municipality_summary(municipality: Municipality) -> dict:
    from django.db.models import Count, Q

    return Signup.objects.filter(municipality=municipality).aggregate(
        waiting=Count("pk", filter=Q(state="waiting")),
        placed=Count("pk", filter=Q(state="placed")),
        withdrawn=Count("pk", filter=Q(state="withdrawn")),
        paper=Count("pk", filter=Q(channel="paper")),
        total=Count("pk"),
    )


def municipality_signups(municipality: Municipality, state: str = "waiting") -> QuerySet[Signup]:
    return (
        Signup.objects.filter(municipality=municipality, state=state)
        .prefetch_related(
            Prefetch("wishes", queryset=Wish.objects.select_related("institution")),
            Prefetch(
                "offers",
                queryset=Offer.objects.pending().select_related("institution"),
                to_attr="open_offers",
            ),
        )
        .order_by("guarantee_date", "id")
    )


# Moving on -------------------------------------------------------------------------------


def school_starters(institution: Institution, *, today: date | None = None) -> list[Child]:
    """Children of the daycare who start school at the next school start (August)."""
    today = today or timezone.localdate()
    year = today.year if today.month < rules.SCHOOL_START_MONTH else today.year + 1
    born_in = year - 6
    return list(
        Child.objects.current()
        .filter(group__institution=institution, birth_date__year=born_in)
        .select_related("group")
        .order_by("birth_date", "first_name")
    )


def kindergarten_movers(institution: Institution, *, today: date | None = None) -> list[Child]:
    """Children of a nursery or childminding who turn three within half a year and need a
    kindergarten place. In an integrated institution they keep theirs: none are listed."""
    if institution.kind not in (Institution.Kind.NURSERY, Institution.Kind.CHILDMINDING):
        return []
    today = today or timezone.localdate()
    oldest = add_months(today, 6 - 36)
    moving = Signup.objects.filter(current_child=OuterRef("pk"), state="waiting")
    return list(
        Child.objects.current()
        .filter(group__institution=institution, birth_date__lte=oldest)
        .annotate(signed_up=Exists(moving))
        .select_related("group")
        .order_by("birth_date")
    )


def school_groups(municipality: Municipality) -> tuple[list[Group], list[Group]]:
    groups = list(
        Group.objects.filter(
            institution__municipality=municipality,
            institution__is_active=True,
            is_active=True,
            institution__kind__in=[Institution.Kind.SCHOOL, Institution.Kind.AFTER_SCHOOL],
        )
        .select_related("institution")
        .order_by("institution__name", "name")
    )
    schools = [g for g in groups if g.institution.kind == Institution.Kind.SCHOOL]
    after = [g for g in groups if g.institution.kind == Institution.Kind.AFTER_SCHOOL]
    return schools, after


def open_municipalities() -> QuerySet[Municipality]:
    """Municipalities that take sign-ups in the portal. Public to every logged-in person:
    a family may sign up wherever it lives or moves to."""
    return Municipality.objects.filter(admission_policy__is_open=True).order_by("name")
