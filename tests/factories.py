"""factory_boy factories for the tenant root and people."""

from __future__ import annotations

from datetime import date

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator

from accounts.models import User
from institutions.models import (
    Child,
    ChildrenCount,
    Group,
    Guardianship,
    Institution,
    Membership,
    Municipality,
    MunicipalRole,
)

TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
PASSWORD = "Korrekt-hest-batteri-9"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    name = factory.Faker("name", locale="da_DK")
    language = "da"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified_email(self, create, extracted, **kwargs):
        if create:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)
            self.save()

    @factory.post_generation
    def totp(self, create, extracted, **kwargs):
        """UserFactory(totp=True) gives the person two-factor login."""
        if create and extracted:
            Authenticator.objects.create(
                user=self, type=Authenticator.Type.TOTP, data={"secret": TOTP_SECRET}
            )


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"Kommune {n}")
    code = factory.Sequence(lambda n: f"{(n % 899) + 100:03d}")


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institution

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Børnehuset {n}")
    kind = Institution.Kind.INTEGRATED
    ownership = Institution.Ownership.MUNICIPAL
    district = "Nord"


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group

    institution = factory.SubFactory(InstitutionFactory)
    name = factory.Sequence(lambda n: f"Stue {n}")


class ChildFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Child

    group = factory.SubFactory(GroupFactory)
    first_name = factory.Faker("first_name", locale="da_DK")
    birth_date = date(2022, 5, 17)


class GuardianshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Guardianship

    child = factory.SubFactory(ChildFactory)
    guardian = factory.SubFactory(UserFactory)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    institution = factory.SubFactory(InstitutionFactory)
    role = Membership.Role.STAFF


class MunicipalRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MunicipalRole

    user = factory.SubFactory(UserFactory, totp=True)
    municipality = factory.SubFactory(MunicipalityFactory)
    role = MunicipalRole.Role.ADMINISTRATOR


class ChildrenCountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChildrenCount

    institution = factory.SubFactory(InstitutionFactory)
    counted_on = date(2025, 1, 1)
    aged_0_2 = 20
    aged_3_5 = 40
