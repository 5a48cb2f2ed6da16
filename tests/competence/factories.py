"""factory_boy factories for competence development."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import factory
from django.core.files.base import ContentFile
from django.db.models import F
from django.utils import timezone

from competence.models import (
    CompetencePlan,
    Event,
    Meeting,
    MeetingFile,
    Network,
    PlanActivity,
    Post,
    PostFile,
    Registration,
)
from tests.factories import InstitutionFactory, MunicipalityFactory, UserFactory


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    municipality = factory.SubFactory(MunicipalityFactory)
    title = factory.Sequence(lambda n: f"Temadag {n}")
    kind = Event.Kind.CONFERENCE
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))
    ends_at = factory.LazyAttribute(lambda e: e.starts_at + timedelta(hours=6))
    place = "Køge Kulturhus"
    capacity = 10


class RegistrationFactory(factory.django.DjangoModelFactory):
    """A confirmed registration. Keeps the event's seat count in step, as the service does."""

    class Meta:
        model = Registration

    event = factory.SubFactory(EventFactory)
    institution = factory.SubFactory(InstitutionFactory)
    user = factory.SubFactory(UserFactory)
    for_kickoff = factory.LazyAttribute(lambda r: r.event.is_kickoff)
    status = Registration.Status.CONFIRMED
    queued_at = factory.LazyFunction(timezone.now)
    confirmed_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def count_seat(self, create, extracted, **kwargs):
        if create and self.status == Registration.Status.CONFIRMED:
            Event.objects.filter(pk=self.event_id).update(confirmed_count=F("confirmed_count") + 1)
            self.event.refresh_from_db()


class NetworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Network

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Netværk {n}")
    cadence = 3
    organiser = factory.SubFactory(UserFactory)


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    network = factory.SubFactory(NetworkFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=3))
    ends_at = factory.LazyAttribute(lambda m: m.starts_at + timedelta(hours=2))
    place = "Rådhuset"


class MeetingFileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingFile

    meeting = factory.SubFactory(MeetingFactory)
    file = factory.LazyFunction(lambda: ContentFile(b"%PDF-1.4 referat", name="referat.pdf"))
    name = "referat.pdf"
    size = 16
    content_type = "application/pdf"


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CompetencePlan

    institution = factory.SubFactory(InstitutionFactory)
    year = factory.LazyFunction(lambda: timezone.localdate().year)
    budget_ore = 10_000_00
    hours = Decimal(40)


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanActivity

    plan = factory.SubFactory(PlanFactory)
    kind = PlanActivity.Kind.COURSE
    title = "Kursus i digital fortælling"
    starts_on = factory.LazyAttribute(lambda a: timezone.localdate().replace(year=a.plan.year))
    planned_cost_ore = 2_500_00
    planned_hours = Decimal(8)


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post

    institution = factory.SubFactory(InstitutionFactory)
    author = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Erfaring {n}")
    body = "Vi prøvede noget nyt med børnene."
    age_group = "3_5"


class PostFileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PostFile

    post = factory.SubFactory(PostFactory)
    kind = PostFile.Kind.DOCUMENT
    file = factory.LazyFunction(lambda: ContentFile(b"%PDF-1.4 plan", name="plan.pdf"))
    name = "plan.pdf"
    size = 13
    content_type = "application/pdf"
