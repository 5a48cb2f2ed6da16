"""Demo data of the goals app: Køge's whole strategy, and local work in its daycares.

Børnehuset Solstrålen (the featured daycare) is filled in through the services, so its
goals have a history: plans, four goals in every status, action plans whose steps are
done, due soon and overdue, evidence, two forum discussions (one decision already a
step) and a curriculum evaluation. The other daycares get a spread of states, so the
municipality's indicator page shows met, at risk and not met. Dates are relative to
today, so the indicators tell the same story whenever the demo is loaded.
"""

from __future__ import annotations

import io
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from core.curriculum import ensure_themes
from core.dates import months_before, years_before
from institutions.models import Institution, Membership

from . import services
from .models import (
    ActionPlan,
    ActionStep,
    CurriculumEvaluation,
    CurriculumTheme,
    ForumDecision,
    ForumDiscussion,
    LocalGoal,
    LocalPlan,
    StrategyItem,
)
from .strategy_koege import seed_strategy


def _themes(*codes: str, version: int = 2018) -> list[CurriculumTheme]:
    return list(CurriculumTheme.objects.filter(version=version, code__in=codes))


def _picture() -> SimpleUploadedFile:
    """A small drawn picture: the cover of the children's first book."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (480, 320), (250, 244, 228))
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 40, 440, 280), outline=(32, 84, 147), width=8)
    draw.ellipse((90, 90, 190, 190), fill=(240, 180, 40))
    draw.polygon([(250, 230), (320, 110), (390, 230)], fill=(60, 140, 80))
    draw.rectangle((220, 230, 420, 245), fill=(120, 80, 40))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return SimpleUploadedFile("min-stue-forside.png", buffer.getvalue(), content_type="image/png")


def seed(demo) -> None:
    today = timezone.localdate()
    # The data migration put the themes there; a test database flushed since has lost them.
    ensure_themes(CurriculumTheme)
    period = seed_strategy(demo.koege)
    municipal_goals = list(
        StrategyItem.objects.filter(
            focus_area__period=period, kind=StrategyItem.Kind.MUNICIPAL_GOAL
        ).order_by("focus_area__number", "position")
    )
    actions = list(
        StrategyItem.objects.filter(
            focus_area__period=period, kind=StrategyItem.Kind.ACTION
        ).order_by("focus_area__number", "position")
    )
    _featured(demo, today, municipal_goals)
    _other_daycares(demo, today)
    _projects(demo, today, actions)


def _featured(demo, today, municipal_goals) -> None:
    leader = demo.users["leader"]
    ambassador = demo.users["ambassador"]
    pedagogue = demo.users["staff"]
    place = demo.featured
    didactics_goal, communication_goal, sharing_goal = municipal_goals[:3]

    business_plan = services.plan_create(
        actor=leader,
        institution=place,
        kind=LocalPlan.Kind.BUSINESS_PLAN,
        year=today.year,
        title="Leg, sprog og fællesskab",
    )
    last_year = services.plan_create(
        actor=leader,
        institution=place,
        kind=LocalPlan.Kind.BUSINESS_PLAN,
        year=today.year - 1,
        title="Nysgerrige børn",
    )
    revision = services.plan_create(
        actor=leader,
        institution=place,
        kind=LocalPlan.Kind.CURRICULUM_REVISION,
        adopted_on=months_before(today, 14),
        title="Den styrkede pædagogiske læreplan",
    )

    storytelling = services.goal_create(
        actor=leader,
        institution=place,
        title="Børnene fortæller deres egne historier med iPad",
        children_activity=(
            "Børnene tager billeder af deres leg og deres stue, indtaler tekst og laver små "
            "bøger i Book Creator, som de viser for hinanden og for forældrene."
        ),
        didactic_considerations=(
            "Den digitale fortælling er et redskab til sprog, ikke et mål i sig selv. Den "
            "voksne sidder med og stiller åbne spørgsmål, så børnene sætter ord på det, de "
            "har oplevet. Vi veksler mellem at fotografere ude og fortælle inde, og iPad'en "
            "bruges i små grupper på højst fire børn."
        ),
        inclusion=(
            "Børn med dansk som andetsprog og stille børn kan fortælle med billeder først og "
            "ord bagefter. Børnene bestemmer selv motiverne og rækkefølgen i bogen."
        ),
        themes=_themes("language", "culture"),
        municipal_goals=[didactics_goal, sharing_goal],
        plan=business_plan,
        status=LocalGoal.Status.ACTIVE,
        review_on=today + timedelta(days=75),
    )
    # A later change, so the goal has a history to show.
    services.goal_update(
        actor=ambassador,
        goal=storytelling,
        review_on=today + timedelta(days=60),
        themes=_themes("language", "culture", "social"),
    )
    story_plan = services.action_plan_create(
        actor=leader,
        goal=storytelling,
        title="Digital fortælling i børnehavegrupperne",
        description="Fra indkøb til forældreaften på et halvt år.",
    )
    step_specs = [
        ("Indkøb og opsætning af to iPads med Book Creator", ambassador, -40, "done"),
        ("Workshop for personalet om digital fortælling", ambassador, -12, "done"),
        ("Børnene laver deres første bog om »Min stue«", pedagogue, 5, "in_progress"),
        ("Børneinterview: hvad kan I lide ved at lave bøger?", pedagogue, -3, "not_started"),
        ("Forældreaften, hvor børnenes bøger vises", leader, 35, "not_started"),
    ]
    story_steps = []
    for title, owner, days, status in step_specs:
        step = services.step_create(
            actor=leader,
            plan=story_plan,
            title=title,
            owner=owner,
            due_on=today + timedelta(days=days),
        )
        if status != "not_started":
            services.step_set_status(actor=owner, step=step, status=status)
        story_steps.append(step)
    services.evidence_add(
        actor=ambassador,
        step=story_steps[0],
        kind="text",
        text="To iPads er sat op med Book Creator og børneprofiler uden internetadgang.",
    )
    services.evidence_add(
        actor=ambassador,
        step=story_steps[1],
        kind="link",
        url="https://www.emu.dk/dagtilbud",
        text="Materiale fra workshoppen (EMU Danmarks læringsportal)",
    )
    services.evidence_add(
        actor=pedagogue,
        step=story_steps[2],
        kind="photo",
        upload=_picture(),
        text="Forsiden på Egernets første bog, tegnet af børnene",
    )

    movement = services.goal_create(
        actor=leader,
        institution=place,
        title="Bevægelsesbaner filmes og ses sammen",
        children_activity="Børnene filmer hinanden på bevægelsesbanen og ser optagelserne sammen.",
        didactic_considerations=(
            "Når børnene ser sig selv i bevægelse, kan de sætte ord på deres krop og "
            "forbedre deres egne baner. Optagelserne slettes efter forløbet."
        ),
        inclusion=(
            "Alle børn kan være både filmfotograf og udøver; ingen skal filmes mod sin vilje."
        ),
        themes=_themes("body"),
        municipal_goals=[didactics_goal],
        plan=revision,
        status=LocalGoal.Status.ACTIVE,
        review_on=today - timedelta(days=10),
    )
    movement_plan = services.action_plan_create(
        actor=leader, goal=movement, title="Forløb i Egernet og Ræven"
    )
    for title, owner, days in [
        ("Bevægelsesbane bygges på legepladsen", leader, 20),
        ("Aftale med forældrene om film af børnene", leader, 10),
    ]:
        services.step_create(
            actor=leader,
            plan=movement_plan,
            title=title,
            owner=owner,
            due_on=today + timedelta(days=days),
        )

    services.goal_create(
        actor=ambassador,
        institution=place,
        title="Forældrene får indblik i hverdagen gennem digitale opslag",
        children_activity="Børnene vælger hver uge et billede, der fortæller om ugens leg.",
        didactic_considerations=(
            "Opslagene skal vise den pædagogiske tanke bag aktiviteterne, ikke kun praktiske "
            "beskeder. De erstatter ikke samtalen ved afhentning."
        ),
        municipal_goals=[communication_goal],
        status=LocalGoal.Status.DRAFT,
    )
    whiteboard = services.goal_create(
        actor=leader,
        institution=place,
        title="Interaktiv tavle i Egernet",
        children_activity="Sangtavle og bevægelseslege på den interaktive tavle.",
        didactic_considerations=(
            "Tavlen samler gruppen om fælles sprog- og bevægelseslege; de voksne vælger "
            "programmer, der kræver, at børnene rejser sig og bevæger sig."
        ),
        themes=_themes("body", "language", version=2004),
        municipal_goals=[didactics_goal],
        plan=last_year,
        status=LocalGoal.Status.ACHIEVED,
    )
    board_plan = services.action_plan_create(actor=leader, goal=whiteboard, title="Afprøvning")
    step = services.step_create(
        actor=leader,
        plan=board_plan,
        title="Evaluering af afprøvningen med personalet",
        owner=leader,
        due_on=today - timedelta(days=200),
    )
    services.step_set_status(actor=leader, step=step, status="done")

    board_meeting = services.discussion_create(
        actor=leader,
        institution=place,
        forum=ForumDiscussion.Forum.PARENT_BOARD,
        held_on=today - timedelta(days=55),
        topic="Billeder af børnene og digitale bøger",
        participants="Bestyrelsens fem forældre, lederen og den digitale ambassadør",
        reflection=(
            "Bestyrelsen ser digitale bøger som en god vej til at høre om barnets dag. "
            "Forældre vil gerne se processen, ikke kun de færdige produkter."
        ),
        ethics=(
            "Billeder af børn deles kun i den lukkede forældregruppe, aldrig offentligt. Børn "
            "spørges, før de fotograferes, og et nej respekteres. Samtykke fra forældre "
            "indhentes ved start."
        ),
        ownership="Bestyrelsen tager emnet op igen om et halvt år og hører børnenes egne ønsker.",
        decisions=[
            "Samtykkeerklæring om billeder sendes til alle forældre",
            "Børnenes bøger vises på forældreaftenen i foråret",
        ],
    )
    consent = board_meeting.decisions.order_by("position").first()
    services.decision_to_step(actor=leader, decision=consent, plan=story_plan)
    services.discussion_create(
        actor=leader,
        institution=place,
        forum=ForumDiscussion.Forum.STAFF_MEETING,
        held_on=today - timedelta(days=150),
        topic="Hvordan bruger vi iPads i hverdagen?",
        participants="Lederen og 9 pædagoger og medhjælpere",
        reflection="iPads bruges mest til musik; vi vil bruge dem mere til fortælling.",
        ethics="Skærmtid i små grupper og altid med en voksen, der deltager.",
        ownership="Hver stue vælger én medarbejder, der går forrest.",
        decisions=["Hver stue afprøver digital fortælling i efteråret"],
    )
    services.evaluation_create(
        actor=leader,
        institution=place,
        evaluated_on=months_before(today, 13),
        summary=(
            "Læreplanen er evalueret med personale og bestyrelse. Børnenes perspektiv er "
            "indhentet med børneinterviews og observationer. Vi styrker arbejdet med sprog og "
            "digital fortælling."
        ),
        children_perspective=True,
    )


def _other_daycares(demo, today) -> None:
    """A spread of states across the other daycares, written in bulk."""
    rng = demo.rng
    daycares = list(
        Institution.objects.filter(municipality=demo.koege)
        .daycares()
        .exclude(pk=demo.featured.pk)
        .order_by("name")
    )
    leaders = dict(
        Membership.objects.filter(
            institution__in=daycares, role=Membership.Role.LEADER
        ).values_list("institution_id", "user_id")
    )
    current = list(CurriculumTheme.objects.current())
    plans, goals, goal_themes = [], [], []
    discussions, evaluations = [], []
    for index, daycare in enumerate(daycares):
        leader_id = leaders.get(daycare.pk)
        roll = rng.random()
        plan = LocalPlan(
            institution=daycare,
            kind=LocalPlan.Kind.BUSINESS_PLAN,
            year=today.year if roll < 0.7 else today.year - 1,
        )
        plans.append(plan)
        if roll < 0.6:
            status = LocalGoal.Status.ACTIVE
        elif roll < 0.8:
            status = LocalGoal.Status.DRAFT
        else:
            status = None
        if status:
            goal = LocalGoal(
                institution=daycare,
                title=rng.choice(
                    [
                        "Børnene laver stop motion-film",
                        "Digitale billedbøger om naturen",
                        "Lyd og musik med tablets",
                        "Børnenes egne opslag til forældrene",
                        "Programmering med Bee-Bot",
                    ]
                ),
                didactic_considerations=(
                    "Mediet bruges i små grupper med en voksen, der deltager og stiller "
                    "spørgsmål; børnene producerer frem for at forbruge."
                ),
                status=status,
                review_on=today + timedelta(days=rng.randint(-30, 120)),
                created_by_id=leader_id,
            )
            goal._plan = plan
            goal._themes = rng.sample(current, k=0 if index % 9 == 4 else rng.randint(1, 2))
            goals.append(goal)
        forum_roll = rng.random()
        if forum_roll < 0.8:
            if forum_roll < 0.55:
                held = today - timedelta(days=rng.randint(20, 300))
            elif forum_roll < 0.67:
                held = today - timedelta(days=rng.randint(338, 360))
            else:
                held = today - timedelta(days=rng.randint(400, 700))
            discussion = ForumDiscussion(
                institution=daycare,
                forum=rng.choice(
                    [
                        ForumDiscussion.Forum.STAFF_MEETING,
                        ForumDiscussion.Forum.PARENT_BOARD,
                        ForumDiscussion.Forum.PARENT_COMMITTEE,
                    ]
                ),
                held_on=held,
                topic="Digitale medier i hverdagen",
                reflection="Vi drøftede, hvad børnene får ud af at skabe med digitale medier.",
                ethics="" if index % 7 == 3 else "Billeder deles kun i lukkede grupper.",
                ownership="Personalet deler erfaringer på hvert personalemøde.",
                recorded_by_id=leader_id,
            )
            discussions.append(discussion)
        evaluation_roll = rng.random()
        if evaluation_roll < 0.85:
            if evaluation_roll < 0.6:
                day = today - timedelta(days=rng.randint(30, 600))
            elif evaluation_roll < 0.7:
                day = years_before(today, 2) + timedelta(days=rng.randint(5, 60))
            else:
                day = years_before(today, 2) - timedelta(days=rng.randint(30, 400))
            evaluations.append(
                CurriculumEvaluation(
                    institution=daycare,
                    evaluated_on=day,
                    summary="Læreplanen er evalueret med personalet og forældrebestyrelsen.",
                    children_perspective=rng.random() < 0.7,
                    recorded_by_id=leader_id,
                )
            )
    LocalPlan.objects.bulk_create(plans)
    for goal in goals:
        goal.plan = goal._plan
    LocalGoal.objects.bulk_create(goals)
    for goal in goals:
        goal_themes += [
            LocalGoal.themes.through(localgoal_id=goal.pk, curriculumtheme_id=theme.pk)
            for theme in goal._themes
        ]
    LocalGoal.themes.through.objects.bulk_create(goal_themes)
    ForumDiscussion.objects.bulk_create(discussions)
    ForumDecision.objects.bulk_create(
        [
            ForumDecision(
                discussion=d, text="Hver stue afprøver et nyt digitalt forløb", position=1
            )
            for d in discussions
            if rng.random() < 0.85
        ]
    )
    CurriculumEvaluation.objects.bulk_create(evaluations)

    # Action plans with a few steps for the active goals, owned by the leader.
    action_plans = [
        ActionPlan(goal=goal, title="Forløb i efteråret")
        for goal in goals
        if goal.status == LocalGoal.Status.ACTIVE
    ]
    ActionPlan.objects.bulk_create(action_plans)
    steps = []
    for plan in action_plans:
        owner_id = leaders.get(plan.goal.institution_id)
        if owner_id is None:
            continue
        for position, (title, days) in enumerate(
            [("Materialer købes ind", -20), ("Forløbet afprøves", 15), ("Evaluering", 60)],
            start=1,
        ):
            done = days < 0 and rng.random() < 0.7
            steps.append(
                ActionStep(
                    plan=plan,
                    title=title,
                    owner_id=owner_id,
                    due_on=today + timedelta(days=days),
                    position=position,
                    status="done" if done else "not_started",
                    completed_at=timezone.now() if done else None,
                )
            )
    ActionStep.objects.bulk_create(steps)


def _projects(demo, today, actions) -> None:
    admin = demo.users["admin"]
    social_action, whiteboard_action, suitcase_action = actions[:3]
    ipad_action, suitcase_money_action = actions[5], actions[6]
    by_name = {i.name: i for i in Institution.objects.filter(municipality=demo.koege)}
    services.project_create(
        actor=admin,
        municipality=demo.koege,
        title="Interaktive tavler i to dagtilbud",
        description=(
            "To dagtilbud afprøver interaktive tavler/smartboards og kombinerer digitale "
            "læringsmidler med læreplanstemaerne Krop og bevægelse og Børns sprog."
        ),
        strategy_item=whiteboard_action,
        institutions=[demo.featured, by_name["Regnbuen"]],
        themes=_themes("body", "language", version=2004),
        status="completed",
        starts_on=today.replace(year=today.year - 2, month=1, day=15),
        ends_on=today.replace(year=today.year - 1, month=6, day=30),
        evaluation=(
            "Tavlerne samlede børnene om fælles lege. Sproglegene virkede bedst i små grupper; "
            "bevægelseslegene fik også de stille børn med."
        ),
    )
    services.project_create(
        actor=demo.users["other_leader"],
        municipality=demo.koege,
        owner_institution=by_name["Troldehøjen"],
        title="Børnenes sociale relationer – digitalt program",
        description=(
            "Sammen med firmaet Klassetrivsel udvikles et digitalt program, der skaber viden "
            "om de sociale relationer ud fra børnenes egne indtastninger og bidrager til "
            "børnemiljøvurderingen."
        ),
        strategy_item=social_action,
        partner="Klassetrivsel",
        themes=_themes("social", "personal_development"),
        status="running",
        starts_on=today - timedelta(days=240),
    )
    services.project_create(
        actor=admin,
        municipality=demo.koege,
        title="Digitaliseringskufferter",
        description=(
            "Kufferter med digitale læringsmidler, som dagtilbuddene låner på skift for at "
            "afprøve forskellige læremidler."
        ),
        strategy_item=suitcase_action,
        institutions=[i for name, i in sorted(by_name.items()) if i.is_daycare][:12],
        budget_ore=suitcase_money_action.budget_ore,
        status="running",
    )
    services.project_create(
        actor=admin,
        municipality=demo.koege,
        title="iPads til dagplejerne",
        description="32 iPads til resten af dagplejerne, bygget på Projekt iPad i dagplejen.",
        strategy_item=ipad_action,
        institutions=[by_name["Dagplejen Køge"]],
        budget_ore=ipad_action.budget_ore,
        status="completed",
    )
