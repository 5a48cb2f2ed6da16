from __future__ import annotations

from smtplib import SMTPException

from celery import shared_task

from . import services
from .emails import invitation_email_send
from .onboarding.services import workbook_invitations_send, workbook_previews_forget


@shared_task(
    name="institutions.send_invitation_email",
    autoretry_for=(SMTPException, OSError),
    retry_backoff=30,
    retry_backoff_max=1800,
    max_retries=12,
    soft_time_limit=60,
    time_limit=90,
)
def send_invitation_email(invitation_id: int) -> None:
    invitation_email_send(invitation_id=invitation_id)


@shared_task(name="institutions.expire_invitations", acks_late=True)
def expire_invitations() -> int:
    return services.invitations_expire()


@shared_task(
    name="institutions.send_workbook_invitations",
    autoretry_for=(SMTPException, OSError),
    retry_backoff=30,
    retry_backoff_max=1800,
    max_retries=12,
    soft_time_limit=300,
    time_limit=330,
)
def send_workbook_invitations(workbook_id: int) -> int:
    return workbook_invitations_send(workbook_id=workbook_id)


@shared_task(name="institutions.forget_workbook_previews", acks_late=True)
def forget_workbook_previews() -> int:
    return workbook_previews_forget()
