"""The tenant root: municipalities, their institutions, groups, children and the people
who hold roles in them.

Everything a user may see is reached through `visible_to(user)` on these querysets
(see querysets.py) and the checks in permissions.py.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.uploads import random_name

from .querysets import (
    ChildQuerySet,
    GroupQuerySet,
    InstitutionQuerySet,
    MembershipQuerySet,
    MunicipalityQuerySet,
)


class Municipality(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    code = models.CharField(
        _("municipality code"),
        max_length=3,
        unique=True,
        validators=[RegexValidator(r"^\d{3}$", _("The municipality code is three digits."))],
        help_text=_("The official three-digit code, e.g. 259 for Køge."),
    )

    objects = MunicipalityQuerySet.as_manager()

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^\d{3}$"), name="municipality_code_3_digits"
            ),
        ]

    def __str__(self) -> str:
        return self.name


PHONE_PATTERN = r"^\+?[0-9][0-9 ]{6,18}[0-9]$"
PHONE = RegexValidator(
    PHONE_PATTERN,
    _("Write the phone number with digits, e.g. 56 67 67 67 or +45 56 67 67 67."),
)


def letterhead_logo_path(letterhead: Letterhead, filename: str) -> str:
    return random_name("letterheads", filename)


class Letterhead(models.Model):
    """What the municipality prints at the top of its letters, and the complaint guidance
    (klagevejledning, forvaltningsloven § 25) under its decisions: one text for grant
    decisions, one for place allocation. A guidance left blank means the portal's default
    (institutions/letterhead.py), so the default can be improved for everyone."""

    municipality = models.OneToOneField(
        Municipality,
        on_delete=models.CASCADE,
        related_name="letterhead",
        verbose_name=_("municipality"),
    )
    department = models.CharField(_("department"), max_length=150, blank=True)
    address = models.TextField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True, validators=[PHONE])
    email = models.EmailField(_("e-mail"), blank=True)
    logo = models.FileField(_("logo"), upload_to=letterhead_logo_path, blank=True, max_length=200)
    grants_complaints = models.TextField(
        _("complaint guidance for grant decisions"), max_length=5000, blank=True
    )
    places_complaints = models.TextField(
        _("complaint guidance for place allocation"), max_length=5000, blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("letterhead")
        verbose_name_plural = _("letterheads")
        constraints = [
            models.CheckConstraint(
                condition=Q(phone="") | Q(phone__regex=PHONE_PATTERN),
                name="letterhead_phone_digits",
            ),
        ]

    def __str__(self) -> str:
        return str(self.municipality)


class Institution(models.Model):
    class Kind(models.TextChoices):
        NURSERY = "nursery", _("Nursery")
        KINDERGARTEN = "kindergarten", _("Kindergarten")
        INTEGRATED = "integrated", _("Integrated institution")
        CHILDMINDING = "childminding", _("Childminding unit")
        SCHOOL = "school", _("School")
        AFTER_SCHOOL = "after_school", _("After-school care")

    # The strategy's goals bind daycares; schools and after-school care take part in
    # messaging (the daycare–school–leisure chain) but are not measured by indicators.
    DAYCARE_KINDS = (Kind.NURSERY, Kind.KINDERGARTEN, Kind.INTEGRATED, Kind.CHILDMINDING)

    class Ownership(models.TextChoices):
        MUNICIPAL = "municipal", _("Municipal")
        SELF_GOVERNING = "self_governing", _("Self-governing")
        PRIVATE = "private", _("Private")

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="institutions",
        verbose_name=_("municipality"),
    )
    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    ownership = models.CharField(
        _("ownership"), max_length=20, choices=Ownership.choices, default=Ownership.MUNICIPAL
    )
    street = models.CharField(_("address"), max_length=150, blank=True)
    postcode = models.CharField(
        _("postcode"),
        max_length=4,
        blank=True,
        validators=[RegexValidator(r"^\d{4}$", _("A Danish postcode is four digits."))],
    )
    city = models.CharField(_("city"), max_length=100, blank=True)
    district = models.CharField(_("district"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    # The id the municipality's own systems give the daycare (see onboarding/): a re-import
    # of the onboarding workbook finds the daycare by it.
    external_key = models.CharField(
        _("id in the municipality's systems"), max_length=64, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = InstitutionQuerySet.as_manager()

    class Meta:
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name"], name="institution_name_unique_in_municipality"
            ),
            models.UniqueConstraint(
                fields=["municipality", "external_key"], name="institution_external_key_unique"
            ),
            models.CheckConstraint(
                condition=Q(
                    kind__in=[
                        "nursery",
                        "kindergarten",
                        "integrated",
                        "childminding",
                        "school",
                        "after_school",
                    ]
                ),
                name="institution_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(ownership__in=["municipal", "self_governing", "private"]),
                name="institution_ownership_valid",
            ),
        ]
        indexes = [models.Index(fields=["municipality", "kind"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_daycare(self) -> bool:
        return self.kind in self.DAYCARE_KINDS

    @property
    def address(self) -> str:
        place = " ".join(part for part in (self.postcode, self.city) if part)
        return ", ".join(part for part in (self.street, place) if part)


class Group(models.Model):
    """A room (stue) in an institution, or a childminder home in a childminding unit."""

    class Kind(models.TextChoices):
        ROOM = "room", _("Group (room)")
        HOME = "home", _("Childminder home")

    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="groups", verbose_name=_("institution")
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.ROOM)
    childminder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="childminder_homes",
        verbose_name=_("childminder"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    # The id the municipality's own systems give the group, unique in the municipality.
    # PostgreSQL holds no unique constraint across a join, so the municipality the key
    # belongs to is kept beside it (set with the key, by the onboarding workbook only).
    external_key = models.CharField(
        _("id in the municipality's systems"), max_length=64, null=True, blank=True
    )
    key_municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = GroupQuerySet.as_manager()

    class Meta:
        verbose_name = _("group")
        verbose_name_plural = _("groups")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "name"], name="group_name_unique_in_institution"
            ),
            models.CheckConstraint(condition=Q(kind__in=["room", "home"]), name="group_kind_valid"),
            models.CheckConstraint(
                condition=Q(external_key=None, key_municipality=None)
                | Q(external_key__isnull=False, key_municipality__isnull=False),
                name="group_key_has_municipality",
            ),
            models.UniqueConstraint(
                fields=["key_municipality", "external_key"], name="group_external_key_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Child(models.Model):
    """A child in a group. Only what the work needs: first name, birth date, group."""

    group = models.ForeignKey(
        Group, on_delete=models.PROTECT, related_name="children", verbose_name=_("group")
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    birth_date = models.DateField(_("birth date"))
    started_on = models.DateField(_("started"), null=True, blank=True)
    left_on = models.DateField(_("left"), null=True, blank=True)
    guardians = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="Guardianship",
        related_name="children",
        verbose_name=_("guardians"),
    )
    # The id the municipality's own systems give the child, unique among the
    # municipality's current children (a child who moves to another daycare leaves the
    # old record behind, as admissions does). PostgreSQL holds no unique constraint
    # across a join, so the municipality the key belongs to is kept beside it (set with
    # the key, by the onboarding workbook only).
    external_key = models.CharField(
        _("id in the municipality's systems"), max_length=64, null=True, blank=True
    )
    key_municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("child")
        verbose_name_plural = _("children")
        ordering = ["first_name", "last_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(left_on__isnull=True)
                | Q(started_on__isnull=True)
                | Q(left_on__gte=models.F("started_on")),
                name="child_left_after_started",
            ),
            models.CheckConstraint(
                condition=Q(external_key=None, key_municipality=None)
                | Q(external_key__isnull=False, key_municipality__isnull=False),
                name="child_key_has_municipality",
            ),
            models.UniqueConstraint(
                fields=["key_municipality", "external_key"],
                condition=Q(left_on=None),
                name="child_external_key_unique_while_current",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class Guardianship(models.Model):
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="guardianships")
    guardian = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="guardianships"
    )
    # The guardian's id in the municipality's systems, when the onboarding workbook
    # gave this custody: a re-import finds it by the child and this key.
    external_key = models.CharField(
        _("id in the municipality's systems"), max_length=64, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("guardianship")
        verbose_name_plural = _("guardianships")
        constraints = [
            models.UniqueConstraint(fields=["child", "guardian"], name="guardianship_unique"),
            models.UniqueConstraint(
                fields=["child", "external_key"], name="guardianship_external_key_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.guardian} – {self.child}"


class ChildrenCount(models.Model):
    """How many children an institution has on a date, by age band.

    Money shared "by number of children" uses the count at a reference date.
    """

    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="children_counts"
    )
    counted_on = models.DateField(_("date"))
    aged_0_2 = models.PositiveIntegerField(_("children aged 0–2"), default=0)
    aged_3_5 = models.PositiveIntegerField(_("children aged 3–5"), default=0)
    aged_6_plus = models.PositiveIntegerField(_("children aged 6 and over"), default=0)

    class Meta:
        verbose_name = _("children count")
        verbose_name_plural = _("children counts")
        ordering = ["-counted_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "counted_on"], name="children_count_one_per_date"
            ),
            models.CheckConstraint(
                condition=Q(aged_0_2__gte=0) & Q(aged_3_5__gte=0) & Q(aged_6_plus__gte=0),
                name="children_count_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.institution}: {self.counted_on:%Y-%m-%d}"

    @property
    def total(self) -> int:
        return self.aged_0_2 + self.aged_3_5 + self.aged_6_plus


class Membership(models.Model):
    """A person's role in one institution. One person may hold several."""

    class Role(models.TextChoices):
        LEADER = "leader", _("Leader")
        AMBASSADOR = "ambassador", _("Digital ambassador")
        STAFF = "staff", _("Staff")
        CHILDMINDER = "childminder", _("Childminder")
        BOARD_MEMBER = "board_member", _("Board member")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    groups = models.ManyToManyField(
        Group, blank=True, related_name="memberships", verbose_name=_("groups")
    )
    # The person's id in the municipality's systems, when the onboarding workbook gave
    # this role: a re-import finds it by the institution, the role and this key, and a
    # role given in the portal (no key) is never touched by an import.
    external_key = models.CharField(
        _("id in the municipality's systems"), max_length=64, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["institution__name", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "institution", "role"], name="membership_unique_role"
            ),
            models.UniqueConstraint(
                fields=["institution", "role", "external_key"],
                name="membership_external_key_unique",
            ),
            models.CheckConstraint(
                condition=Q(
                    role__in=["leader", "ambassador", "staff", "childminder", "board_member"]
                ),
                name="membership_role_valid",
            ),
        ]
        indexes = [models.Index(fields=["institution", "role"])]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()}, {self.institution}"


