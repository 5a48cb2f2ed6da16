"""Writes to institutions, groups, children, counts, roles and invitations.

Every service is keyword-only, atomic, audited, and raises ValidationError with a
Danish-translatable message when the input breaks a rule. Views call exactly one.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.audit import audit, diff
from core.notify import notify
from core.queue import enqueue

from .models import (
    Child,
    ChildrenCount,
    Group,
    Guardianship,
    Institution,
    Invitation,
    Membership,
    Municipality,
    MunicipalRole,
)
from .selectors import forget_roles

INSTITUTION_FIELDS = (
    "name",
    "kind",
    "ownership",
    "street",
    "postcode",
    "city",
    "district",
    "email",
    "phone",
    "is_active",
)
GROUP_FIELDS = ("name", "kind", "childminder", "is_active")
CHILD_FIELDS = ("group", "first_name", "last_name", "birth_date", "started_on", "left_on")


def _pick(data: dict, fields: tuple[str, ...]) -> dict:
    return {name: data[name] for name in fields if name in data}


@transaction.atomic
def institution_create(*, actor: User, municipality: Municipality, **data) -> Institution:
    """Create an institution in `municipality`. Names are unique within a municipality."""
    values = _pick(data, INSTITUTION_FIELDS)
    if Institution.objects.filter(municipality=municipality, name__iexact=values["name"]).exists():
        raise ValidationError(_("The municipality already has an institution with that name."))
    institution = Institution.objects.create(municipality=municipality, **values)
    audit(
        actor=actor,
        action="institution.created",
        obj=institution,
        institution=institution,
        summary=institution.name,
    )
    return institution


@transaction.atomic
def institution_update(*, actor: User, institution: Institution, **data) -> Institution:
    values = _pick(data, INSTITUTION_FIELDS)
    clash = Institution.objects.filter(
        municipality_id=institution.municipality_id,
        name__iexact=values.get("name", institution.name),
    ).exclude(pk=institution.pk)
    if clash.exists():
        raise ValidationError(_("The municipality already has an institution with that name."))
    changes = diff(institution, values)
    for field, value in values.items():
        setattr(institution, field, value)
    institution.save()
    if changes:
        audit(
            actor=actor,
            action="institution.updated",
            obj=institution,
            institution=institution,
            summary=institution.name,
            changes=changes,
        )
    return institution


def _check_childminder(institution: Institution, kind: str, childminder: User | None) -> None:
    if childminder is None:
        return
    if kind != Group.Kind.HOME:
        raise ValidationError(_("Only a childminder home has a childminder."))
    if not Membership.objects.filter(
        institution=institution, user=childminder, role=Membership.Role.CHILDMINDER
    ).exists():
        raise ValidationError(_("The childminder must be a childminder in this institution."))


@transaction.atomic
def group_create(*, actor: User, institution: Institution, **data) -> Group:
    values = _pick(data, GROUP_FIELDS)
    _check_childminder(institution, values.get("kind", Group.Kind.ROOM), values.get("childminder"))
    if institution.groups.filter(name__iexact=values["name"]).exists():
        raise ValidationError(_("The institution already has a group with that name."))
    group = Group.objects.create(institution=institution, **values)
    audit(
        actor=actor, action="group.created", obj=group, institution=institution, summary=group.name
    )
    return group


@transaction.atomic
def group_update(*, actor: User, group: Group, **data) -> Group:
    values = _pick(data, GROUP_FIELDS)
    _check_childminder(
        group.institution,
        values.get("kind", group.kind),
        values.get("childminder", group.childminder),
    )
    clash = group.institution.groups.filter(name__iexact=values.get("name", group.name)).exclude(
        pk=group.pk
    )
    if clash.exists():
        raise ValidationError(_("The institution already has a group with that name."))
    changes = diff(group, values)
    for field, value in values.items():
        setattr(group, field, value)
    group.save()
    if changes:
        audit(
            actor=actor,
            action="group.updated",
            obj=group,
            institution=group.institution,
            summary=group.name,
            changes=changes,
        )
    return group


def _check_child_dates(*, birth_date: date, started_on: date | None, left_on: date | None) -> None:
    today = timezone.localdate()
    if birth_date > today:
        raise ValidationError(_("The birth date cannot be in the future."))
    if birth_date.year < today.year - 18:
        raise ValidationError(_("The birth date is too far in the past for a child in daycare."))
    if started_on and started_on < birth_date:
        raise ValidationError(_("A child cannot start before it is born."))
    if started_on and left_on and left_on < started_on:
        raise ValidationError(_("The leaving date must be after the start date."))


@transaction.atomic
def child_create(*, actor: User, group: Group, **data) -> Child:
    values = _pick(data, CHILD_FIELDS)
    values["group"] = group
    _check_child_dates(
        birth_date=values["birth_date"],
        started_on=values.get("started_on"),
        left_on=values.get("left_on"),
    )
    child = Child.objects.create(**values)
    audit(
        actor=actor,
        action="child.created",
        obj=child,
        institution=group.institution,
        summary=child.first_name,
    )
    return child


@transaction.atomic
def child_update(*, actor: User, child: Child, **data) -> Child:
    values = _pick(data, CHILD_FIELDS)
    if "group" in values and values["group"].institution_id != child.group.institution_id:
        raise ValidationError(_("A child can only move between groups of the same institution."))
    _check_child_dates(
        birth_date=values.get("birth_date", child.birth_date),
        started_on=values.get("started_on", child.started_on),
        left_on=values.get("left_on", child.left_on),
    )
    changes = diff(child, values)
    for field, value in values.items():
        setattr(child, field, value)
    child.save()
    if changes:
        audit(
            actor=actor,
            action="child.updated",
            obj=child,
            institution=child.group.institution,
            summary=child.first_name,
            changes=changes,
        )
    return child


@transaction.atomic
def children_count_record(
    *,
    actor: User,
    institution: Institution,
    counted_on: date,
    aged_0_2: int,
    aged_3_5: int,
    aged_6_plus: int = 0,
) -> ChildrenCount:
    """Record (or correct) how many children `institution` had on `counted_on`."""
    if min(aged_0_2, aged_3_5, aged_6_plus) < 0:
        raise ValidationError(_("A number of children cannot be negative."))
    if counted_on > timezone.localdate():
        raise ValidationError(_("A children count cannot be dated in the future."))
    count, created = ChildrenCount.objects.select_for_update().update_or_create(
        institution=institution,
        counted_on=counted_on,
        defaults={"aged_0_2": aged_0_2, "aged_3_5": aged_3_5, "aged_6_plus": aged_6_plus},
    )
    audit(
        actor=actor,
        action="children_count.recorded" if created else "children_count.corrected",
        obj=count,
        institution=institution,
        summary=f"{counted_on:%Y-%m-%d}: {count.total}",
        changes={"aged_0_2": aged_0_2, "aged_3_5": aged_3_5, "aged_6_plus": aged_6_plus},
    )
    return count


def _existing_user(email: str) -> User | None:
    return User.objects.filter(email__iexact=email).first()


def _already_granted(invitation: Invitation, user: User | None) -> bool:
    if user is None:
        return False
    if invitation.child_id:
        return Guardianship.objects.filter(child_id=invitation.child_id, guardian=user).exists()
    if invitation.municipal_role:
        return MunicipalRole.objects.filter(
            user=user, municipality_id=invitation.municipality_id, role=invitation.municipal_role
        ).exists()
    return Membership.objects.filter(
        user=user, institution_id=invitation.institution_id, role=invitation.role
    ).exists()


@transaction.atomic
def invitation_create(
    *,
    actor: User,
    municipality: Municipality,
    email: str,
    name: str,
    institution: Institution | None = None,
    role: str = "",
    municipal_role: str = "",
    child: Child | None = None,
    language: str = settings.LANGUAGE_CODE,
) -> Invitation:
    """Invite a person by e-mail to one role. The e-mail is sent after commit.

    Inviting again to the same role renews the pending invitation rather than adding one.
    """
    email = email.strip().lower()
    grant = Invitation(
        email=email,
        name=name.strip(),
        municipality=municipality,
        institution=institution,
        role=role,
        municipal_role=municipal_role,
        child=child,
        invited_by=actor,
        language=language,
        expires_at=timezone.now() + settings.INVITATION_VALID_FOR,
    )
    if _already_granted(grant, _existing_user(email)):
        raise ValidationError(_("%(email)s already has this role.") % {"email": email})
    pending = (
        Invitation.objects.select_for_update()
        .filter(
            email=email,
            municipality=municipality,
            institution=institution,
            role=role,
            municipal_role=municipal_role,
            child=child,
            accepted_at=None,
            revoked_at=None,
        )
        .first()
    )
    if pending is not None:
        pending.name = grant.name
        pending.invited_by = actor
        pending.language = language
        pending.expires_at = grant.expires_at
        pending.save(update_fields=["name", "invited_by", "language", "expires_at"])
        invitation = pending
    else:
        try:
            with transaction.atomic():
                grant.save()
        except IntegrityError as exc:
            # Someone invited the same person to the same role a moment ago.
            raise ValidationError(
                _("%(email)s was just invited to this role. The invitation is on its way.")
                % {"email": email}
            ) from exc
        invitation = grant
    audit(
        actor=actor,
        action="invitation.sent",
        obj=invitation,
        municipality=municipality,
        institution=institution or (child.group.institution if child else None),
        summary=f"{email}: {invitation.role_label}",
    )
    enqueue("institutions.send_invitation_email", invitation.pk)
    return invitation


@transaction.atomic
def invitation_revoke(*, actor: User, invitation: Invitation) -> None:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at:
        raise ValidationError(_("The invitation has already been accepted."))
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    audit(
        actor=actor,
        action="invitation.revoked",
        obj=invitation,
        municipality=invitation.municipality,
        institution=invitation.institution,
        summary=invitation.email,
    )


def invitation_state_error(invitation: Invitation) -> str:
    """Why an invitation can no longer be accepted, or "" when it can."""
    if invitation.accepted_at:
        return _("This invitation has already been used. Log in with your e-mail address.")
    if invitation.revoked_at:
        return _("This invitation has been withdrawn. Ask the person who invited you.")
    if invitation.expires_at < timezone.now():
        return _("This invitation has expired. Ask the person who invited you to send a new one.")
    return ""


@transaction.atomic
def invitation_accept(
    *, invitation: Invitation, user: User | None = None, name: str = "", password: str = ""
) -> User:
    """Accept `invitation`: create the account (unless `user` is given) and grant the role.

    `user` must be the account with the invitation's e-mail address.
    """
    invitation = (
        # Lock only the invitation: the child is on the nullable side of an outer join,
        # which PostgreSQL refuses to lock.
        Invitation.objects.select_for_update(of=("self",))
        .select_related("child__group")
        .get(pk=invitation.pk)
    )
    problem = invitation_state_error(invitation)
    if problem:
        raise ValidationError(problem)
    existing = _existing_user(invitation.email)
    if user is None:
        if existing is not None:
            raise ValidationError(
                _("An account with this e-mail address exists. Log in to accept.")
            )
        try:
            user = User.objects.create_user(
                email=invitation.email,
                password=password,
                name=name.strip() or invitation.name,
                language=invitation.language,
            )
        except IntegrityError as exc:  # a concurrent acceptance created it first
            raise ValidationError(
                _("An account with this e-mail address exists. Log in to accept.")
            ) from exc
    elif existing is None or existing.pk != user.pk:
        raise ValidationError(_("This invitation was sent to another e-mail address."))

    from allauth.account.models import EmailAddress

    EmailAddress.objects.update_or_create(
        user=user, email=invitation.email, defaults={"verified": True, "primary": True}
    )
    if invitation.child_id:
        granted = Guardianship.objects.get_or_create(child_id=invitation.child_id, guardian=user)[0]
        same_key = Guardianship.objects.filter(child_id=invitation.child_id)
    elif invitation.municipal_role:
        granted = same_key = None
        MunicipalRole.objects.get_or_create(
            user=user, municipality_id=invitation.municipality_id, role=invitation.municipal_role
        )
    else:
        granted = Membership.objects.get_or_create(
            user=user, institution_id=invitation.institution_id, role=invitation.role
        )[0]
        same_key = Membership.objects.filter(
            institution_id=invitation.institution_id, role=invitation.role
        )
    # The role takes over the person's id in the municipality's systems from an
    # invitation of the onboarding workbook, so the next import knows them.
    key = invitation.external_key
    takes_key = granted is not None and key and granted.external_key != key
    if takes_key and not same_key.filter(external_key=key).exists():
        granted.external_key = key
        granted.save(update_fields=["external_key"])
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    forget_roles(user)
    institution = invitation.institution or (
        invitation.child.group.institution if invitation.child_id else None
    )
    audit(
        actor=user,
        action="invitation.accepted",
        obj=invitation,
        municipality=invitation.municipality,
        institution=institution,
        summary=f"{invitation.email}: {invitation.role_label}",
    )
    # An import's thousands of acceptances are followed on its page, not one by one.
    told = invitation.invited_by_id and not invitation.workbook_id
    if told and invitation.invited_by_id != user.pk:
        notify(
            recipients=[invitation.invited_by],
            kind="institutions.invitation_accepted",
            template="institutions/notifications/invitation_accepted",
            context={
                "name": user.name,
                "role": invitation.role_name,
                "place": str(institution or invitation.municipality),
            },
            key=f"invitation-accepted-{invitation.pk}",
        )
    return user


@transaction.atomic
def membership_remove(*, actor: User, membership: Membership) -> None:
    # Lock the membership and its institution: the institution row serialises removals
    # there, so two leaders removed at once cannot leave none. (count() cannot lock: Django
    # drops FOR UPDATE from aggregates.) The user row is not locked, or two people removing
    # each other's roles would deadlock on the audit entries that name them.
    membership = (
        Membership.objects.select_for_update(of=("self", "institution"))
        .select_related("institution", "user")
        .get(pk=membership.pk)
    )
    if membership.role == Membership.Role.LEADER:
        # An institution keeps at least one leader; the database cannot say this alone.
        leaders = Membership.objects.filter(
            institution=membership.institution, role=Membership.Role.LEADER
        )
        if leaders.count() <= 1:
            raise ValidationError(_("An institution must keep at least one leader."))
    if membership.role == Membership.Role.CHILDMINDER:
        # A home keeps no childminder who no longer has the role.
        Group.objects.filter(
            institution=membership.institution, childminder=membership.user
        ).update(childminder=None)
    membership.delete()
    forget_roles(membership.user)
    audit(
        actor=actor,
        action="membership.removed",
        obj=membership.institution,
        institution=membership.institution,
        summary=f"{membership.user.email}: {membership.get_role_display()}",
    )


@transaction.atomic
def municipal_role_remove(*, actor: User, role: MunicipalRole) -> None:
    # As in membership_remove: the municipality row serialises removals, the user row is
    # left unlocked.
    role = (
        MunicipalRole.objects.select_for_update(of=("self", "municipality"))
        .select_related("user", "municipality")
        .get(pk=role.pk)
    )
    if role.user_id == actor.pk:
        raise ValidationError(_("You cannot remove your own municipal role."))
    if role.role == MunicipalRole.Role.ADMINISTRATOR:
        admins = MunicipalRole.objects.filter(
            municipality=role.municipality, role=MunicipalRole.Role.ADMINISTRATOR
        )
        if admins.count() <= 1:
            raise ValidationError(_("A municipality must keep at least one administrator."))
    role.delete()
    audit(
        actor=actor,
        action="municipal_role.removed",
        obj=role.municipality,
        municipality=role.municipality,
        summary=f"{role.user.email}: {role.get_role_display()}",
    )


def invitations_expire() -> int:
    """Delete pending invitations that expired more than 30 days ago. Returns how many."""
    cutoff = timezone.now() - timedelta(days=30)
    deleted, _details = Invitation.objects.filter(accepted_at=None, expires_at__lt=cutoff).delete()
    return deleted
