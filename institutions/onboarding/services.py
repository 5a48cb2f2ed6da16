"""The onboarding workbook's services: check and keep an upload for its preview, import
it in one transaction, send its invitations in the background."""

from __future__ import annotations

import hashlib
import time
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.audit import audit
from core.indicators import indicators_changed
from core.queue import enqueue

from ..emails import invitation_email_send
from ..models import Invitation, Municipality, WorkbookImport
from .check import Refused, check_workbook, ordered
from .plan import plan_workbook
from .write import Written, write

# A preview holds the municipality's people: it is kept a day, then forgotten.
PREVIEW_VALID_FOR = timedelta(hours=24)
# Invitations sent by one task; the next batch is a task of its own.
SEND_BATCH = 200
SEND_TASK = "institutions.send_workbook_invitations"


class _Stale(Exception):
    pass


def _seconds(start: float) -> float:
    return round(time.perf_counter() - start, 2)


def workbook_check(*, actor: User, municipality: Municipality, upload) -> WorkbookImport:
    """Read and check the uploaded workbook whole, compare it with the portal and keep it
    for its preview. Raises `Refused` with every problem when anything is wrong; nothing
    is stored then. An earlier preview of the municipality that was not imported is
    forgotten: one workbook waits at a time."""
    start = time.perf_counter()
    digest = hashlib.sha256(upload.read()).hexdigest()
    upload.seek(0)
    records = check_workbook(upload, municipality=municipality)
    read = time.perf_counter()
    plan = plan_workbook(municipality, records)
    if plan.problems:
        raise Refused(ordered(plan.problems))
    compared = time.perf_counter()
    with transaction.atomic():
        WorkbookImport.objects.filter(
            municipality=municipality, state=WorkbookImport.State.READY
        ).update(state=WorkbookImport.State.DISCARDED, rows={})
        workbook = WorkbookImport.objects.create(
            municipality=municipality,
            uploaded_by=actor,
            file_name=upload.name[:255],
            file_sha256=digest,
            rows=records,
            summary=plan.summary,
            digest=plan.digest,
            timings={
                "read": round(read - start, 2),
                "compare": round(compared - read, 2),
                "check": _seconds(start),
            },
            expires_at=timezone.now() + PREVIEW_VALID_FOR,
        )
        audit(
            actor=actor,
            action="workbook.checked",
            obj=workbook,
            municipality=municipality,
            summary=workbook.file_name,
        )
    return workbook


def workbook_import(*, actor: User, workbook: WorkbookImport) -> Written:
    """Import a checked workbook in one transaction, with the municipality locked (one
    import at a time), and queue its invitations. Goes ahead only if the portal would
    still make the changes the preview showed; otherwise the preview is forgotten and a
    ValidationError asks for the workbook again."""
    pk = workbook.pk
    try:
        with transaction.atomic():
            municipality = Municipality.objects.select_for_update().get(pk=workbook.municipality_id)
            workbook = WorkbookImport.objects.select_for_update().get(pk=pk)
            if workbook.state == WorkbookImport.State.IMPORTED:
                raise ValidationError(_("The workbook has already been imported."))
            if (
                workbook.state == WorkbookImport.State.DISCARDED
                or workbook.expires_at <= timezone.now()
            ):
                raise ValidationError(
                    _("The preview is no longer valid. Upload the workbook again.")
                )
            start = time.perf_counter()
            plan = plan_workbook(municipality, workbook.rows)
            if plan.problems or plan.digest != workbook.digest:
                raise _Stale
            written = write(municipality=municipality, ops=plan.ops, actor=actor, workbook=workbook)
            queued = time.perf_counter()
            if written.invitations:
                enqueue(SEND_TASK, workbook.pk)
            workbook.timings = {
                **workbook.timings,
                "import": round(queued - start - written.invitations_seconds, 2),
                "queue": round(written.invitations_seconds + time.perf_counter() - queued, 2),
            }
            workbook.state = WorkbookImport.State.IMPORTED
            workbook.imported_at = timezone.now()
            workbook.imported_by = actor
            workbook.invitations_total = written.invitations
            workbook.rows = {}
            workbook.save()
            audit(
                actor=actor,
                action="workbook.imported",
                obj=workbook,
                municipality=municipality,
                summary=workbook.file_name,
                changes={"summary": workbook.summary},
            )
            indicators_changed(municipality.pk)
            return written
    except _Stale:
        WorkbookImport.objects.filter(pk=pk, state=WorkbookImport.State.READY).update(
            state=WorkbookImport.State.DISCARDED, rows={}
        )
        raise ValidationError(
            _(
                "The portal has changed since the preview (another import, or changes made "
                "in the portal), so nothing was imported. Upload the workbook again to see "
                "what it would change now."
            )
        ) from None


def workbook_invitations_send(*, workbook_id: int, batch: int = SEND_BATCH) -> int:
    """Send the next `batch` of the import's invitations that have not gone out, over one
    SMTP connection, and queue the rest as a task of its own. Returns how many were
    sent. Safe to run twice: each invitation is marked when sent."""
    waiting = list(
        Invitation.objects.filter(
            workbook_id=workbook_id, sent_at=None, accepted_at=None, revoked_at=None
        )
        .order_by("pk")
        .values_list("pk", flat=True)[: batch + 1]
    )
    sent = 0
    if waiting:
        with get_connection() as connection:
            for pk in waiting[:batch]:
                sent += invitation_email_send(invitation_id=pk, connection=connection)
    if len(waiting) > batch:
        with transaction.atomic():
            enqueue(SEND_TASK, workbook_id)
    return sent


def workbook_progress(workbook: WorkbookImport) -> tuple[int, int]:
    """(invitations done, invitations in all): sent, or no longer to send."""
    done = workbook.invitations.filter(
        Q(sent_at__isnull=False) | Q(revoked_at__isnull=False) | Q(accepted_at__isnull=False)
    ).count()
    return done, workbook.invitations_total


def workbook_previews_forget() -> int:
    """Forget the rows of previews that expired without being imported."""
    return WorkbookImport.objects.filter(
        state=WorkbookImport.State.READY, expires_at__lt=timezone.now()
    ).update(state=WorkbookImport.State.DISCARDED, rows={})
