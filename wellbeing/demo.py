"""Demo data for the children's own voice.

Køge and Solrød get the default questions (spoken by espeak-ng where it is installed).
In Børnehuset Solstrålen the pedagogue's group has answered the questionnaire this year
(16 of its children, with their choices of playmates, so the relations map and the list
of children nobody chose have content); a second group has only three answers, to show
that no figure is shown for fewer than five. The daycare completed its children's
environment assessment two years ago (due again soon) and has a draft for this year
linked to an action plan. A dozen other daycares have counts, so the municipality sees
results per daycare.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from core.demo import Demo
from core.plans import action_plans
from institutions.models import Group, Membership

from . import services, speech
from .models import Answer, Assessment, PeerChoice, Question, Response, Session, Tally
from .pictures import DEFAULT_QUESTIONS


def seed(demo: Demo) -> None:
    if speech.is_available():
        for _code, text, *_rest in DEFAULT_QUESTIONS:
            speech.ensure_audio(text)
    for municipality in (demo.koege, demo.solrod):
        services.questions_ensure_defaults(municipality=municipality)

    rng = demo.rng
    featured = demo.featured
    staff = demo.users["staff"]
    leader = demo.users["leader"]
    staff_group = Membership.objects.get(
        user=staff, institution=featured, role="staff"
    ).groups.get()
    _answered_session(staff, staff_group, rng, answering=16)
    others = [
        g for g in featured.groups.filter(is_active=True).order_by("name") if g != staff_group
    ]
    big = next((g for g in others if g.children.count() >= 10), None)
    if big is not None:
        _answered_session(leader, big, rng, answering=3)

    # The assessment: completed two years ago, a draft this year with an action plan.
    year = timezone.localdate().year
    two_years_ago = timezone.localdate() - timedelta(days=2 * 365 - 30)
    Assessment.objects.create(
        institution=featured,
        year=two_years_ago.year,
        physical="Stuerne er små, og der er meget larm ved frokosten. Legepladsen er god.",
        psychological="De fleste børn har en ven. Nogle børn står ofte uden for legen.",
        aesthetic="Børnenes egne tegninger hænger i øjenhøjde; garderoben er rodet.",
        children_perspective="Børnene svarede på spørgeskemaet og viste os rundt på legepladsen.",
        status=Assessment.Status.COMPLETED,
        completed_on=two_years_ago,
        created_by=leader,
    )
    # Goals seed before wellbeing (INSTALLED_APPS order); their plans come through
    # core.plans, so wellbeing imports nothing of goals.
    plan_id = min(action_plans(owner_id=featured.pk), default=None)
    services.assessment_save(
        actor=leader,
        institution=featured,
        year=year,
        data={
            "physical": "Larmen på stuerne er stadig det, børnene er mindst glade for.",
            "psychological": "",
            "aesthetic": "",
            "action_plan_id": plan_id,
        },
        complete=False,
    )

    _counts_elsewhere(demo, rng, year)


def _answered_session(actor, group: Group, rng, *, answering: int) -> None:
    session = services.session_start(actor=actor, group=group)
    questions = list(Question.objects.filter(pk__in=session.question_ids))
    by_pk = {q.pk: q for q in questions}
    pseudonyms = list(group.wellbeing_pseudonyms.filter(child__isnull=False).order_by("pk"))
    children = pseudonyms[:answering]
    now = timezone.now()
    responses = Response.objects.bulk_create(
        [
            Response(session=session, pseudonym=p, year=session.year, completed_at=now)
            for p in children
        ]
    )
    answers, choices = [], []
    # Two children are chosen by nobody: the map has someone to act on.
    lonely = {p.pk for p in pseudonyms[-2:]}
    for response in responses:
        for pk in session.question_ids:
            question = by_pk[pk]
            if question.kind == Question.Kind.PEERS:
                answers.append(Answer(response=response, question=question, value=None))
                pool = [
                    p for p in pseudonyms if p.pk != response.pseudonym_id and p.pk not in lonely
                ]
                for peer in rng.sample(pool, k=min(len(pool), rng.randint(1, 3))):
                    choices.append(
                        PeerChoice(response=response, chooser_id=response.pseudonym_id, chosen=peer)
                    )
                continue
            weights = [1, 2, 6] if question.dimension != "physical" else [2, 3, 4]
            value = rng.choices([1, 2, 3], weights=weights)[0]
            answers.append(Answer(response=response, question=question, value=value))
    Answer.objects.bulk_create(answers)
    PeerChoice.objects.bulk_create(choices)
    services.session_close(actor=actor, session=session)


def _counts_elsewhere(demo: Demo, rng, year: int) -> None:
    """Closed sessions with counts only (as after the raw answers were deleted)."""
    questions = list(
        Question.objects.filter(municipality=demo.koege, kind=Question.Kind.SMILEY).order_by(
            "position"
        )
    )
    groups = (
        Group.objects.filter(institution__municipality=demo.koege, institution__kind="integrated")
        .exclude(institution=demo.featured)
        .select_related("institution")
        .order_by("institution__name", "name")
    )
    seen, picked = set(), []
    for group in groups:
        if group.institution_id not in seen and len(picked) < 12:
            seen.add(group.institution_id)
            picked.append(group)
    now = timezone.now()
    sessions = Session.objects.bulk_create(
        [
            Session(
                group=group,
                institution=group.institution,
                year=year,
                question_ids=[q.pk for q in questions],
                started_at=now,
                closed_at=now,
                respondents=rng.choice([3, 8, 11, 14, 17]),
            )
            for group in picked
        ]
    )
    tallies = []
    for session in sessions:
        for question in questions:
            n = session.respondents
            happy = rng.randint(n // 2, n)
            sad = rng.randint(0, n - happy)
            tallies.append(
                Tally(
                    session=session,
                    question=question,
                    question_text=question.text,
                    dimension=question.dimension,
                    position=question.position,
                    happy=happy,
                    sad=sad,
                    neutral=n - happy - sad,
                )
            )
    Tally.objects.bulk_create(tallies)
