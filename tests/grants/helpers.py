"""Building blocks for the grants tests: pools, applications in any state, grants and
expenses, made through the services so every invariant holds as in real use."""

from __future__ import annotations

import io
from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from grants import services
from grants.demo import RECEIPT_PDF
from grants.models import Application, Earmark, Grant, Pool
from institutions.models import Membership, MunicipalRole
from tests.factories import MembershipFactory, MunicipalRoleFactory, UserFactory
from tests.pdf import pdf_text as pdf_text
from tests.pdf import plain as plain

KR = 100
State = Application.State
Outcome = Application.Outcome


def today() -> date:
    return timezone.localdate()


def admin_of(municipality):
    role = MunicipalRole.objects.filter(
        municipality=municipality, role=MunicipalRole.Role.ADMINISTRATOR
    ).first()
    return role.user if role else MunicipalRoleFactory(municipality=municipality).user


def leader_of(institution):
    membership = Membership.objects.filter(
        institution=institution, role=Membership.Role.LEADER
    ).first()
    if membership:
        return membership.user
    return MembershipFactory(
        institution=institution, role=Membership.Role.LEADER, user=UserFactory(totp=True)
    ).user


def receipt(name="kvittering.pdf", content=RECEIPT_PDF, content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def png_receipt(name="kvittering.png"):
    out = io.BytesIO()
    Image.new("RGB", (40, 60), "white").save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def make_pool(municipality, *, name="Forsøg med digitale læremidler", total_kr=100_000, **over):
    values = {
        "kind": Pool.Kind.APPLICATION,
        "total_ore": total_kr * KR,
        "period_start": today() - timedelta(days=30),
        "period_end": today() + timedelta(days=300),
        "opens_on": today() - timedelta(days=30),
        "closes_on": today() + timedelta(days=30),
        "max_per_application_ore": None,
        "partial_funding_allowed": True,
        "earmarks": [Earmark.LEARNING_MATERIALS, Earmark.DEVICES],
        "eligible_kinds": [],
        "description": "",
    }
    values.update(over)
    publish = values.pop("publish", True)
    pool = services.pool_create(
        actor=admin_of(municipality), municipality=municipality, name=name, **values
    )
    if publish and pool.kind == Pool.Kind.APPLICATION:
        services.pool_publish(actor=admin_of(municipality), pool=pool)
        pool.refresh_from_db()
    return pool


def make_application(
    pool,
    institution,
    *,
    asked_kr=20_000,
    lines=None,
    state=State.DRAFT,
    outcome=None,
    approved_kr=None,
    partial=True,
    project="Bee-Bots i børnehaven",
    reason="",
    report_due=None,
) -> Application:
    """An application moved through the services into `state`."""
    leader = leader_of(institution)
    admin = admin_of(pool.municipality)
    lines = lines or [("Bee-Bots", Earmark.LEARNING_MATERIALS, asked_kr)]
    application = services.application_create(
        actor=leader,
        pool=pool,
        institution=institution,
        project=project,
        purpose="Børnene programmerer en robot i leg.",
        goal_text="Børnenes medbestemmelse",
        amount_asked_ore=asked_kr * KR,
        partial_funding_helps=partial,
        budget_lines=[{"description": d, "earmark": e, "amount_ore": a * KR} for d, e, a in lines],
    )
    if state == State.DRAFT:
        return application
    if state == State.WITHDRAWN:
        return services.application_withdraw(actor=leader, application=application)
    services.application_submit(actor=leader, application=application)
    if state == State.SUBMITTED:
        return _fresh(application)
    services.application_start_review(actor=admin, application=application)
    if state == State.IN_REVIEW:
        return _fresh(application)
    if state == State.CHANGES_REQUESTED:
        services.application_request_changes(
            actor=admin, application=application, comment="Beskriv børnenes rolle."
        )
        return _fresh(application)
    outcome = outcome or Outcome.APPROVED
    services.application_decide(
        actor=admin,
        application=application,
        outcome=outcome,
        approved_ore=approved_kr * KR if approved_kr else None,
        reason=reason or ("Begrundelse" if outcome != Outcome.APPROVED else ""),
        report_due_on=None
        if outcome == Outcome.REJECTED
        else (report_due or today() + timedelta(days=60)),
    )
    if state == State.DECIDED:
        return _fresh(application)
    services.application_report(
        actor=leader,
        application=application,
        report_text="Vi købte robotterne og brugte dem hver uge.",
        report_evaluation="Børnene var optagede; vi fortsætter.",
    )
    if state == State.REPORTING:
        return _fresh(application)
    services.grant_close(actor=admin, grant=Grant.objects.get(application=application))
    return _fresh(application)


def _fresh(application) -> Application:
    return Application.objects.select_related("pool", "institution").get(pk=application.pk)


def book(grant, *, kr, earmark=None, description="Indkøb", actor=None, spent_on=None):
    grant.refresh_from_db()
    earmark = earmark or grant.allocations.first().earmark
    return services.expense_create(
        actor=actor or leader_of(grant.institution),
        grant=grant,
        earmark=earmark,
        spent_on=spent_on or today(),
        description=description,
        amount_ore=kr * KR,
        receipt=receipt(),
    )


def make_formula_pool(
    municipality,
    *,
    total_kr=315_000,
    without_wifi=(),
    reserve_kr=5_000,
    reference=None,
    publish=True,
    **over,
):
    pool = make_pool(
        municipality,
        name=over.pop("name", "Udviklingsmidler"),
        kind=Pool.Kind.FORMULA,
        total_kr=total_kr,
        opens_on=None,
        closes_on=None,
        earmarks=[Earmark.WIFI, Earmark.DEVICES],
        **over,
    )
    services.share_run_calculate(
        actor=admin_of(municipality),
        pool=pool,
        reference_date=reference or today(),
        wifi_reserve_ore=reserve_kr * KR,
        rest_earmark=Earmark.DEVICES,
        without_wifi=[i.pk for i in without_wifi],
    )
    if publish:
        services.share_run_publish(actor=admin_of(municipality), pool=pool)
    pool.refresh_from_db()
    return pool


def assert_tagged_pdf(data: bytes, language: str = "da") -> None:
    """A PDF screen readers can follow (PDF/UA): tagged, with its language."""
    from pypdf import PdfReader

    root = PdfReader(io.BytesIO(data)).trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == language
