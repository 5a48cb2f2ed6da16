"""Shared pieces of the dashboard and report tests: a municipality with daycares whose
ambassador indicator we control, a registry a test may add to, and PDF text."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

import core.indicators as registry
import core.reports as report_hook
from core.indicators import Area, Indicator, Level, Result, Status
from institutions.models import Institution, Membership
from tests.factories import InstitutionFactory, MembershipFactory, MunicipalRoleFactory
from tests.pdf import pdf_text as pdf_text

AMBASSADOR = "institutions.ambassador_named"


def daycare(municipality, name, *, ambassador: bool = False, **fields) -> Institution:
    institution = InstitutionFactory(municipality=municipality, name=name, **fields)
    if ambassador:
        MembershipFactory(institution=institution, role=Membership.Role.AMBASSADOR)
    return institution


def admin_of(municipality):
    return MunicipalRoleFactory(municipality=municipality).user


def leader_of(institution):
    return MembershipFactory(
        institution=institution, role=Membership.Role.LEADER, user__totp=True
    ).user


def queries(call) -> int:
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured.captured_queries)


def danish(text: str, **values) -> str:
    with translation.override("da"):
        translated = translation.gettext(text)
    return translated % values if values else translated


def danish_plural(singular: str, plural: str, count: int, **values) -> str:
    with translation.override("da"):
        return translation.ngettext(singular, plural, count) % {"count": count, **values}


class WifiEverywhere(Indicator):
    """A test indicator with a deadline: met by daycares whose name has "Wi-Fi"."""

    code = "tests.wifi_everywhere"
    area = Area.IT_SERVICE
    level = Level.MUNICIPAL
    title = "Wi-Fi at every site"
    goal = "Every daycare has Wi-Fi by the end of 2014."
    deadline = date(2014, 12, 31)

    def evaluate(self, *, municipality, institutions, today):
        return {
            i.pk: Result(
                self.graded("Wi-Fi" in i.name, today),
                "Wi-Fi in every room" if "Wi-Fi" in i.name else "No Wi-Fi yet",
            )
            for i in institutions
        }


@pytest.fixture
def isolated_registry(monkeypatch):
    """Indicators registered by a test are forgotten after it."""
    monkeypatch.setattr(registry, "_registry", dict(registry._registry))


@pytest.fixture
def isolated_sections(monkeypatch):
    """Report sections registered by a test are forgotten after it."""
    monkeypatch.setattr(report_hook, "_providers", list(report_hook._providers))


__all__ = ["Status"]
