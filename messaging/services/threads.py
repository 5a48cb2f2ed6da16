"""Threads: guardians and staff writing to each other, closures and automatic replies."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.audit import audit
from core.notify import notify
from core.uploads import Upload, check_uploads
from institutions.models import Child, Guardianship, Institution, Membership
from institutions.querysets import STAFF_ROLES

from ..models import ClosurePeriod, Message, MessageAttachment, Thread, ThreadRead

MAX_BODY = 10_000


def _check_text(subject: str | None, body: str) -> None:
    if subject is not None and not subject.strip():
        raise ValidationError(_("Write a subject."))
    if not body.strip():
        raise ValidationError(_("Write a message."))
    if len(body) > MAX_BODY:
        raise ValidationError(_("The message is too long."))


def _read(thread: Thread, user, when) -> None:
    ThreadRead.objects.update_or_create(thread=thread, user=user, defaults={"read_at": when})


def _attach(message: Message, files: Sequence[Upload]) -> None:
    for upload in files:
        attachment = MessageAttachment(
            message=message, name=upload.name, size=upload.size, content_type=upload.content_type
        )
        attachment.file.save(upload.name, upload.content, save=False)
        attachment.save()


def _checked_files(files: Sequence) -> list[Upload]:
    from .posts import ATTACHMENT_KINDS

    return check_uploads(files, accept=ATTACHMENT_KINDS)


def closure_on(institution_id: int, day: date) -> ClosurePeriod | None:
    return ClosurePeriod.objects.filter(
        institution_id=institution_id, starts_on__lte=day, ends_on__gte=day
    ).first()


def _auto_reply(thread: Thread, now) -> Message | None:
    """While the institution is closed, answer a guardian once per closure."""
    closure = closure_on(thread.institution_id, timezone.localdate(now))
    if closure is None:
        return None
    message, created = Message.objects.get_or_create(
        thread=thread,
        closure=closure,
        defaults={"author": None, "body": closure.reply, "from_staff": True},
    )
    return message if created else None


def staff_to_tell(thread: Thread) -> list[User]:
    """Who hears about a guardian's message: the leaders for sensitive threads and threads
    to the leader; otherwise the staff of the child's group (all staff when no one is
    assigned to it), and whoever answered last."""
    memberships = Membership.objects.filter(institution_id=thread.institution_id)
    if thread.sensitive or thread.to == Thread.To.LEADER:
        users = User.objects.filter(
            pk__in=memberships.filter(role=Membership.Role.LEADER).values("user")
        )
    else:
        staff = memberships.filter(role__in=STAFF_ROLES)
        in_group = staff.filter(groups=thread.group_id) if thread.group_id else staff.none()
        chosen = Q(pk__in=in_group.values("user"))
        if thread.group_id and thread.group.childminder_id:
            chosen |= Q(pk=thread.group.childminder_id)
        if not User.objects.filter(chosen).exists():
            chosen = Q(pk__in=staff.values("user"))
        if thread.answered_by_id:
            chosen |= Q(pk=thread.answered_by_id)
        users = User.objects.filter(chosen)
    return list(users.filter(is_active=True).order_by("pk"))


def _tell(thread: Thread, message: Message, recipients: list[User]) -> None:
    template = (
        "messaging/notifications/sensitive_message"
        if thread.sensitive
        else "messaging/notifications/message"
    )
    notify(
        recipients=[r for r in recipients if r.pk != message.author_id],
        kind="messaging.message",
        template=template,
        context={
            "thread": thread,
            "author": message.author,
            "institution": thread.institution,
            "text": message.body,
        },
        url=reverse("messaging:thread", args=[thread.pk]),
        key=f"message-{message.pk}",
    )


def _guardian_child(guardian, child: Child) -> Child:
    child = (
        Child.objects.current()
        .select_related("group__institution")
        .filter(pk=child.pk, guardianships__guardian=guardian)
        .first()
    )
    if child is None:
        raise ValidationError(_("You can only write about your own children."))
    return child


@transaction.atomic
def thread_start(
    *,
    guardian,
    child: Child,
    to: str,
    subject: str,
    body: str,
    sensitive: bool = False,
    files: Sequence = (),
) -> Thread:
    """A guardian starts a conversation about a child with the staff of the child's
    group or with the leader of the child's institution (where the child is now)."""
    child = _guardian_child(guardian, child)
    _check_text(subject, body)
    if to not in Thread.To.values:
        raise ValidationError(_("Choose who you are writing to."))
    if sensitive:
        to = Thread.To.LEADER
    checked = _checked_files(files)
    now = timezone.now()
    institution = child.group.institution
    thread = Thread.objects.create(
        institution=institution,
        guardian=guardian,
        child=child,
        group=child.group,
        to=to,
        subject=subject.strip()[:200],
        sensitive=sensitive,
        started_by=guardian,
        last_message_at=now,
        awaiting_staff=True,
    )
    message = Message.objects.create(thread=thread, author=guardian, body=body.strip())
    _attach(message, checked)
    reply = _auto_reply(thread, now)
    if reply is not None:
        thread.last_message_at = timezone.now()
        thread.save(update_fields=["last_message_at"])
    _read(thread, guardian, timezone.now())
    audit(
        actor=guardian,
        action="thread.started",
        obj=thread,
        institution=institution,
        summary=_("Conversation about %(child)s") % {"child": child.first_name},
    )
    _tell(thread, message, staff_to_tell(thread))
    return thread