class MunicipalRole(models.Model):
    class Role(models.TextChoices):
        ADMINISTRATOR = "administrator", _("Municipal administrator")
        CONSULTANT = "consultant", _("Pedagogical consultant")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="municipal_roles"
    )
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("municipal role")
        verbose_name_plural = _("municipal roles")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "municipality", "role"], name="municipal_role_unique"
            ),
            models.CheckConstraint(
                condition=Q(role__in=["administrator", "consultant"]),
                name="municipal_role_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()}, {self.municipality}"


def _new_token() -> str:
    return secrets.token_urlsafe(32)


class Invitation(models.Model):
    """An e-mail invitation to a role: in an institution, in a municipality, or as the
    guardian of a child. Accepting it creates the account (if needed) and the role."""

    email = models.EmailField(_("e-mail address"))
    name = models.CharField(_("name"), max_length=150)
    token = models.CharField(max_length=64, unique=True, default=_new_token, editable=False)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="invitations"
    )
    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, null=True, blank=True, related_name="invitations"
    )
    role = models.CharField(_("role"), max_length=20, blank=True)
    municipal_role = models.CharField(_("municipal role"), max_length=20, blank=True)
    child = models.ForeignKey(
        Child, on_delete=models.CASCADE, null=True, blank=True, related_name="invitations"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    language = models.CharField(
        _("language of the invitation"),
        max_length=5,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # From the onboarding workbook: the import that sent it, and the person's id in the
    # municipality's systems, which the role takes over when the invitation is accepted.
    workbook = models.ForeignKey(
        "WorkbookImport",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations",
    )
    external_key = models.CharField(
        _("id in the municipality's systems"), max_length=64, null=True, blank=True
    )

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        constraints = [
            # Exactly one kind of grant: an institution role, a municipal role, or a child.
            models.CheckConstraint(
                condition=(
                    Q(institution__isnull=False, child__isnull=True, municipal_role="")
                    & ~Q(role="")
                )
                | Q(institution__isnull=True, child__isnull=True, role="") & ~Q(municipal_role="")
                | Q(child__isnull=False, role="", municipal_role=""),
                name="invitation_one_grant",
            ),
            # One pending invitation per person and grant; inviting again renews it.
            models.UniqueConstraint(
                fields=["email", "municipality", "institution", "role", "municipal_role", "child"],
                condition=Q(accepted_at=None, revoked_at=None),
                nulls_distinct=False,
                name="invitation_one_pending_per_grant",
            ),
            # One pending invitation per person of the municipality's systems and grant.
            models.UniqueConstraint(
                fields=["municipality", "institution", "role", "child", "external_key"],
                condition=Q(accepted_at=None, revoked_at=None, external_key__isnull=False),
                nulls_distinct=False,
                name="invitation_one_pending_per_key",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} ({self.created_at:%Y-%m-%d})"

    @property
    def role_name(self) -> str:
        """The role as written inside a sentence ("invited as leader")."""
        return self.role_label.lower()

    @property
    def role_label(self) -> str:
        if self.child_id:
            return str(_("Guardian"))
        if self.municipal_role:
            return str(MunicipalRole.Role(self.municipal_role).label)
        return str(Membership.Role(self.role).label)


class WorkbookImport(models.Model):
    """One upload of the onboarding workbook (see onboarding/): checked, previewed, and
    imported at most once.

    `rows` holds what the workbook says, checked, until it is imported or the preview
    expires; then only the counts in `summary` stay. `digest` fingerprints the changes
    the preview showed: the import goes ahead only if the portal would still make the
    same ones."""

    # The rows are the municipality's people: not the uploader's own data.
    PERSONAL_DATA_ABOUT_OTHERS = ("rows", "summary")

    class State(models.TextChoices):
        READY = "ready", _("Ready to import")
        IMPORTED = "imported", _("Imported")
        DISCARDED = "discarded", _("Not imported")

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="workbook_imports"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    file_name = models.CharField(_("file"), max_length=255)
    file_sha256 = models.CharField(max_length=64)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default="ready")
    rows = models.JSONField(default=dict, blank=True)
    summary = models.JSONField(default=dict, blank=True)
    digest = models.CharField(max_length=64)
    # Seconds spent reading and checking, importing, and queueing the invitations.
    timings = models.JSONField(default=dict, blank=True)
    invitations_total = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    imported_at = models.DateTimeField(null=True, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("workbook import")
        verbose_name_plural = _("workbook imports")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=["ready", "imported", "discarded"]),
                name="workbook_import_state_valid",
            ),
            models.CheckConstraint(
                condition=~Q(state="imported") | Q(imported_at__isnull=False),
                name="workbook_import_imported_at",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality}: {self.file_name} ({self.created_at:%Y-%m-%d %H:%M})"
