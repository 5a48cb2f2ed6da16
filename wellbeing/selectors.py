"""Reads of the children's own voice, each in a fixed number of queries.

Results are read from the tallies (counts per session and question), so they outlive
the raw answers. No figure is shown for fewer than MIN_CHILDREN children: a small group
would otherwise let adults guess what one child answered.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Max, Min, Q, Sum
from django.utils import timezone

from institutions.models import Child, Group, Institution, Municipality

from .models import Dimension, PeerChoice, Pseudonym, Question, Response, Session, Tally
from .pictures import DEFAULT_QUESTIONS, symbol_parts

MIN_CHILDREN = 5


def _percentages(counts: list[int]) -> list[int]:
    """Whole percentages that add up to 100 (largest remainder)."""
    total = sum(counts)
    if not total:
        return [0 for _ in counts]
    raw = [100 * c / total for c in counts]
    parts = [int(r) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: raw[i] - parts[i], reverse=True)
    for index in order[: 100 - sum(parts)]:
        parts[index] += 1
    return parts


@dataclass
class Counts:
    sad: int = 0
    neutral: int = 0
    happy: int = 0

    @property
    def n(self) -> int:
        return self.sad + self.neutral + self.happy

    @property
    def shown(self) -> bool:
        return self.n >= MIN_CHILDREN

    @property
    def percents(self) -> dict[str, int]:
        happy, neutral, sad = _percentages([self.happy, self.neutral, self.sad])
        return {"happy": happy, "neutral": neutral, "sad": sad}

    def add(self, other: Counts) -> None:
        self.sad += other.sad
        self.neutral += other.neutral
        self.happy += other.happy


@dataclass
class QuestionResult:
    question_id: int | None
    text: str
    dimension: str
    position: int
    counts: Counts

    @property
    def dimension_label(self) -> str:
        return Dimension(self.dimension).label


@dataclass
class Results:
    year: int
    respondents: int
    questions: list[QuestionResult] = field(default_factory=list)

    @property
    def shown(self) -> bool:
        return self.respondents >= MIN_CHILDREN

    def by_dimension(self) -> list[tuple[str, str, Counts, list[QuestionResult]]]:
        rows = []
        for value, label in Dimension.choices:
            questions = [q for q in self.questions if q.dimension == value]
            total = Counts()
            for q in questions:
                total.add(q.counts)
            rows.append((value, label, total, questions))
        return rows


def _question_results(tallies) -> list[QuestionResult]:
    rows = (
        tallies.values("question_id")
        .annotate(
            text=Max("question_text"),
            dim=Max("dimension"),
            pos=Min("position"),
            sad_n=Sum("sad"),
            neutral_n=Sum("neutral"),
            happy_n=Sum("happy"),
        )
        .order_by("pos", "question_id")
    )
    return [
        QuestionResult(
            question_id=row["question_id"],
            text=row["text"],
            dimension=row["dim"],
            position=row["pos"],
            counts=Counts(row["sad_n"] or 0, row["neutral_n"] or 0, row["happy_n"] or 0),
        )
        for row in rows
    ]


def _closed(sessions):
    return sessions.filter(closed_at__isnull=False)


def results_for(sessions, year: int) -> Results:
    """The results of the closed sessions in `sessions` for `year`: two queries."""
    sessions = _closed(sessions).filter(year=year)
    respondents = sessions.aggregate(n=Sum("respondents"))["n"] or 0
    tallies = Tally.objects.filter(session__in=sessions)
    return Results(year=year, respondents=respondents, questions=_question_results(tallies))


def group_results(group: Group, year: int) -> Results:
    return results_for(Session.objects.filter(group=group), year)


def _rolled_up(sessions, year: int):
    """The closed sessions of `year` from groups where at least MIN_CHILDREN answered.
    A roll-up that counted a smaller group would give its answers away by subtraction
    (the daycare's figures minus the other groups')."""
    closed = _closed(sessions).filter(year=year)
    counted = (
        closed.values("group_id")
        .annotate(n=Sum("respondents"))
        .filter(n__gte=MIN_CHILDREN)
        .values("group_id")
    )
    return closed.filter(group_id__in=counted)


def institution_results(institution: Institution, year: int) -> Results:
    return results_for(_rolled_up(Session.objects.filter(institution=institution), year), year)


def years_with_sessions(sessions) -> list[int]:
    years = set(sessions.values_list("year", flat=True).distinct())
    years.add(timezone.localdate().year)
    return sorted(years, reverse=True)


def group_respondents(institution: Institution, year: int) -> list[tuple[Group, int]]:
    """Each active group of the daycare with the children who answered in `year`."""
    totals = dict(
        _closed(Session.objects.filter(institution=institution, year=year))
        .values("group_id")
        .annotate(n=Sum("respondents"))
        .values_list("group_id", "n")
    )
    groups = institution.groups.filter(is_active=True).order_by("name")
    return [(g, totals.get(g.pk, 0)) for g in groups]


@dataclass
class DaycareRow:
    institution: Institution
    respondents: int  # every child who answered
    dimensions: dict[str, Counts]
    counted: int = 0  # those in groups large enough to count (see _rolled_up)

    @property
    def shown(self) -> bool:
        return self.counted >= MIN_CHILDREN


def municipality_results(municipality: Municipality, year: int) -> tuple[Results, list[DaycareRow]]:
    """The municipality's results per question and each daycare's per dimension, from
    groups where at least MIN_CHILDREN answered: four queries whatever the number of
    daycares."""
    sessions = Session.objects.filter(institution__municipality=municipality)
    counted_sessions = _rolled_up(sessions, year)
    total = results_for(counted_sessions, year)

    def per_daycare(closed):
        return dict(
            closed.values("institution_id")
            .annotate(n=Sum("respondents"))
            .values_list("institution_id", "n")
        )

    respondents = per_daycare(_closed(sessions).filter(year=year))
    counted = per_daycare(counted_sessions)
    per_dimension = (
        Tally.objects.filter(session__in=counted_sessions)
        .values("session__institution_id", "dimension")
        .annotate(sad_n=Sum("sad"), neutral_n=Sum("neutral"), happy_n=Sum("happy"))
    )
    dims: dict[int, dict[str, Counts]] = defaultdict(dict)
    for row in per_dimension:
        dims[row["session__institution_id"]][row["dimension"]] = Counts(
            row["sad_n"], row["neutral_n"], row["happy_n"]
        )
    institutions = Institution.objects.filter(municipality=municipality, is_active=True).filter(
        Q(kind__in=Institution.DAYCARE_KINDS) | Q(kind=Institution.Kind.AFTER_SCHOOL)
    )
    rows = [
        DaycareRow(
            institution=institution,
            respondents=respondents.get(institution.pk, 0),
            counted=counted.get(institution.pk, 0),
            dimensions={value: dims[institution.pk].get(value, Counts()) for value in Dimension},
        )
        for institution in institutions.order_by("name")
    ]
    return total, rows


# The questions ----------------------------------------------------------------------------


def default_questions_missing(municipality: Municipality) -> list[Question]:
    """The default questions the municipality has no copy of yet, unsaved, each where it
    would go. One query."""
    have = set(
        Question.objects.filter(municipality=municipality)
        .exclude(default_code="")
        .values_list("default_code", flat=True)
    )
    return [
        Question(
            municipality=municipality,
            default_code=code,
            text=text,
            dimension=dimension,
            picture=picture,
            kind=kind,
            position=(index + 1) * 10,
        )
        for index, (code, text, dimension, picture, kind) in enumerate(DEFAULT_QUESTIONS)
        if code not in have
    ]


# The children's pictures -----------------------------------------------------------------


def group_pictures(group: Group) -> tuple[list[Pseudonym], list[Child]]:
    """The group's current children with their pictures, and those who have none yet (new
    in the group since the pictures were last given out). Two queries; writes nothing."""
    children = list(Child.objects.filter(group=group).current().order_by("first_name", "pk"))
    pseudonyms = list(
        Pseudonym.objects.filter(group=group, child__in=children)
        .select_related("child")
        .order_by("child__first_name", "pk")
    )
    pictured = {p.child_id for p in pseudonyms}
    return pseudonyms, [c for c in children if c.pk not in pictured]


# The tablet -----------------------------------------------------------------------------


def tablet_children(session: Session) -> list[tuple[Pseudonym, bool]]:
    """The group's children's pictures, each with whether the child has answered this year."""
    pseudonyms = list(
        Pseudonym.objects.filter(group_id=session.group_id, child__isnull=False)
        .select_related("child")
        .order_by("child__first_name", "pk")
    )
    done = set(
        Response.objects.filter(
            pseudonym__in=pseudonyms, year=session.year, completed_at__isnull=False
        ).values_list("pseudonym_id", flat=True)
    )
    return [(p, p.pk in done) for p in pseudonyms]


# Relations ------------------------------------------------------------------------------


@dataclass
class Node:
    pseudonym: Pseudonym
    name: str
    symbol: str
    answered: bool = False
    chosen_by: int = 0
    chose: int = 0
    # Coordinates are whole numbers: templates print them unlocalised into the SVG.
    x: int = 0
    y: int = 0

    @property
    def shape(self) -> str:
        return symbol_parts(self.symbol)[0]

    @property
    def colour(self) -> str:
        return symbol_parts(self.symbol)[1]


@dataclass
class Edge:
    source: Node
    target: Node
    mutual: bool = False
    x1: int = 0
    y1: int = 0
    x2: int = 0
    y2: int = 0


@dataclass
class Relations:
    year: int
    nodes: list[Node]
    edges: list[Edge]
    choices: list[tuple[Node, list[Node]]]
    size: int = 640

    @property
    def answered(self) -> int:
        return sum(1 for n in self.nodes if n.answered)

    @property
    def nobody_chose(self) -> list[Node]:
        return [n for n in self.nodes if n.chosen_by == 0]


def group_relations(group: Group, year: int) -> Relations:
    """Who chose whom in the group's completed answers of `year` (three queries). The
    children are the group's current children and anyone chosen or choosing that year."""
    responses = Response.objects.filter(session__group=group, year=year, completed_at__isnull=False)
    answered = set(responses.values_list("pseudonym_id", flat=True))
    pairs = list(
        PeerChoice.objects.filter(response__in=responses).values_list("chooser_id", "chosen_id")
    )
    involved = {a for a, _b in pairs} | {b for _a, b in pairs} | answered
    pseudonyms = (
        Pseudonym.objects.filter(group=group)
        .filter(Q(child__isnull=False) | Q(pk__in=involved))
        .select_related("child")
        .order_by("child__first_name", "pk")
    )
    nodes = {}
    for p in pseudonyms:
        name = p.child.first_name if p.child else "–"
        if p.child and p.child.last_name:
            name = f"{name} {p.child.last_name[0]}."
        nodes[p.pk] = Node(pseudonym=p, name=name, symbol=p.symbol, answered=p.pk in answered)
    ordered = list(nodes.values())
    _layout(ordered, size=Relations.size, margin=70)
    chosen_by_pair = set(pairs)
    edges = []
    choices: dict[int, list[Node]] = defaultdict(list)
    for chooser_id, chosen_id in pairs:
        source, target = nodes.get(chooser_id), nodes.get(chosen_id)
        if source is None or target is None:
            continue
        source.chose += 1
        target.chosen_by += 1
        choices[chooser_id].append(target)
        mutual = (chosen_id, chooser_id) in chosen_by_pair
        if mutual and chooser_id > chosen_id:
            continue  # one line with two arrowheads for a mutual choice
        edge = Edge(source=source, target=target, mutual=mutual)
        _shorten(edge, 40)
        edges.append(edge)
    listing = [(n, sorted(choices.get(n.pseudonym.pk, []), key=lambda t: t.name)) for n in ordered]
    return Relations(year=year, nodes=ordered, edges=edges, choices=listing)


def _layout(nodes: list[Node], *, size: int, margin: int) -> None:
    """The children on a circle, in name order."""
    centre = size / 2
    radius = centre - margin
    count = max(len(nodes), 1)
    for index, node in enumerate(nodes):
        angle = -math.pi / 2 + 2 * math.pi * index / count
        node.x = round(centre + radius * math.cos(angle))
        node.y = round(centre + radius * math.sin(angle))


def _shorten(edge: Edge, gap: float) -> None:
    """The line from the edge of one picture to the edge of the other."""
    dx, dy = edge.target.x - edge.source.x, edge.target.y - edge.source.y
    length = math.hypot(dx, dy) or 1
    ux, uy = dx / length, dy / length
    edge.x1 = round(edge.source.x + ux * gap)
    edge.y1 = round(edge.source.y + uy * gap)
    edge.x2 = round(edge.target.x - ux * gap)
    edge.y2 = round(edge.target.y - uy * gap)