@transaction.atomic
def threads_start_from_staff(
    *,
    actor,
    institution: Institution,
    guardians: Sequence[User],
    subject: str,
    body: str,
    files: Sequence = (),
    sensitive: bool = False,
) -> list[Thread]:
    """Staff write to one or many guardians: each gets a conversation of their own, so
    nobody can answer all, and no family sees another's name or address. A leader may
    make them sensitive: then only the leader and the guardian read them."""
    _check_text(subject, body)
    if not guardians:
        raise ValidationError(_("Choose at least one guardian."))
    if (
        sensitive
        and not Membership.objects.filter(
            user=actor, institution=institution, role=Membership.Role.LEADER
        ).exists()
    ):
        raise ValidationError(_("Only the leader can write a sensitive message."))
    children = {
        g.guardian_id: g.child
        for g in Guardianship.objects.filter(
            guardian__in=guardians, child__left_on=None, child__group__institution=institution
        )
        .select_related("child__group")
        .order_by("child__first_name")
        .reverse()
    }
    strangers = [g for g in guardians if g.pk not in children]
    if strangers:
        raise ValidationError(_("You can only write to guardians of the institution's children."))
    checked = _checked_files(files)
    now = timezone.now()
    threads = []
    for guardian in guardians:
        child = children[guardian.pk]
        thread = Thread.objects.create(
            institution=institution,
            guardian=guardian,
            child=child,
            group=child.group,
            to=Thread.To.LEADER if sensitive else Thread.To.GROUP,
            sensitive=sensitive,
            subject=subject.strip()[:200],
            started_by=actor,
            last_message_at=now,
            answered_by=actor,
            answered_at=now,
        )
        message = Message.objects.create(
            thread=thread, author=actor, body=body.strip(), from_staff=True
        )
        _attach(message, checked)
        _read(thread, actor, now)
        _tell(thread, message, [guardian])
        threads.append(thread)
    audit(
        actor=actor,
        action="thread.started_by_staff",
        obj=institution,
        institution=institution,
        summary=_("%(count)d conversations: %(subject)s")
        % {"count": len(threads), "subject": subject.strip()[:200]},
    )
    return threads


@transaction.atomic
def message_reply(*, author, thread: Thread, body: str, files: Sequence = ()) -> Message:
    """Add a message to a thread. The caller checked can_reply; the thread is locked so
    "answered by" and the unread state follow the order messages were written in."""
    _check_text(None, body)
    checked = _checked_files(files)
    thread = (
        Thread.objects.select_for_update(of=("self",))
        .select_related("institution", "group")
        .get(pk=thread.pk)
    )
    from_staff = author.pk != thread.guardian_id
    message = Message.objects.create(
        thread=thread, author=author, body=body.strip(), from_staff=from_staff
    )
    _attach(message, checked)
    now = timezone.now()
    thread.last_message_at = now
    if from_staff:
        thread.answered_by = author
        thread.answered_at = now
        thread.awaiting_staff = False
    else:
        thread.awaiting_staff = True
        if _auto_reply(thread, now) is not None:
            thread.last_message_at = timezone.now()
    thread.save(update_fields=["last_message_at", "answered_by", "answered_at", "awaiting_staff"])
    _read(thread, author, thread.last_message_at)
    audit(
        actor=author,
        action="message.sent",
        obj=thread,
        institution=thread.institution,
        summary=thread.subject,
    )
    if from_staff:
        _tell(thread, message, [thread.guardian])
    else:
        _tell(thread, message, staff_to_tell(thread))
    return message


def thread_mark_read(*, user, thread: Thread) -> None:
    _read(thread, user, timezone.now())


@transaction.atomic
def closure_create(
    *, actor, institution: Institution, starts_on: date, ends_on: date, reply: str
) -> ClosurePeriod:
    if ends_on < starts_on:
        raise ValidationError(_("The last closed day cannot be before the first."))
    if not reply.strip():
        raise ValidationError(_("Write the automatic reply."))
    try:
        with transaction.atomic():
            closure = ClosurePeriod.objects.create(
                institution=institution, starts_on=starts_on, ends_on=ends_on, reply=reply.strip()
            )
    except IntegrityError as exc:
        raise ValidationError(_("The period overlaps another closure period.")) from exc
    audit(
        actor=actor,
        action="closure.created",
        obj=closure,
        institution=institution,
        summary=f"{starts_on:%d.%m.%Y}–{ends_on:%d.%m.%Y}",
    )
    return closure


@transaction.atomic
def closure_delete(*, actor, closure: ClosurePeriod) -> None:
    audit(
        actor=actor,
        action="closure.deleted",
        obj=closure.institution,
        institution=closure.institution,
        summary=f"{closure.starts_on:%d.%m.%Y}–{closure.ends_on:%d.%m.%Y}",
    )
    closure.delete()
