"""factory_boy factories for the goals app."""

from __future__ import annotations

from datetime import timedelta

import factory
from django.utils import timezone

from core.curriculum import ensure_themes
from goals.models import (
    ActionPlan,
    ActionStep,
    CurriculumEvaluation,
    CurriculumTheme,
    Evidence,
    FocusArea,
    ForumDecision,
    ForumDiscussion,
    LocalGoal,
    LocalPlan,
    Project,
    StrategyItem,
    StrategyPeriod,
)
from tests.factories import InstitutionFactory, MunicipalityFactory, UserFactory


def theme(code: str, version: int = 2018) -> CurriculumTheme:
    """A curriculum theme. The data migration put them there, but a transactional test
    flushes every table when it ends, so later tests put them back first."""
    ensure_themes(CurriculumTheme)
    return CurriculumTheme.objects.get(code=code, version=version)


class StrategyPeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StrategyPeriod

    municipality = factory.SubFactory(MunicipalityFactory)
    title = "Delstrategi for digitalisering i dagtilbud"
    start_year = 2013
    end_year = 2015


class FocusAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FocusArea

    period = factory.SubFactory(StrategyPeriodFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Indsatsområde {n}")
    area = "digital_media"


class StrategyItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StrategyItem

    focus_area = factory.SubFactory(FocusAreaFactory)
    kind = StrategyItem.Kind.MUNICIPAL_GOAL
    text = factory.Sequence(lambda n: f"Alle dagtilbud har mål nummer {n}")
    position = factory.Sequence(lambda n: n + 1)


class LocalPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LocalPlan

    institution = factory.SubFactory(InstitutionFactory)
    kind = LocalPlan.Kind.BUSINESS_PLAN
    year = factory.LazyFunction(lambda: timezone.localdate().year)


class LocalGoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LocalGoal
        skip_postgeneration_save = True

    institution = factory.SubFactory(InstitutionFactory)
    title = factory.Sequence(lambda n: f"Digital fortælling {n}")
    didactic_considerations = "Den voksne deltager og stiller åbne spørgsmål."
    status = LocalGoal.Status.ACTIVE

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        """LocalGoalFactory(themes=["language"]) links themes of 2018 by code."""
        if create and extracted:
            self.themes.set([t if isinstance(t, CurriculumTheme) else theme(t) for t in extracted])


class ActionPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionPlan

    goal = factory.SubFactory(LocalGoalFactory)
    title = factory.Sequence(lambda n: f"Handleplan {n}")


class ActionStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionStep

    plan = factory.SubFactory(ActionPlanFactory)
    title = factory.Sequence(lambda n: f"Trin {n}")
    owner = factory.SubFactory(UserFactory)
    due_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=14))
    position = factory.Sequence(lambda n: n + 1)
    status = ActionStep.Status.NOT_STARTED
    completed_at = factory.LazyAttribute(
        lambda o: timezone.now() if o.status == ActionStep.Status.DONE else None
    )


class EvidenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Evidence

    step = factory.SubFactory(ActionStepFactory)
    kind = Evidence.Kind.TEXT
    text = "Børnene lavede tre bøger."


class ForumDiscussionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ForumDiscussion

    institution = factory.SubFactory(InstitutionFactory)
    forum = ForumDiscussion.Forum.STAFF_MEETING
    held_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=30))
    topic = "Digitale medier i hverdagen"
    reflection = "Hvad får børnene ud af det?"
    ethics = "Billeder deles kun i lukkede grupper."


class ForumDecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ForumDecision

    discussion = factory.SubFactory(ForumDiscussionFactory)
    text = factory.Sequence(lambda n: f"Beslutning {n}")
    position = factory.Sequence(lambda n: n + 1)


class CurriculumEvaluationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CurriculumEvaluation

    institution = factory.SubFactory(InstitutionFactory)
    evaluated_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=100))
    summary = "Læreplanen er evalueret."
    children_perspective = True


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    municipality = factory.SubFactory(MunicipalityFactory)
    title = factory.Sequence(lambda n: f"Projekt {n}")
    status = Project.Status.RUNNING


def pdf_bytes() -> bytes:
    return b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def png_bytes(size=(40, 30), exif: bytes | None = None, fmt: str = "PNG") -> bytes:
    import io

    from PIL import Image

    image = Image.new("RGB", size, (200, 40, 40))
    buffer = io.BytesIO()
    options = {"exif": exif} if exif else {}
    image.save(buffer, format=fmt, **options)
    return buffer.getvalue()
