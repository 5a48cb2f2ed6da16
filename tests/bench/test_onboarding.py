"""The onboarding benchmark (bench/onboarding.py) at a tiny scale: it makes a workbook
the portal accepts, imports it, re-imports the next month's, and leaves nothing behind."""

from __future__ import annotations

import pytest

from bench.onboarding import run
from institutions.models import Child, Invitation, Municipality

pytestmark = pytest.mark.django_db


def test_the_onboarding_benchmark_imports_and_reimports_and_rolls_back():
    lines = []

    figures = run("tiny", seed=3, out=lines.append)

    first, month = figures["first"], figures["next month"]
    assert first["summary"]["totals"]["children"] == 120
    assert first["invitations"] == first["summary"]["invitations"]["total"] > 120
    assert month["summary"]["children"]["new"] == 4
    assert month["summary"]["children"]["left"] == 4
    # Known people are not invited again: only the newcomers' families and new staff.
    assert month["invitations"] < first["invitations"] // 10
    assert any(line.startswith("next month: check") for line in lines)
    assert not Municipality.objects.filter(code="997").exists()
    assert not Child.objects.exists() and not Invitation.objects.exists()
